using System.Diagnostics;

namespace HpSearch.Api.Tests.Live;

/// <summary>Counts the PostgreSQL commands Npgsql runs against one database (its activities, tagged with the database
/// name), leaving out those whose text carries <see cref="Marker"/> (the test's own writes).</summary>
public sealed class CommandCounter : IDisposable
{
    public const string Marker = "test-writer";

    private readonly ActivityListener _listener;
    private long _count;

    public CommandCounter(string database)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                var ours = false;
                foreach (var tag in a.TagObjects)
                {
                    if (tag.Value is not string value) continue;
                    if (value.Contains(Marker, StringComparison.Ordinal)) return;
                    if (tag.Key is "db.name" or "db.namespace" && value == database) ours = true;
                }
                if (ours && a.OperationName != "connect" && !a.DisplayName.Contains("connect", StringComparison.OrdinalIgnoreCase)) Interlocked.Increment(ref _count);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
