using HpSearch.Api.Auth;
using Microsoft.Extensions.Configuration;

namespace HpSearch.Api.Tests.Hostile;

/// <summary>The first admin key: a configured key must be long enough, and a generated one is written readable by its
/// owner only, from the moment the file exists.</summary>
public sealed class ApiKeyLoadTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"hpsearch-keyload-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData("short-key")]
    [InlineData("fifteen-chars-x")]
    [InlineData("sixteen chars ok")] // a space is not a printable key character
    public void Load_Refuses_AConfiguredKeyShorterThan16PrintableCharacters(string key)
    {
        var e = Assert.Throws<InvalidOperationException>(() => ApiKeyAuth.Load(Configuration(key)));
        Assert.Contains("HpSearch:ApiKey", e.Message);
    }

    [Fact]
    public void Load_AcceptsAConfiguredKeyOf16Characters()
    {
        Assert.Equal("0123456789abcdef", ApiKeyAuth.Load(Configuration("0123456789abcdef")).ApiKey);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Load_CreatesTheKeyFile_WithMode600_AndReadsItBackNextTime()
    {
        var first = ApiKeyAuth.Load(Configuration(null)).ApiKey;
        var file = Path.Combine(_dir, "api-key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(48, first.Length);
        Assert.Equal(first, ApiKeyAuth.Load(Configuration(null)).ApiKey);
    }

    [Fact]
    public void Load_Refuses_AKeyFileHoldingAShortKey()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "api-key"), "abc\n");
        var e = Assert.Throws<InvalidOperationException>(() => ApiKeyAuth.Load(Configuration(null)));
        Assert.Contains("api-key", e.Message);
    }

    private IConfiguration Configuration(string? key) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["HpSearch:ApiKey"] = key,
        ["HpSearch:DataDirectory"] = _dir,
    }).Build();
}
