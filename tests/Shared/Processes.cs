namespace HpSearch.Testing;

/// <summary>Whether a process the tests started through a trainer still runs.</summary>
public static class Processes
{
    /// <summary>True while the process runs; a zombie (exited, not yet reaped) counts as gone: it runs nothing.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
