namespace HpSearch.Engine;

/// <summary>Random augmentation of a training batch of channels-last images [N, H, W, C], in place: horizontal flip
/// (p = ½), shift by up to ±<see cref="Shift"/> pixels with zero padding (a random crop of the padded image), small
/// rotation (±<see cref="RotateDegrees"/>, bilinear), random erasing (Zhong et al. 2017) with probability <see cref="EraseProbability"/>.</summary>
public sealed class ImageAugmentation(bool flip, int shift, float rotateDegrees, float eraseProbability, Random random)
{
    private readonly FastRandom _random = new(random);
    private float[] _scratch = [];

    public bool Flip { get; } = flip;
    public int Shift { get; } = shift;
    public float RotateDegrees { get; } = rotateDegrees;
    public float EraseProbability { get; } = eraseProbability;

    public void Apply(float[] batch, int n, int h, int w, int c)
    {
        int size = h * w * c;
        if (_scratch.Length < size) _scratch = new float[size];
        for (int i = 0; i < n; i++)
        {
            var img = batch.AsSpan(i * size, size);
            bool doFlip = Flip && _random.NextFloat() < 0.5f;
            int dx = Shift > 0 ? _random.Next(2 * Shift + 1) - Shift : 0;
            int dy = Shift > 0 ? _random.Next(2 * Shift + 1) - Shift : 0;
            float angle = RotateDegrees > 0 ? (_random.NextFloat() * 2 - 1) * RotateDegrees * MathF.PI / 180 : 0;
            if (doFlip || dx != 0 || dy != 0 || angle != 0) Warp(img, h, w, c, doFlip, dx, dy, angle);
            if (EraseProbability > 0 && _random.NextFloat() < EraseProbability) Erase(img, h, w, c);
        }
    }

    private void Warp(Span<float> img, int h, int w, int c, bool flip, int dx, int dy, float angle)
    {
        var src = _scratch.AsSpan(0, img.Length);
        img.CopyTo(src);
        float cos = MathF.Cos(angle), sin = MathF.Sin(angle), cy = (h - 1) / 2f, cx = (w - 1) / 2f;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                // Inverse map: output pixel → source position (shift, then rotate about the centre, then flip).
                float ux = x - dx - cx, uy = y - dy - cy;
                float sx = cos * ux + sin * uy + cx, sy = -sin * ux + cos * uy + cy;
                if (flip) sx = w - 1 - sx;
                var dst = img.Slice((y * w + x) * c, c);
                if (angle == 0)
                {
                    int ix = (int)MathF.Round(sx), iy = (int)MathF.Round(sy);
                    if (ix < 0 || ix >= w || iy < 0 || iy >= h) dst.Clear();
                    else src.Slice((iy * w + ix) * c, c).CopyTo(dst);
                    continue;
                }
                int x0 = (int)MathF.Floor(sx), y0 = (int)MathF.Floor(sy);
                float fx = sx - x0, fy = sy - y0;
                for (int ch = 0; ch < c; ch++)
                    dst[ch] = (1 - fy) * ((1 - fx) * At(src, h, w, c, y0, x0, ch) + fx * At(src, h, w, c, y0, x0 + 1, ch))
                              + fy * ((1 - fx) * At(src, h, w, c, y0 + 1, x0, ch) + fx * At(src, h, w, c, y0 + 1, x0 + 1, ch));
            }
    }

    private static float At(ReadOnlySpan<float> img, int h, int w, int c, int y, int x, int ch) =>
        y < 0 || y >= h || x < 0 || x >= w ? 0f : img[(y * w + x) * c + ch];

    private void Erase(Span<float> img, int h, int w, int c)
    {
        float area = (0.02f + _random.NextFloat() * 0.31f) * h * w;
        float aspect = MathF.Exp(MathF.Log(0.3f) + _random.NextFloat() * (MathF.Log(3.3f) - MathF.Log(0.3f)));
        int eh = Math.Clamp((int)MathF.Round(MathF.Sqrt(area * aspect)), 1, h), ew = Math.Clamp((int)MathF.Round(MathF.Sqrt(area / aspect)), 1, w);
        int y0 = _random.Next(h - eh + 1), x0 = _random.Next(w - ew + 1);
        for (int y = y0; y < y0 + eh; y++) img.Slice((y * w + x0) * c, ew * c).Clear();
    }
}
