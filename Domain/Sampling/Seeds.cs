namespace HpSearch.Domain.Sampling;

/// <summary>Derives independent, reproducible seeds (SplitMix64 mixing) so trial n's draw does not depend on the order trials run in.</summary>
public static class Seeds
{
    public static int Derive(int seed, int stream, int index = 0)
    {
        ulong z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)(uint)stream * 0xBF58476D1CE4E5B9UL + (ulong)(uint)index * 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
