namespace HpSearch.Workers.Data;

/// <summary>Examples before splitting: pixels as bytes (0..255 ↦ [0,1]) or as floats, one label each.</summary>
internal sealed record RawDataset(int Classes, int Channels, int Height, int Width, int[] Labels, byte[]? Bytes, float[]? Floats)
{
    public int Count => Labels.Length;
    public int Features => Channels * Height * Width;

    public void CopyExample(int index, Span<float> destination)
    {
        int f = Features;
        if (Bytes is not null)
        {
            var src = Bytes.AsSpan(index * f, f);
            for (int i = 0; i < f; i++) destination[i] = src[i] * (1f / 255f);
        }
        else
        {
            Floats.AsSpan(index * f, f).CopyTo(destination);
        }
    }
}
