using System.Collections.Concurrent;

namespace MailIntake.Storage;

/// <summary>
/// The DataDirectory is no longer at its path (moved away, renamed, its disk unmounted — an empty mount point or a new
/// folder in its place) while a command or the worker was using it. Nothing is created in its place: files written at
/// the old path would leave the rows, which follow the database already open in the real folder. An error, not a
/// verdict: what was being done waits for the store to be back.
/// </summary>
public sealed class DataDirectoryGoneException(string dataDirectory, Exception? inner = null)
    : IOException($"DataDirectory {dataDirectory} is no longer there (moved, renamed or unmounted)", inner)
{
    /// <summary>The folders pinned by <see cref="Pin"/>, by full path: the identity (device, inode) each had then.</summary>
    private static readonly ConcurrentDictionary<string, (ulong Device, ulong Inode)> Pinned = new(StringComparer.Ordinal);

    public string DataDirectory { get; } = dataDirectory;

    /// <summary>
    /// Notes which folder <paramref name="dataDirectory"/> is now (the worker, once it has locked it): from then on a
    /// different folder at that path — an empty mount point after its disk went away, one made after it was moved — is
    /// taken as the DataDirectory gone, not written into.
    /// </summary>
    public static void Pin(string dataDirectory)
    {
        var full = Path.GetFullPath(dataDirectory);
        if (UnixFiles.Identity(full) is { } identity)
        {
            Pinned[full] = identity;
        }
    }

    /// <summary>Whether <paramref name="dataDirectory"/> is not a folder at its path, or not the one pinned there.</summary>
    public static bool IsGone(string dataDirectory)
    {
        var full = Path.GetFullPath(dataDirectory);
        if (!Directory.Exists(full))
        {
            return true;
        }

        return Pinned.TryGetValue(full, out var pinned) && UnixFiles.Identity(full) != pinned;
    }

    /// <summary>Throws when <paramref name="dataDirectory"/> is gone (<see cref="IsGone"/>).</summary>
    public static void ThrowIfGone(string dataDirectory, Exception? inner = null)
    {
        if (IsGone(dataDirectory))
        {
            throw new DataDirectoryGoneException(Path.GetFullPath(dataDirectory), inner);
        }
    }
}
