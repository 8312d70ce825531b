using HpSearch.Domain.Experiments;
using HpSearch.Domain.Search;

namespace HpSearch.Domain.Sampling;

/// <summary>
/// Tree-structured Parzen Estimator (Bergstra et al., NeurIPS 2011, https://papers.nips.cc/paper/4443-algorithms-for-hyper-parameter-optimization;
/// multivariate form: Falkner et al., ICML 2018, https://arxiv.org/abs/1807.01774). After a seeded random start-up, the trials
/// are ranked and split into a good group l and the rest g; candidates drawn from l(x) are scored by l(x)/g(x).
/// Ranking as Optuna does with pruners: completed trials by value, then pruned ones by the depth they reached and their
/// last value there, then diverged ones; queued and running trials count as the worst (constant liar). docs/decisions/0014-tpe-sampler.md.
/// With several objectives this is MOTPE (Ozaki et al., GECCO 2020, https://doi.org/10.1145/3377930.3389817): completed trials
/// rank by non-domination rank, then by their hypervolume contribution within their rank. docs/decisions/0020-several-objectives.md.
/// </summary>
public sealed class TpeSampler(IReadOnlyList<Objective> objectives, TpeOptions options, int seed) : ISampler
{
    private readonly Objective objective = objectives[0];

    public TpeSampler(Objective objective, TpeOptions options, int seed) : this([objective], options, seed)
    {
    }

    public TpeOptions Options { get; } = options;

    public int? Size(SearchSpace space) => null;

    public IReadOnlyDictionary<string, object> Suggest(SearchSpace space, int trialNumber, IReadOnlyList<TrialRecord> history)
    {
        var rng = new Random(Seeds.Derive(seed, 3, trialNumber));
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var searched = space.Parameters.Where(p => p.Kind != ParameterKind.Fixed).ToList();
        foreach (var p in space.Parameters.Where(p => p.Kind == ParameterKind.Fixed)) values[p.Name] = p.Choices[0];

        var split = Split(history);
        if (split is null)
        {
            foreach (var p in searched) values[p.Name] = RandomSampler.Draw(p, rng);
            return values;
        }
        // Multivariate: one joint density per set of parameters that exist together (the unconditional ones, and each
        // condition's), since a trial only says something about the parameters it had (Optuna's group decomposition).
        var groups = Options.Multivariate
            ? searched.GroupBy(p => p.When?.Key ?? "").Select(g => (IReadOnlyList<ParameterSpec>)g.ToList()).ToList()
            : searched.Select(p => (IReadOnlyList<ParameterSpec>)[p]).ToList();
        foreach (var group in groups)
        {
            var point = Choose(group, split.Value.Good, split.Value.Bad, rng);
            for (var j = 0; j < group.Count; j++) values[group[j].Name] = point[j];
        }
        return values;
    }

