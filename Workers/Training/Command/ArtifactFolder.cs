using HpSearch.Persistence.Artifacts;

namespace HpSearch.Workers.Training.Command;

/// <summary>The empty folder a command trainer's run may write files to (<c>HPSEARCH_ARTIFACT_DIR</c>), private to the run
/// and deleted with everything in it when the run ends.</summary>
public sealed class ArtifactFolder : IDisposable
{
    /// <summary>Longest relative path kept.</summary>
    public const int MaxNameLength = 255;

    private ArtifactFolder(string path) => Path = path;

    public string Path { get; }

    public static ArtifactFolder Create(TrainRequest request)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hpsearch-artifacts",
            $"{request.TrialId:N}-{request.Attempt}-{Guid.NewGuid():N}");
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new ArtifactFolder(path);
    }

    /// <summary>The folder's files in ordinal order of their relative path, up to <paramref name="maxBytes"/> in all and
    /// <paramref name="maxFiles"/> files. Symbolic links (which could point at the worker's own files), over-long names and
    /// files past a limit are not kept: their names come back in <paramref name="skipped"/>. An entry of length 0 is kept
    /// empty without being opened, so a FIFO or device left in the folder cannot block or feed the worker.</summary>
    public IReadOnlyList<ArtifactFile> Collect(long maxBytes, int maxFiles, out List<string> skipped)
    {
        skipped = [];
        var kept = new List<ArtifactFile>();
        long total = 0;
        foreach (var (relative, file) in Walk(new DirectoryInfo(Path), "").OrderBy(f => f.Relative, StringComparer.Ordinal))
        {
            if (file is null || relative.Length > MaxNameLength || kept.Count >= maxFiles || total + file.Length > maxBytes)
            {
                skipped.Add(relative);
                continue;
            }
            var data = file.Length == 0 ? [] : File.ReadAllBytes(file.FullName);
            total += data.Length;
            kept.Add(new ArtifactFile(relative, data));
        }
        return kept;
    }

    /// <summary>Every entry below <paramref name="dir"/>: files with their info, links with null; linked folders are not entered.</summary>
    private static IEnumerable<(string Relative, FileInfo? File)> Walk(DirectoryInfo dir, string prefix)
    {
        foreach (var entry in dir.EnumerateFileSystemInfos())
        {
            var relative = prefix + entry.Name;
            if (entry.LinkTarget is not null) yield return (relative, null);
            else if (entry is DirectoryInfo sub)
                foreach (var inner in Walk(sub, relative + "/")) yield return inner;
            else yield return (relative, (FileInfo)entry);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}
