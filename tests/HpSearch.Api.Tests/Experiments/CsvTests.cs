using HpSearch.Api.Experiments;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>Exported cells cannot run as spreadsheet formulas (OWASP CSV injection: = + - @ tab CR).</summary>
public sealed class CsvTests
{
    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+cmd", "'+cmd")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("+1e-3", "+1e-3")]
    [InlineData("adam", "adam")]
    [InlineData("a,b", "\"a,b\"")]
    public void Field_NeutralisesFormulaStarts_ButKeepsNumbers(string cell, string expected) =>
        Assert.Equal(expected, Csv.Field(cell));
}
