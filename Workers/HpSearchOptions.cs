namespace HpSearch.Workers;

/// <summary>Bound from the "HpSearch" section: where the service keeps its files.</summary>
public sealed class HpSearchOptions
{
    public const string Section = "HpSearch";

    /// <summary>Data folder: data-set cache, generated API key.</summary>
    public string DataDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>Folder of user data sets (IDX or CSV files); optional.</summary>
    public string? UserDataDirectory { get; set; }
}
