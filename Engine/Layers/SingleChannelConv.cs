using System.Numerics;
using System.Runtime.CompilerServices;

namespace HpSearch.Engine.Layers;

/// <summary>Direct convolution for a one-channel input (a network's first layer on grey images), where im2col
/// makes a K = k² GEMM too thin to run fast: each output pixel sums k² taps times a weight row, in SIMD across
/// the output channels. Images are zero-padded once into a scratch buffer, so the inner loops have no bounds checks.</summary>
internal static unsafe class SingleChannelConv
{
    private const int MaxStackTaps = 64;

    /// <summary>Refuses sizes that would take the pointer loops outside their arrays.</summary>
    private static void CheckSizes(float[] x, int hi, int h, int w, int k, int cout, long weights, long outputLength, long outputNeeded)
    {
        if (hi < 0 || h < 1 || w < 1 || k < 1 || cout < 1 || (long)hi * h * w > x.Length || (long)k * k * cout > weights || outputNeeded > outputLength)
            throw new ArgumentException($"SingleChannelConv sizes (images {hi}, {h}×{w}, kernel {k}, {cout} channels) do not fit the arrays.");
    }

    /// <summary>Handles convolutions whose output channels fill whole vectors.</summary>
    public static bool Applies(int inChannels, int outChannels) =>
        inChannels == 1 && Vector.IsHardwareAccelerated && outChannels % Vector<float>.Count == 0;

