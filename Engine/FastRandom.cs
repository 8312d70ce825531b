namespace HpSearch.Engine;

/// <summary>xoshiro128** (Blackman &amp; Vigna 2018), seeded from an explicit <see cref="Random"/>: fast per-element
/// draws for dropout masks and augmentation, reproducible for a given seed.</summary>
public sealed class FastRandom
{
    private uint _s0, _s1, _s2, _s3;

    public FastRandom(Random seed)
    {
        do
        {
            _s0 = (uint)seed.Next(); _s1 = (uint)seed.Next(); _s2 = (uint)seed.Next(); _s3 = (uint)seed.Next();
        } while ((_s0 | _s1 | _s2 | _s3) == 0);
    }

    public uint NextUInt()
    {
        uint result = uint.RotateLeft(_s1 * 5, 7) * 9;
        uint t = _s1 << 9;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
        _s3 = uint.RotateLeft(_s3, 11);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public float NextFloat() => (NextUInt() >> 8) * (1f / (1 << 24));

    public int Next(int maxExclusive) => (int)((ulong)NextUInt() * (uint)maxExclusive >> 32);
}
