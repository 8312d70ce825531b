namespace HpSearch.Workers.Data;

/// <summary>Small seeded data sets that load in milliseconds, for tests and smoke runs.</summary>
internal static class SyntheticDatasets
{
    public const string Blobs = "synthetic-blobs";
    public const string Images = "synthetic-images";

    /// <summary>10 Gaussian clusters in 16 dimensions (seeded), 60 examples each, split 40/10/10 per class.</summary>
    public static Dataset CreateBlobs()
    {
        const int classes = 10, perClass = 60, dims = 16;
        var rng = new Random(7);
        var centres = new float[classes * dims];
        for (int i = 0; i < centres.Length; i++) centres[i] = (float)(rng.NextDouble() * 2 - 1);
        var labels = new int[classes * perClass];
        var x = new float[labels.Length * dims];
        for (int n = 0; n < labels.Length; n++)
        {
            int c = n % classes;
            labels[n] = c;
            for (int d = 0; d < dims; d++)
                x[n * dims + d] = Math.Clamp(0.5f + 0.4f * centres[c * dims + d] + 0.12f * Gaussian(rng), 0f, 1f);
        }
        return DatasetSplitter.Split(Blobs, new RawDataset(classes, 1, 1, dims, labels, null, x), SplitSizes.PerClass(10, 10));
    }

    /// <summary>1×8×8 images of 4 classes (horizontal bar, vertical bar, diagonal, square outline) with noise and
    /// random placement; 50 per class, split 30/10/10.</summary>
    public static Dataset CreateImages()
    {
        const int classes = 4, perClass = 50, size = 8;
        var rng = new Random(11);
        var labels = new int[classes * perClass];
        var x = new float[labels.Length * size * size];
        for (int n = 0; n < labels.Length; n++)
        {
            int c = n % classes;
            labels[n] = c;
            var img = x.AsSpan(n * size * size, size * size);
            int o = rng.Next(1, size - 1);
            for (int i = 0; i < size; i++)
            {
                switch (c)
                {
                    case 0: img[o * size + i] = 1; break;
                    case 1: img[i * size + o] = 1; break;
                    case 2: img[i * size + (i + o) % size] = 1; break;
                    default:
                        int lo = 1 + o % 2, hi = size - 2 - o % 2;
                        if (i >= lo && i <= hi) { img[lo * size + i] = 1; img[hi * size + i] = 1; img[i * size + lo] = 1; img[i * size + hi] = 1; }
                        break;
                }
            }
            for (int i = 0; i < img.Length; i++) img[i] = Math.Clamp(img[i] + 0.15f * Gaussian(rng), 0f, 1f);
        }
        return DatasetSplitter.Split(Images, new RawDataset(classes, 1, size, size, labels, null, x), SplitSizes.PerClass(10, 10));
    }

    private static float Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}
