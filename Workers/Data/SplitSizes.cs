namespace HpSearch.Workers.Data;

/// <summary>How many examples of each class go to test and validation (fixed counts or fractions); the rest train.</summary>
internal sealed record SplitSizes(int? TestPerClass, int? ValPerClass, double TestFraction, double ValFraction)
{
    public static SplitSizes PerClass(int test, int val) => new(test, val, 0, 0);
    public static SplitSizes Fractions(double train, double val) => new(null, null, 1 - train - val, val);

    public (int Test, int Val) For(int classCount) => TestPerClass is { } t
        ? (Math.Min(t, classCount / 3), Math.Min(ValPerClass ?? 0, classCount / 3))
        : ((int)Math.Round(classCount * TestFraction), (int)Math.Round(classCount * ValFraction));
}
