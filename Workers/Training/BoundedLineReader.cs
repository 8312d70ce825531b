using System.Text;

namespace HpSearch.Workers.Training;

/// <summary>Reads lines from a program's stdout keeping at most <c>maxLength</c> characters of each: the rest of a longer
/// line is read and dropped, so a line without an end cannot fill the worker's memory.</summary>
public sealed class BoundedLineReader(TextReader reader, int maxLength)
{
    private readonly char[] _one = new char[1];

    /// <summary>The next line (cut to the limit), or null at the end of the stream.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        var any = false;
        while (true)
        {
            var n = await reader.ReadAsync(_one.AsMemory(), cancellationToken);
            if (n == 0) return any ? sb.ToString() : null;
            any = true;
            var c = _one[0];
            if (c == '\n') return sb.ToString();
            if (c == '\r') continue;
            if (sb.Length < maxLength) sb.Append(c);
        }
    }
}
