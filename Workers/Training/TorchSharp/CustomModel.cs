using System.Reflection;
using HpSearch.Domain.Search;
using static TorchSharp.torch;

namespace HpSearch.Workers.Training.TorchSharp;

/// <summary>An operator-provided TorchSharp module (a public <c>nn.Module&lt;Tensor, Tensor&gt;</c> with one public
/// constructor) that experiments name in <c>model</c>. Constructor parameters named <c>channels</c>, <c>height</c>,
/// <c>width</c> and <c>classes</c> receive the data set's shape; every other one is a searchable trial parameter
/// (int, long, float, double, bool, string or int[]; optional when it has a default). Input is NCHW.</summary>
public sealed class CustomModel
{
    private static readonly HashSet<string> ShapeNames = new(StringComparer.Ordinal) { "channels", "height", "width", "classes" };
    private readonly ConstructorInfo _constructor;

    internal CustomModel(Type type, ConstructorInfo constructor)
    {
        Type = type;
        _constructor = constructor;
        Name = type.Name;
        Parameters = constructor.GetParameters().Where(p => !ShapeNames.Contains(p.Name!)).Select(p => p.Name!).ToHashSet(StringComparer.Ordinal);
    }

    public string Name { get; }
    public Type Type { get; }

    /// <summary>The trial parameters this model's constructor takes.</summary>
    public IReadOnlySet<string> Parameters { get; }

    internal nn.Module<Tensor, Tensor> Create(IReadOnlyDictionary<string, object> p, int channels, int height, int width, int classes)
    {
        var args = _constructor.GetParameters().Select(c => c.Name switch
        {
            "channels" => Convert(c, channels),
            "height" => Convert(c, height),
            "width" => Convert(c, width),
            "classes" => Convert(c, classes),
            _ when p.TryGetValue(c.Name!, out var v) => Convert(c, v),
            _ when c.HasDefaultValue => c.DefaultValue,
            _ => throw new ArgumentException($"model '{Name}' needs parameter '{c.Name}'."),
        }).ToArray();
        try
        {
            return (nn.Module<Tensor, Tensor>)_constructor.Invoke(args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new ArgumentException($"model '{Name}' could not be built: {ex.InnerException.Message}", ex.InnerException);
        }
    }

    private object? Convert(ParameterInfo c, object v)
    {
        try
        {
            var t = c.ParameterType;
            if (t == typeof(int)) return ParameterValue.AsInt(v);
            if (t == typeof(long)) return (long)ParameterValue.AsInt(v);
            if (t == typeof(double)) return ParameterValue.AsDouble(v);
            if (t == typeof(float)) return (float)ParameterValue.AsDouble(v);
            if (t == typeof(bool)) return ParameterValue.AsBool(v);
            if (t == typeof(string)) return ParameterValue.AsString(v);
            if (t == typeof(int[])) return ParameterValue.AsIntArray(v);
            if (t == typeof(long[])) return ParameterValue.AsIntArray(v).Select(x => (long)x).ToArray();
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw new ArgumentException($"Invalid {c.Name} for model '{Name}': {ex.Message}", ex);
        }
        throw new ArgumentException($"model '{Name}': parameter '{c.Name}' has type {c.ParameterType.Name}, which a trial cannot give.");
    }
}
