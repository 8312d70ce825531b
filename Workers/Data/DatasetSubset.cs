namespace HpSearch.Workers.Data;

/// <summary>A smaller data set cut from a split one: the first N examples of its train and validation splits.
/// The splitter already shuffled each split with its fixed seed, so a prefix is a seeded uniform sample and the
/// same on every machine; the test split is kept whole.</summary>
internal static class DatasetSubset
{
    public static Dataset Take(Dataset full, string name, int train, int val)
    {
        int f = full.Features, nTrain = Math.Min(train, full.TrainCount), nVal = Math.Min(val, full.ValCount);
        return new Dataset
        {
            Name = name, Classes = full.Classes, Channels = full.Channels, Height = full.Height, Width = full.Width,
            TrainX = full.TrainX[..(nTrain * f)], TrainY = full.TrainY[..nTrain],
            ValX = full.ValX[..(nVal * f)], ValY = full.ValY[..nVal],
            TestX = full.TestX, TestY = full.TestY,
        };
    }
}
