using System.Text.RegularExpressions;

namespace MailIntake.Storage;

/// <summary>
/// Which files in DataDirectory are the store's own, so that verify may call them orphans or leftovers and repair may
/// remove them: a regular file (no symbolic link, on a path without one below DataDirectory) whose name is one the store
/// itself writes. Anything else — a link to another disk, a folder, a file someone put there — is reported and left alone.
/// </summary>
public static partial class OwnFiles
{
    /// <summary>A content store's file: <c>raw/ab/ab…(64 hex).eml</c> or <c>evidence/ab/ab…(64 hex).bin</c>.</summary>
    public static bool IsContentName(string fileName, string extension) =>
        fileName.EndsWith(extension, StringComparison.Ordinal) && ContentName().IsMatch(fileName[..^extension.Length]);

    /// <summary>A content store's temporary file (<c>tmp/(32 hex)</c>).</summary>
    public static bool IsStoreTempName(string fileName) => GuidName().IsMatch(fileName);

    /// <summary>A write-then-rename temporary file: <c>.NAME.(32 hex).tmp</c> (also a backup's snapshot).</summary>
    public static bool IsDurableTempName(string fileName) => DurableTempName().IsMatch(fileName);

    /// <summary>True when the path is, or passes through, a symbolic link below <paramref name="dataDirectory"/>.</summary>
    public static bool PassesThroughLink(string dataDirectory, string relativePath)
    {
        var current = Path.GetFullPath(dataDirectory);
        foreach (var part in relativePath.Split('/', '\\', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            if (IsLink(current))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="path"/> is DataDirectory or lies inside it, however spelled (links, <c>..</c>): a file
    /// the store may own, which a command's output (a backup, an export, a raw mail written out) must never replace.
    /// </summary>
    public static bool IsInside(string dataDirectory, string path)
    {
        var root = UnixFiles.RealPath(dataDirectory).TrimEnd(System.IO.Path.DirectorySeparatorChar);
        var target = UnixFiles.RealPath(path);
        return target == root || target.StartsWith(root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>True when the entry itself (not what it points to) is a symbolic link.</summary>
    public static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    /// <summary>
    /// Deletes a file only if it is still the store's own: a regular file, reached without a link, named as
    /// <paramref name="isOwnName"/> accepts. False (and nothing deleted) otherwise.
    /// </summary>
    public static bool DeleteIfOwn(string dataDirectory, string relativePath, Func<string, bool> isOwnName)
    {
        var full = Path.Combine(Path.GetFullPath(dataDirectory), relativePath);
        if (!isOwnName(Path.GetFileName(full)) || PassesThroughLink(dataDirectory, relativePath) || !File.Exists(full))
        {
            return false;
        }

        File.Delete(full);
        return true;
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex ContentName();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex GuidName();

    [GeneratedRegex(@"^\.(.+\.[0-9a-f]{32}|backup-[0-9a-f]{32}\.db)\.tmp$")]
    private static partial Regex DurableTempName();
}
