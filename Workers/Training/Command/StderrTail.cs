namespace HpSearch.Workers.Training.Command;

/// <summary>The last lines a program wrote to stderr, kept for the failure message (thread-safe: filled by the reader thread).</summary>
public sealed class StderrTail(int capacity)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            while (_lines.Count > capacity) _lines.Dequeue();
        }
    }

    public IReadOnlyList<string> Lines
    {
        get { lock (_gate) return _lines.ToList(); }
    }

    /// <summary>" stderr (last n lines):\n..." or "" when nothing was written.</summary>
    public string Describe()
    {
        var lines = Lines;
        return lines.Count == 0 ? " (stderr was empty)" : $" stderr (last {lines.Count} lines):\n{string.Join('\n', lines)}";
    }
}
