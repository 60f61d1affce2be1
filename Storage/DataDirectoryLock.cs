using System.Globalization;

namespace MailIntake.Storage;

/// <summary>A second worker found the DataDirectory taken; <see cref="HolderPid"/> is the running one's, when it could be read.</summary>
public sealed class DataDirectoryInUseException(string dataDirectory, int? holderPid)
    : IOException($"DataDirectory {dataDirectory} is in use by another worker (PID {holderPid?.ToString(CultureInfo.InvariantCulture) ?? "unknown"})")
{
    public string DataDirectory { get; } = dataDirectory;

    public int? HolderPid { get; } = holderPid;
}

/// <summary>
/// The DataDirectory's file system is mounted read-only (ext4's <c>errors=remount-ro</c> after a disk error): nothing
/// that writes there (intake, sending, repair) can run; what only reads still can.
/// </summary>
public sealed class DataDirectoryReadOnlyException(string dataDirectory)
    : IOException($"DataDirectory {dataDirectory} is on a read-only file system")
{
    public string DataDirectory { get; } = dataDirectory;
}

/// <summary>
/// The disk that holds <see cref="Folder"/> (the DataDirectory) has no room left: SQLite cannot even grow the files it
/// needs to read the database (<c>-shm</c>, <c>-wal</c>). The database is not damaged: room is what it needs, not a restore.
/// </summary>
public sealed class DiskFullException : IOException
{
    public DiskFullException(string folder, Exception? inner = null)
        : base($"No space left on device : '{folder}'", inner)
    {
        Folder = folder;
        HResult = 28; // ENOSPC, as .NET's own IOException for a full disk carries it
    }

    public string Folder { get; }
}

/// <summary>
/// One worker per DataDirectory. On Linux the lock is an exclusive flock on the DataDirectory folder itself, held for as
/// long as the worker runs: the kernel lets go of it when the process ends, however it ends, so a killed worker never
/// leaves a stale lock, and no file can be deleted to "clear" it (a lock file could be, and a second worker then ran
/// beside the first). On Windows <c>worker.lock</c> is held open without sharing (Windows does not let an open file be
/// deleted). Its PID is written beside it (<c>worker.pid</c>) for the second one to name.
/// CLI commands do not take it: they may run beside the worker (SQLite serialises their writes).
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private readonly IDisposable _lock;

    private DataDirectoryLock(IDisposable held) => _lock = held;

    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var pidPath = Path.Combine(dataDirectory, PidFileName);
        IDisposable held;
        if (OperatingSystem.IsWindows())
        {
            var lockPath = Path.Combine(dataDirectory, "worker.lock");
            try
            {
                held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(lockPath))
            {
                throw new DataDirectoryInUseException(Path.GetFullPath(dataDirectory), ReadPid(pidPath));
            }
        }
        else
        {
            // The holder as the kernel names it; worker.pid only where /proc/locks cannot say.
            held = UnixFiles.TryLockFolder(dataDirectory)
                ?? throw new DataDirectoryInUseException(Path.GetFullPath(dataDirectory), HolderPid(dataDirectory) ?? ReadPid(pidPath));
        }

        if (Directory.Exists(pidPath))
        {
            held.Dispose();
            throw new PidFileIsAFolderException(Path.GetFullPath(pidPath));
        }

        DurableFile.WriteAllText(pidPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return new DataDirectoryLock(held);
    }

    /// <summary>The running worker's PID, written when it took the lock (it may be stale once that worker ended).</summary>
    public const string PidFileName = "worker.pid";

    /// <summary>
    /// Whether a worker holds the lock now, judged without taking it (taking it even for an instant could turn away a
    /// worker starting at that moment): see <see cref="HolderPid"/>.
    /// </summary>
    public static bool WorkerSeemsRunning(string dataDirectory) => HolderPid(dataDirectory) is not null;

    /// <summary>
    /// The PID of the process holding the lock now (the worker, <c>run --once</c>, <c>store repair</c>), or null when none
    /// does. On Linux the kernel's own table of locks (<c>/proc/locks</c>) says which process holds the flock on this very
    /// folder — <c>worker.pid</c> is not read: a stale one naming a reused PID, or one edited or removed by hand, names no
    /// worker (h30h P1); elsewhere, the PID in <c>worker.pid</c> when it names a live process.
    /// </summary>
    public static int? HolderPid(string dataDirectory)
    {
        if (OperatingSystem.IsLinux() && File.Exists(KernelLocks) && UnixFiles.Identity(dataDirectory) is { } folder)
        {
            return UnixFiles.FlockHolder(folder);
        }

        try
        {
            return int.TryParse(File.ReadAllText(Path.Combine(dataDirectory, PidFileName)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId
                && ProcessIdentity.StartOf(pid) is not null
                ? pid
                : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// When the process holding the lock now started (UTC, less a second for the kernel clock's rounding); null when no
    /// process holds it. A file written before then is no work of a running writer: one a killed writer left is not "in
    /// flight" beside the next (h22h M4). The holder's own start, not <c>worker.pid</c>'s time, which a touch, a copy
    /// keeping times or a removal would move (h30h P1). <see cref="DateTime.MinValue"/> when the holder's start cannot
    /// be read: every recent file may then be its.
    /// </summary>
    public static DateTime? WriterRunningSince(string dataDirectory) =>
        HolderPid(dataDirectory) is not { } pid ? null
        : ProcessIdentity.StartOf(pid) is { } started ? started - TimeSpan.FromSeconds(1)
        : DateTime.MinValue;

    private const string KernelLocks = "/proc/locks";

    public void Dispose() => _lock.Dispose();

    private static int? ReadPid(string pidPath)
    {
        // The holder writes its PID just after it takes the lock: a second worker started in that instant waits a moment.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                if (int.TryParse(File.ReadAllText(pidPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    return pid;
                }
            }
            catch (FileNotFoundException)
            {
                // Not written yet.
            }

            Thread.Sleep(50);
        }

        return null;
    }
}

/// <summary>
/// A folder where the worker writes its <c>worker.pid</c> (a restore tool, a failing file system): no worker can start,
/// and nothing else is wrong with the store (h14h G3).
/// </summary>
public sealed class PidFileIsAFolderException(string file) : IOException($"{file} is a folder where the worker writes its PID")
{
    public string File { get; } = file;
}
