using System.Globalization;
using System.Text;

namespace MailIntake.Storage;

/// <summary>
/// How far the running worker has seen its database file come (<see cref="DatabaseHeaderMark"/>), kept beside it in
/// <see cref="FileName"/> each time that changes (a checkpoint wrote the file): a command run beside the worker compares
/// the file with it before it records or sends anything. An older copy written over the database is otherwise seen only
/// by the worker, at its next connection, and a command run in the seconds before that worked on the copy as on a good
/// store (h21h L2: a follow-up sent a notice a second time, and an extension notice saying no reply had come).
/// The mark is the worker's only while that worker runs: it names its PID and the database file's identity, and a
/// command trusts it only while that PID holds the DataDirectory's lock and the path names that same file.
/// </summary>
public static class WorkerDatabaseMark
{
    public const string FileName = "worker-database-mark.txt";

    /// <summary>Writes the mark (write-then-rename, 0600). Not flushed to the disk: after a power loss no worker runs, and no command trusts it.</summary>
    public static void Write(string dataDirectory, (ulong Device, ulong Inode) database, DatabaseHeaderMark reached)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var temp = Path.Combine(dataDirectory, $".{FileName}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.tmp");
        var text = string.Create(CultureInfo.InvariantCulture,
            $"pid={Environment.ProcessId}\ndevice={database.Device}\ninode={database.Inode}\ngeneration={reached.Generation}\npages={reached.Pages}\n");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temp, options))
        {
            file.Write(Encoding.ASCII.GetBytes(text));
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Whether the database file at <paramref name="databasePath"/> is behind what the worker running on
    /// <paramref name="dataDirectory"/> has seen of it: an older copy written over it while it runs. False whenever that
    /// cannot be said (no worker runs, no readable mark, the mark another process's, the path another file).
    /// </summary>
    public static bool IsOlderCopyUnderWorker(string dataDirectory, string databasePath)
    {
        if (OperatingSystem.IsWindows() || Read(Path.Combine(dataDirectory, FileName)) is not { } seen)
        {
            return false;
        }

        if (DataDirectoryLock.HolderPid(dataDirectory) != seen.Pid
            || UnixFiles.Identity(databasePath) != seen.Database)
        {
            return false;
        }

        // This process holds no SQLite connection yet: closing this descriptor drops no lock of its own.
        using var file = File.OpenHandle(databasePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return DatabaseHeaderMark.Read(file).IsBehind(seen.Reached);
    }

    private static (int Pid, (ulong Device, ulong Inode) Database, DatabaseHeaderMark Reached)? Read(string path)
    {
        string[] lines;
        try
        {
            using var reader = new StreamReader(UnixFiles.OpenRegular(path), Encoding.ASCII);
            lines = reader.ReadToEnd().Split('\n');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // No mark (none written yet, or not a file this program wrote): nothing to compare with.
            return null;
        }

        var values = lines.Select(line => line.Split('=', 2)).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        if (Number(values, "pid") is not { } pid || Number(values, "device") is not { } device || Number(values, "inode") is not { } inode
            || Number(values, "generation") is not { } generation || pid > int.MaxValue || generation > uint.MaxValue)
        {
            return null;
        }

        // No page count: the header's was not valid when read (pages=, empty), and is compared as unknown.
        uint? pages = Number(values, "pages") is { } count && count <= uint.MaxValue ? (uint)count : null;
        return ((int)pid, (device, inode), new DatabaseHeaderMark(true, (uint)generation, pages));
    }

    private static ulong? Number(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var text) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
}
