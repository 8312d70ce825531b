using System.Numerics;

namespace HpSearch.Engine;

/// <summary>xoshiro128** (Blackman &amp; Vigna 2018) run as <see cref="Vector{T}.Count"/> independent streams, one per
/// SIMD lane, each seeded from an explicit <see cref="Random"/>: a vector of uniform 32-bit draws per call, for
/// per-element masks (dropout). The same seed and vector width give the same sequence.</summary>
public sealed class VectorRandom
{
    private Vector<uint> _s0, _s1, _s2, _s3;

    public VectorRandom(Random seed)
    {
        int lanes = Vector<uint>.Count;
        uint[] s0 = new uint[lanes], s1 = new uint[lanes], s2 = new uint[lanes], s3 = new uint[lanes];
        for (int i = 0; i < lanes; i++)
            do
            {
                s0[i] = (uint)seed.Next(); s1[i] = (uint)seed.Next(); s2[i] = (uint)seed.Next(); s3[i] = (uint)seed.Next();
            } while ((s0[i] | s1[i] | s2[i] | s3[i]) == 0);
        (_s0, _s1, _s2, _s3) = (new(s0), new(s1), new(s2), new(s3));
    }

    public Vector<uint> Next()
    {
        var result = RotateLeft(_s1 * 5u, 7) * 9u;
        var t = Vector.ShiftLeft(_s1, 9);
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
        _s3 = RotateLeft(_s3, 11);
        return result;
    }

    private static Vector<uint> RotateLeft(Vector<uint> x, int k) => Vector.ShiftLeft(x, k) | Vector.ShiftRightLogical(x, 32 - k);
}
