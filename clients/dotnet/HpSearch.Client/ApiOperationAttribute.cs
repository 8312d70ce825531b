namespace HpSearch.Client;

/// <summary>The OpenAPI operation a client method calls; a test checks every operation of the service's document has one.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiOperationAttribute(string operationId, string method, string path) : Attribute
{
    public string OperationId { get; } = operationId;
    public string Method { get; } = method;
    public string Path { get; } = path;
}
