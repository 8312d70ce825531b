using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Tests.Experiments;

public class ArtifactPolicyTests
{
    private const string Base = """
        "name": "a", "dataset": "mnist", "searchSpace": { "lr": { "type": "logUniform", "low": 0.001, "high": 0.1 } }
        """;

    [Fact]
    public void Parse_KeepsTheBestTrialByDefault_WithTheOperatorsRetention()
    {
        var spec = TestSpecs.Parse($$"""{ {{Base}} }""");
        Assert.Equal(1, spec.ArtifactPolicy.KeepTop);
        Assert.Null(spec.ArtifactPolicy.RetentionDays);
    }

    [Fact]
    public void Parse_ReadsKeepTopAndRetentionDays()
    {
        var spec = TestSpecs.Parse($$"""{ {{Base}}, "artifacts": { "keepTop": 0, "retentionDays": 3650 } }""");
        Assert.Equal(new ArtifactPolicy(0, 3650), spec.ArtifactPolicy);
    }

    [Theory]
    [InlineData("""{ "keepTop": 21 }""", "artifacts.keepTop")]
    [InlineData("""{ "keepTop": 1.5 }""", "artifacts.keepTop")]
    [InlineData("""{ "retentionDays": 3651 }""", "artifacts.retentionDays")]
    [InlineData("""{ "retentionDays": 0 }""", "artifacts.retentionDays")]
    [InlineData("""{ "ttl": 3 }""", "artifacts.ttl")]
    [InlineData("\"all\"", "artifacts")]
    public void Parse_RefusesABadPolicy_NamingTheField(string policy, string field)
    {
        var ex = Assert.Throws<Domain.Validation.SpecException>(() => TestSpecs.Parse($$"""{ {{Base}}, "artifacts": {{policy}} }"""));
        Assert.True(ex.Errors.Has(field), string.Join("; ", ex.Errors));
    }
}
