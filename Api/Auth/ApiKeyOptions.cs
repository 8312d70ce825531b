namespace HpSearch.Api.Auth;

/// <summary>The key writes must present in <c>X-Api-Key</c>; reads are open unless <see cref="ReadsNeedKey"/>.</summary>
public sealed class ApiKeyOptions
{
    public string ApiKey { get; set; } = "";
    public bool ReadsNeedKey { get; set; }
}
