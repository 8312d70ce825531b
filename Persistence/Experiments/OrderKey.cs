namespace HpSearch.Persistence.Experiments;

/// <summary>One key of an epoch's order (value, then trial id for ties) and its 0-based rank in ascending order.</summary>
public readonly record struct OrderKey(int Rank, double Value, Guid Trial)
{
    /// <summary>Compares as PostgreSQL's row comparison <c>(value, trial_id)</c> does: by value, then by the uuid's bytes.</summary>
    public int CompareTo(OrderKey other)
    {
        var byValue = Value.CompareTo(other.Value);
        return byValue != 0 ? byValue : UuidOrder(Trial, other.Trial);
    }

    // PostgreSQL orders uuids by their 16 bytes as written (big-endian); .NET's Guid.CompareTo does not, hence the bytes.
    private static int UuidOrder(Guid a, Guid b)
    {
        Span<byte> x = stackalloc byte[16], y = stackalloc byte[16];
        a.TryWriteBytes(x, bigEndian: true, out _);
        b.TryWriteBytes(y, bigEndian: true, out _);
        return x.SequenceCompareTo(y);
    }
}
