using System.Reflection;
using System.Runtime.Loader;
using static TorchSharp.torch;

namespace HpSearch.Workers.Training.TorchSharp;

/// <summary>The custom TorchSharp models of this deployment: every public, non-abstract <c>nn.Module&lt;Tensor, Tensor&gt;</c>
/// with one public constructor in the assemblies (<c>*.dll</c>) of the operator's folder
/// (<c>Trainers:TorchSharp:ModelsDirectory</c>), named by their type name. The API node reads the same folder to
/// validate names; a request only ever names a model, never code or a path.</summary>
public sealed class CustomModelCatalog
{
    private readonly Dictionary<string, CustomModel> _models;

    private CustomModelCatalog(Dictionary<string, CustomModel> models) => _models = models;

    public static CustomModelCatalog Empty { get; } = new([]);

    public IReadOnlyCollection<string> Names => _models.Keys;

    /// <summary>Every constructor parameter of every model (the torchsharp trainer's names beyond the built-in ones).</summary>
    public IReadOnlySet<string> ParameterNames => _models.Values.SelectMany(m => m.Parameters).ToHashSet(StringComparer.Ordinal);

    public bool TryGet(string name, out CustomModel model) => _models.TryGetValue(name, out model!);

    /// <summary>Loads the folder's assemblies; throws when two models share a name or one collides with <c>mlp</c>/<c>cnn</c>.</summary>
    public static CustomModelCatalog Load(string? directory)
    {
        if (string.IsNullOrWhiteSpace(directory)) return Empty;
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Trainers:TorchSharp:ModelsDirectory '{directory}' does not exist.");
        var models = new Dictionary<string, CustomModel>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(directory, "*.dll").Order(StringComparer.Ordinal))
        {
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(path));
            foreach (var type in ModuleTypes(assembly))
            {
                var constructors = type.GetConstructors();
                if (constructors.Length != 1) continue;
                var model = new CustomModel(type, constructors[0]);
                if (model.Name is "mlp" or "cnn" || !models.TryAdd(model.Name, model))
                    throw new InvalidOperationException($"Custom model name '{model.Name}' ({path}) is taken; rename the type.");
            }
        }
        return new CustomModelCatalog(models);
    }

    private static IEnumerable<Type> ModuleTypes(Assembly assembly)
    {
        Type[] types;
        try { types = assembly.GetExportedTypes(); }
        catch (ReflectionTypeLoadException ex) { types = ex.Types.Where(t => t is not null).ToArray()!; }
        return types.Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && typeof(nn.Module<Tensor, Tensor>).IsAssignableFrom(t));
    }
}