    /// <summary>y[img] = bias + Σ taps x·W for images [lo, hi); y is [N, OH, OW, Cout], W is [k·k, Cout].</summary>
    public static void Forward(float[] x, int lo, int hi, int h, int w, float[] weight, float[] bias, int k, int stride, int pad,
        int oh, int ow, float[] y)
    {
        int cout = bias.Length, hp = h + 2 * pad, wp = w + 2 * pad, vl = Vector<float>.Count;
        CheckSizes(x, hi, h, w, k, cout, weight.Length, y.Length, (long)hi * oh * ow * cout);
        var padded = new float[checked(hp * wp)];
        fixed (float* px = x, pw = weight, pb = bias, py = y, pp = padded)
        {
            for (int img = lo; img < hi; img++)
            {
                Pad(px + (long)img * h * w, h, w, pad, pp);
                float* yImg = py + (long)img * oh * ow * cout;
                for (int oy = 0; oy < oh; oy++)
                {
                    float* row = pp + oy * stride * wp;
                    float* yRow = yImg + oy * ow * cout;
                    for (int c0 = 0; c0 < cout; c0 += vl)
                    {
                        var b = Vector.Load(pb + c0);
                        int ox = 0;
                        // Eight pixels at once: eight independent FMA chains share each weight vector.
                        for (; ox + 8 <= ow; ox += 8)
                        {
                            Vector<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
                            for (int ky = 0; ky < k; ky++)
                            {
                                float* xr = row + ky * wp + ox * stride;
                                float* wr = pw + ky * k * cout + c0;
                                for (int kx = 0; kx < k; kx++)
                                {
                                    var wv = Vector.Load(wr + kx * cout);
                                    float* xs = xr + kx;
                                    a0 = Vector.FusedMultiplyAdd(new Vector<float>(xs[0]), wv, a0);
                                    a1 = Vector.FusedMultiplyAdd(new Vector<float>(xs[stride]), wv, a1);
                                    a2 = Vector.FusedMultiplyAdd(new Vector<float>(xs[2 * stride]), wv, a2);
                                    a3 = Vector.FusedMultiplyAdd(new Vector<float>(xs[3 * stride]), wv, a3);
                                    a4 = Vector.FusedMultiplyAdd(new Vector<float>(xs[4 * stride]), wv, a4);
                                    a5 = Vector.FusedMultiplyAdd(new Vector<float>(xs[5 * stride]), wv, a5);
                                    a6 = Vector.FusedMultiplyAdd(new Vector<float>(xs[6 * stride]), wv, a6);
                                    a7 = Vector.FusedMultiplyAdd(new Vector<float>(xs[7 * stride]), wv, a7);
                                }
                            }
                            float* yo = yRow + ox * cout + c0;
                            a0.Store(yo); a1.Store(yo + cout); a2.Store(yo + 2 * cout); a3.Store(yo + 3 * cout);
                            a4.Store(yo + 4 * cout); a5.Store(yo + 5 * cout); a6.Store(yo + 6 * cout); a7.Store(yo + 7 * cout);
                        }
                        for (; ox < ow; ox++)
                        {
                            var a = b;
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                    a = Vector.FusedMultiplyAdd(new Vector<float>(row[ky * wp + ox * stride + kx]), Vector.Load(pw + (ky * k + kx) * cout + c0), a);
                            a.Store(yRow + ox * cout + c0);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Weight and bias gradients of images [lo, hi) into <paramref name="partial"/> ([k·k + 1, Cout]: the taps,
    /// then the bias), overwritten. The caller sums fixed image groups in order, so any thread count gives the same sums.
    /// Each image is padded once; its sums are carried from image to image through <paramref name="partial"/>.</summary>
    public static void Gradients(float[] x, int lo, int hi, int h, int w, float[] dOut, int k, int stride, int pad, int oh, int ow,
        int cout, Span<float> partial)
    {
        int hp = h + 2 * pad, wp = w + 2 * pad, vl = Vector<float>.Count, taps = k * k;
        CheckSizes(x, hi, h, w, k, cout, (long)taps * cout, dOut.Length, (long)hi * oh * ow * cout);
        if (partial.Length < (taps + 1L) * cout) throw new ArgumentException("The partial sums buffer is too small.");
        var padded = new float[checked(hp * wp)];
        // Stack space stays small whatever the spec says: large kernels use the heap.
        Span<Vector<float>> acc = taps < MaxStackTaps ? stackalloc Vector<float>[taps + 1] : new Vector<float>[taps + 1];
        partial.Clear();
        fixed (float* px = x, pg = dOut, pp = padded, pr = partial)
        {
            for (int img = lo; img < hi; img++)
            {
                Pad(px + (long)img * h * w, h, w, pad, pp);
                for (int c0 = 0; c0 < cout; c0 += vl)
                {
                    for (int t = 0; t <= taps; t++) acc[t] = Vector.Load(pr + t * cout + c0);
                    float* gImg = pg + (long)img * oh * ow * cout + c0;
                    if (k == 3) Gradients3x3(pp, wp, gImg, stride, oh, ow, cout, acc);
                    else
                        for (int oy = 0; oy < oh; oy++)
                            for (int ox = 0; ox < ow; ox++)
                            {
                                var g = Vector.Load(gImg + (oy * ow + ox) * cout);
                                float* xs = pp + oy * stride * wp + ox * stride;
                                for (int ky = 0, t = 0; ky < k; ky++)
                                    for (int kx = 0; kx < k; kx++, t++)
                                        acc[t] = Vector.FusedMultiplyAdd(new Vector<float>(xs[ky * wp + kx]), g, acc[t]);
                                acc[taps] += g;
                            }
                    for (int t = 0; t <= taps; t++) acc[t].Store(pr + t * cout + c0);
                }
            }
        }
    }

    /// <summary>The 3×3 case with its ten sums in registers (the general loop keeps them in memory).</summary>
    private static void Gradients3x3(float* xp, int wp, float* g0, int stride, int oh, int ow, int cout, Span<Vector<float>> acc)
    {
        Vector<float> t0 = acc[0], t1 = acc[1], t2 = acc[2], t3 = acc[3], t4 = acc[4], t5 = acc[5], t6 = acc[6], t7 = acc[7], t8 = acc[8], tb = acc[9];
        for (int oy = 0; oy < oh; oy++)
        {
            float* r0 = xp + oy * stride * wp, r1 = r0 + wp, r2 = r1 + wp;
            float* gRow = g0 + oy * ow * cout;
            for (int ox = 0; ox < ow; ox++)
            {
                var g = Vector.Load(gRow + ox * cout);
                int c = ox * stride;
                t0 = Vector.FusedMultiplyAdd(new Vector<float>(r0[c]), g, t0);
                t1 = Vector.FusedMultiplyAdd(new Vector<float>(r0[c + 1]), g, t1);
                t2 = Vector.FusedMultiplyAdd(new Vector<float>(r0[c + 2]), g, t2);
                t3 = Vector.FusedMultiplyAdd(new Vector<float>(r1[c]), g, t3);
                t4 = Vector.FusedMultiplyAdd(new Vector<float>(r1[c + 1]), g, t4);
                t5 = Vector.FusedMultiplyAdd(new Vector<float>(r1[c + 2]), g, t5);
                t6 = Vector.FusedMultiplyAdd(new Vector<float>(r2[c]), g, t6);
                t7 = Vector.FusedMultiplyAdd(new Vector<float>(r2[c + 1]), g, t7);
                t8 = Vector.FusedMultiplyAdd(new Vector<float>(r2[c + 2]), g, t8);
                tb += g;
            }
        }
        acc[0] = t0; acc[1] = t1; acc[2] = t2; acc[3] = t3; acc[4] = t4; acc[5] = t5; acc[6] = t6; acc[7] = t7; acc[8] = t8; acc[9] = tb;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pad(float* src, int h, int w, int pad, float* dst)
    {
        int wp = w + 2 * pad;
        if (pad > 0) new Span<float>(dst, (h + 2 * pad) * wp).Clear();
        for (int r = 0; r < h; r++) Buffer.MemoryCopy(src + r * w, dst + (r + pad) * wp + pad, w * 4L, w * 4L);
    }
}
