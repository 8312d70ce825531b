namespace HpSearch.Workers.Data;

/// <summary>Splits examples into train/validation/test, stratified by class, with a fixed seed: the same
/// data set always gives the same splits, on every machine and in every process.</summary>
internal static class DatasetSplitter
{
    public const int SplitSeed = 20_171_128;

    public static Dataset Split(string name, RawDataset raw, SplitSizes sizes)
    {
        var rng = new Random(SplitSeed);
        var train = new List<int>(); var val = new List<int>(); var test = new List<int>();
        for (int c = 0; c < raw.Classes; c++)
        {
            var idx = Enumerable.Range(0, raw.Count).Where(i => raw.Labels[i] == c).ToArray();
            rng.Shuffle(idx);
            var (nTest, nVal) = sizes.For(idx.Length);
            test.AddRange(idx[..nTest]);
            val.AddRange(idx[nTest..(nTest + nVal)]);
            train.AddRange(idx[(nTest + nVal)..]);
        }
        // Interleave classes so that a prefix of any split is balanced-ish and batches are not sorted by class.
        var tr = train.ToArray(); var va = val.ToArray(); var te = test.ToArray();
        rng.Shuffle(tr); rng.Shuffle(va); rng.Shuffle(te);
        var (trX, trY) = Gather(raw, tr);
        var (vaX, vaY) = Gather(raw, va);
        var (teX, teY) = Gather(raw, te);
        return new Dataset
        {
            Name = name, Classes = raw.Classes, Channels = raw.Channels, Height = raw.Height, Width = raw.Width,
            TrainX = trX, TrainY = trY, ValX = vaX, ValY = vaY, TestX = teX, TestY = teY,
        };
    }

    private static (float[] X, int[] Y) Gather(RawDataset raw, int[] indices)
    {
        int f = raw.Features;
        var x = new float[indices.Length * f];
        var y = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            raw.CopyExample(indices[i], x.AsSpan(i * f, f));
            y[i] = raw.Labels[indices[i]];
        }
        return (x, y);
    }
}
