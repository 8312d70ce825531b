namespace HpSearch.Persistence.Trials;

/// <summary>The attempt a run now owns, and how many earlier attempts died without finishing (this one's start counted them).</summary>
public sealed record AttemptStart(int Attempt, int WorkerDeaths);
