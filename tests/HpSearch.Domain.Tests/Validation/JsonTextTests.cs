using System.Text.Json;
using HpSearch.Domain.Validation;

namespace HpSearch.Domain.Tests.Validation;

public class JsonTextTests
{
    private static SpecErrors Check(string json)
    {
        var errors = new SpecErrors();
        using var doc = JsonDocument.Parse(json);
        JsonText.Check(doc.RootElement, "", errors);
        return errors;
    }

    [Theory]
    [InlineData("""{ "note": "two\nlines\tand a tab" }""")]
    [InlineData("""{ "template": { "note": "a\r\nb" } }""")]
    public void Check_AllowsLineBreaksAndTabs_InANote(string json) => Assert.True(Check(json).IsEmpty);

    [Theory]
    [InlineData("""{ "name": "two\nlines" }""", "name")]
    [InlineData("""{ "note": "bell\u0007" }""", "note")]
    [InlineData("""{ "params": { "note": "a\nb" } }""", "params.note")]
    public void Check_RefusesControlCharacters_ElsewhereAndOtherThanLineBreaks(string json, string field) => Assert.True(Check(json).Has(field));
}