    /// <summary>The candidate with the largest log l(x) − log g(x) among <see cref="TpeOptions.Candidates"/> draws from l.</summary>
    private object[] Choose(IReadOnlyList<ParameterSpec> group, IReadOnlyList<TrialRecord> good, IReadOnlyList<TrialRecord> bad, Random rng)
    {
        var l = new ParzenEstimator(group, Observations(group, good));
        var g = new ParzenEstimator(group, Observations(group, bad));
        object[]? best = null;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < Options.Candidates; i++)
        {
            var x = l.Sample(rng);
            var score = l.LogPdf(x) - g.LogPdf(x);
            if (best is null || score > bestScore)
            {
                best = x;
                bestScore = score;
            }
        }
        return best!;
    }

    private static List<object[]> Observations(IReadOnlyList<ParameterSpec> group, IReadOnlyList<TrialRecord> trials) =>
        trials.Where(t => group.All(p => t.Params.TryGetValue(p.Name, out var v) && Fits(p, v)))
            .Select(t => group.Select(p => t.Params[p.Name]).ToArray()).ToList();

    private static bool Fits(ParameterSpec p, object v)
    {
        try { return p.Contains(v); }
        catch (FormatException) { return false; }
    }

    /// <summary>The good and bad groups, or null while in the random start-up phase (fewer trials with an outcome than
    /// <see cref="TpeOptions.StartupTrials"/>, or none).</summary>
    public (IReadOnlyList<TrialRecord> Good, IReadOnlyList<TrialRecord> Bad)? Split(IReadOnlyList<TrialRecord> history)
    {
        var ranked = Rank(history);
        if (ranked.Count == 0 || ranked.Count < Options.StartupTrials) return null;
        var pending = Options.ConstantLiar ? history.Where(t => t.Status is TrialStatus.Queued or TrialStatus.Running).ToList() : [];
        var good = Math.Min(Options.GoodCount(ranked.Count + pending.Count), ranked.Count);
        return (ranked.Take(good).ToList(), [.. ranked.Skip(good), .. pending]);
    }

    /// <summary>Finished trials best first: completed by value; pruned by the epoch they reached (deeper first), then their
    /// last value; then diverged ones and those without a value. Failed and cancelled trials say nothing about their parameters.
    /// With several objectives the completed ones come first by <see cref="MultiObjectiveOrder"/>.</summary>
    public IReadOnlyList<TrialRecord> Rank(IReadOnlyList<TrialRecord> history)
    {
        var finished = history.Where(t => t.Status is TrialStatus.Completed or TrialStatus.Pruned or TrialStatus.Diverged).ToList();
        IReadOnlyList<TrialRecord> front = objectives.Count > 1 ? MultiObjectiveOrder(finished) : [];
        var rest = finished.Except(front)
            .Select(t => (Trial: t, Key: Key(t)))
            .OrderBy(x => x.Key.Group).ThenByDescending(x => x.Key.Depth).ThenBy(x => x.Key.Loss).ThenBy(x => x.Trial.Number)
            .Select(x => x.Trial);
        return [.. front, .. rest];
    }

    /// <summary>The completed trials with a value of every objective, best first: by non-domination rank, then by the
    /// hypervolume each adds to its rank (losses scaled to [0, 1] per objective, reference point 1.1), then by number.</summary>
    public IReadOnlyList<TrialRecord> MultiObjectiveOrder(IReadOnlyList<TrialRecord> trials)
    {
        var done = trials.Where(t => t.Status == TrialStatus.Completed)
            .Select(t => (Trial: t, Values: t.ObjectiveValues(objectives)))
            .Where(x => x.Values is not null).ToList();
        if (done.Count == 0) return [];
        var losses = done.Select(x => Strategies.ParetoFront.Losses(x.Values!, objectives)).ToList();
        var scaled = losses.Select(l => new double[l.Length]).ToList();
        for (var d = 0; d < objectives.Count; d++)
        {
            var (min, max) = (losses.Min(l => l[d]), losses.Max(l => l[d]));
            for (var i = 0; i < losses.Count; i++) scaled[i][d] = max > min ? (losses[i][d] - min) / (max - min) : 0;
        }
        var ranks = Strategies.ParetoFront.Ranks(scaled);
        var reference = Enumerable.Repeat(1.1, objectives.Count).ToArray();
        var contribution = new double[done.Count];
        foreach (var layer in Enumerable.Range(0, done.Count).GroupBy(i => ranks[i]))
        {
            var members = layer.ToList();
            var c = Hypervolume.Contributions(members.Select(i => (IReadOnlyList<double>)scaled[i]).ToList(), reference);
            for (var k = 0; k < members.Count; k++) contribution[members[k]] = c[k];
        }
        return Enumerable.Range(0, done.Count)
            .OrderBy(i => ranks[i]).ThenByDescending(i => contribution[i]).ThenBy(i => done[i].Trial.Number)
            .Select(i => done[i].Trial).ToList();
    }

    private (int Group, int Depth, double Loss) Key(TrialRecord t)
    {
        double Loss(double v) => objective.AsLoss(v);
        if (t.Status == TrialStatus.Completed && objectives.Count == 1 && t.BestValue(objective) is { } best) return (0, 0, Loss(best));
        if (t.Status == TrialStatus.Pruned)
        {
            var last = t.Epochs.LastOrDefault(e => double.IsFinite(e.Get(objective.Metric)));
            if (last is not null) return (1, last.Epoch, Loss(last.Get(objective.Metric)));
        }
        return (2, 0, 0);
    }
}
