using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;

namespace MailIntake.Storage;

/// <summary>Another backup into the same file is running: this one wrote nothing.</summary>
public sealed class BackupBusyException(string backupFile) : Exception($"another backup into {backupFile} is running")
{
    public string BackupFile { get; } = backupFile;
}

/// <summary>
/// A backup into FILE holds <c>.FILE.lock</c> beside it for its whole run, so of two backups into one FILE one runs.
/// The one holding it clears what killed earlier backups left in the folder — their database snapshots and partial zips,
/// each as large as the store — which would otherwise pile up on the backup disk night after night until it is full:
/// those into FILE, and those into any other name whose lock file no running backup holds (dated names,
/// <c>store-20261201.zip</c> yesterday, <c>store-20261202.zip</c> today). The lock file is readable by all (0644) and
/// taken with a read-only descriptor when this user may not write it, so a lock root's killed backup left blocks no
/// later backup by the service user; one it may not even read is replaced when no process holds it. The lock file is
/// removed when the backup ends; a lock is checked, once taken, to be on the file the name holds now, so one removed
/// meanwhile is never held for nothing.
/// </summary>
public sealed partial class BackupFileLock : IDisposable
{
    private readonly SafeFileHandle _held;
    private readonly string _path;

    private BackupFileLock(SafeFileHandle held, string path, int cleared, IReadOnlyList<string> kept)
    {
        _held = held;
        _path = path;
        LeftoversCleared = cleared;
        LeftoversKept = kept;
    }

    /// <summary>How many files killed earlier backups in FILE's folder had left and this one removed (their lock files too).</summary>
    public int LeftoversCleared { get; }

    /// <summary>A killed backup's files this user may not remove (another user's, in a folder with the sticky bit).</summary>
    public IReadOnlyList<string> LeftoversKept { get; }

    /// <exception cref="BackupBusyException">Another process holds the lock: a backup into FILE is running.</exception>
    public static BackupFileLock Take(string backupFile)
    {
        var full = Path.GetFullPath(backupFile);
        var folder = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        var path = LockPath(folder, name);
        var held = UnixFiles.TryLockFile(path, create: true) ?? throw new BackupBusyException(full);
        try
        {
            var kept = new List<string>();
            var cleared = ClearLeftovers(folder, name, kept);
            foreach (var lockFile in Directory.EnumerateFiles(folder, ".*.lock"))
            {
                var other = Path.GetFileName(lockFile)[1..^".lock".Length];
                if (other != name && other.Length > 0 && IsBackupLock(lockFile))
                {
                    cleared += ClearKilledBackup(folder, other, kept);
                }
            }

            return new BackupFileLock(held, path, cleared, kept);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    private static string LockPath(string folder, string name) => Path.Combine(folder, $".{name}.lock");

    /// <summary>A backup's lock file: empty, a regular file (not a link). Another program's <c>.x.lock</c> that holds anything is not touched.</summary>
    private static bool IsBackupLock(string path) =>
        !UnixFiles.IsSpecialOrLink(path) && new FileInfo(path) is { Exists: true, Length: 0 };

    /// <summary>Clears another name's leftovers and its lock file, holding that lock meanwhile; nothing when a backup into it runs.</summary>
    private static int ClearKilledBackup(string folder, string name, List<string> kept)
    {
        var path = LockPath(folder, name);
        using var held = UnixFiles.TryLockFile(path, create: false);
        if (held is null)
        {
            return 0; // running (or gone meanwhile)
        }

        var cleared = ClearLeftovers(folder, name, kept);
        if (Remove(path, kept))
        {
            cleared++;
        }

        return cleared;
    }

    private static int ClearLeftovers(string folder, string name, List<string> kept) =>
        Directory.EnumerateFiles(folder, $".{name}.*").Where(path => IsLeftover(Path.GetFileName(path), name)).ToList().Count(path => Remove(path, kept));

    private static bool Remove(string path, List<string> kept)
    {
        if (UnixFiles.TryRemove(path) || !File.Exists(path))
        {
            return true;
        }

        kept.Add(path);
        return false;
    }

    /// <summary>A backup's own temporary files: <c>.FILE.{guid}.db.tmp</c> (and its journal) and <c>.FILE.{guid}.tmp</c>.</summary>
    private static bool IsLeftover(string fileName, string backupName) =>
        fileName.StartsWith($".{backupName}.", StringComparison.Ordinal) && TempSuffix().IsMatch(fileName[(backupName.Length + 2)..]);

    [GeneratedRegex(@"\A[0-9a-f]{32}(\.db)?\.tmp(-journal)?\z")]
    private static partial Regex TempSuffix();

    public void Dispose()
    {
        // Removed while still held, so no backup can take the old one after this one lets go. In a folder with the sticky
        // bit another user's lock file cannot be removed: it stays, readable to all, and blocks no later backup.
        if (UnixFiles.SameFile(_held, _path))
        {
            _ = UnixFiles.TryRemove(_path);
        }

        _held.Dispose();
    }
}
