namespace HpSearch.Api.Experiments;

/// <summary>The experiment spec as a body type in the OpenAPI document (its schema is <see cref="ExperimentSpecSchema"/>).
/// Never bound: the endpoints read the raw JSON and <see cref="Domain.Experiments.ExperimentSpec.TryParse"/> validates it.</summary>
public sealed class ExperimentSpecBody;
