using System.Text.RegularExpressions;

namespace MailIntake.Storage;

/// <summary>Another backup into the same file is running: this one wrote nothing.</summary>
public sealed class BackupBusyException(string backupFile) : Exception($"another backup into {backupFile} is running")
{
    public string BackupFile { get; } = backupFile;
}

/// <summary>
/// A backup into FILE holds <c>.FILE.lock</c> beside it for its whole run, so of two backups into one FILE one runs.
/// The one holding it clears what a killed earlier backup left beside FILE — its database snapshot and its partial
/// zip, each as large as the store — which would otherwise pile up on the backup disk night after night until it is
/// full. The lock file is removed when the backup ends, so nothing is left beside FILE; a backup that had opened it just
/// before and locks it after could then run beside a third one, which at worst makes one of them fail naming a file
/// the other cleared — never a damaged FILE, which each writes by rename.
/// </summary>
public sealed partial class BackupFileLock : IDisposable
{
    /// <summary>.NET's answer when another process holds the file's lock: EWOULDBLOCK on Linux, ERROR_SHARING_VIOLATION on Windows.</summary>
    private static readonly int[] LockHeld = [11, unchecked((int)0x80070020)];

    private readonly FileStream _held;

    private BackupFileLock(FileStream held, int cleared)
    {
        _held = held;
        LeftoversCleared = cleared;
    }

    /// <summary>How many files a killed earlier backup into FILE had left beside it and this one removed.</summary>
    public int LeftoversCleared { get; }

    /// <exception cref="BackupBusyException">Another process holds the lock: a backup into FILE is running.</exception>
    public static BackupFileLock Take(string backupFile)
    {
        var full = Path.GetFullPath(backupFile);
        var folder = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        FileStream held;
        try
        {
            held = new FileStream(Path.Combine(folder, $".{name}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException exception) when (LockHeld.Contains(exception.HResult))
        {
            throw new BackupBusyException(full);
        }

        var cleared = 0;
        foreach (var leftover in Directory.EnumerateFiles(folder, $".{name}.*").Where(path => IsLeftover(Path.GetFileName(path), name)))
        {
            File.Delete(leftover);
            cleared++;
        }

        return new BackupFileLock(held, cleared);
    }

    /// <summary>A backup's own temporary files: <c>.FILE.{guid}.db.tmp</c> (and its journal) and <c>.FILE.{guid}.tmp</c>.</summary>
    private static bool IsLeftover(string fileName, string backupName) =>
        fileName.StartsWith($".{backupName}.", StringComparison.Ordinal) && TempSuffix().IsMatch(fileName[(backupName.Length + 2)..]);

    [GeneratedRegex(@"\A[0-9a-f]{32}(\.db)?\.tmp(-journal)?\z")]
    private static partial Regex TempSuffix();

    public void Dispose()
    {
        File.Delete(_held.Name);
        _held.Dispose();
    }
}
