namespace HpSearch.Domain.Parameters;

/// <summary>What a trainer parameter's value must be.</summary>
public enum RuleType
{
    /// <summary>A finite JSON number (never a numeric string).</summary>
    Number,
    /// <summary>A whole JSON number.</summary>
    Integer,
    /// <summary>true or false.</summary>
    Boolean,
    /// <summary>One of a fixed set of names.</summary>
    Choice,
    /// <summary>A string (command trainers: passed through as text).</summary>
    Text,
    /// <summary>A whole number or a non-empty array of them (e.g. <c>hidden: [256, 256]</c>).</summary>
    IntegerList,
    /// <summary>A number or a non-empty array of them (e.g. <c>dropout: [0.2, 0.5]</c>).</summary>
    NumberList,
    /// <summary>Any number, string or boolean (an open schema's values).</summary>
    Scalar,
}
