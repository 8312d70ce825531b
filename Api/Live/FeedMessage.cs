using System.Text.Json;

namespace HpSearch.Api.Live;

/// <summary>One notification of the database's change feed (the triggers of migration ChangeFeedAndReadIndexes): an
/// experiment row (<c>e</c>), a trial row (<c>t</c>; <see cref="StatusChanged"/> when it is new or moved), an epoch row
/// (<c>p</c>), or a bulk change of an experiment that only a full re-read covers (<c>r</c>).</summary>
public sealed record FeedMessage(char Kind, Guid ExperimentId, Guid? TrialId = null, int? Epoch = null, bool StatusChanged = false)
{
    public const char Experiment = 'e', Trial = 't', EpochRow = 'p', Resync = 'r';

    /// <summary>Reads a payload; null for one this version does not know (a newer node's trigger), which is skipped.</summary>
    public static FeedMessage? TryParse(string payload)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload);
            var root = doc.RootElement;
            var kind = root.GetProperty("k").GetString() is [var k] ? k : '?';
            var experiment = root.GetProperty("e").GetGuid();
            Guid? trial = root.TryGetProperty("t", out var t) ? t.GetGuid() : null;
            int? epoch = root.TryGetProperty("p", out var p) ? p.GetInt32() : null;
            var changed = root.TryGetProperty("c", out var c) && c.ValueKind == JsonValueKind.True;
            return kind switch
            {
                Experiment or Resync => new FeedMessage(kind, experiment),
                Trial when trial is not null => new FeedMessage(kind, experiment, trial, null, changed),
                EpochRow when trial is not null && epoch is not null => new FeedMessage(kind, experiment, trial, epoch),
                _ => null,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
