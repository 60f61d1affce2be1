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
/// One worker per DataDirectory: <c>worker.lock</c> is held open with an exclusive lock (flock on Linux, a share lock on
/// Windows) for as long as the worker runs; the kernel lets go of it when the process ends, however it ends, so a
/// killed worker never leaves a stale lock. Its PID is written beside it (<c>worker.pid</c>) for the second one to name.
/// CLI commands do not take it: they may run beside the worker (SQLite serialises their writes).
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _lock;

    private DataDirectoryLock(FileStream held) => _lock = held;

    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var lockPath = Path.Combine(dataDirectory, "worker.lock");
        var pidPath = Path.Combine(dataDirectory, "worker.pid");
        FileStream held;
        try
        {
            held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            throw new DataDirectoryInUseException(Path.GetFullPath(dataDirectory), ReadPid(pidPath));
        }

        DurableFile.WriteAllText(pidPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return new DataDirectoryLock(held);
    }

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
