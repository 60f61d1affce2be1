using System.Globalization;
using System.Text;
using MailIntake.Storage;
using MailIntake.Worker.Options;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker;

/// <summary>
/// The worker stopped because its database file was written over by an older copy while it ran (h15h K3). The database
/// is that older copy — it holds nothing of the stop, and reads as a store with less history and mail queued that was
/// already sent — so the stop is kept beside it: a small file in the DataDirectory (<see cref="FileName"/>, 0600, written
/// durably by write-then-rename). <c>status</c> names it and <c>run</c>, <c>run --once</c>, <c>jobs run</c> and
/// <c>store repair</c> refuse to work on the older copy while it is there (h19h H6). It goes when the admin restores a
/// backup into the emptied (moved aside) DataDirectory, or is deleted by hand to go on with the database as it is.
/// </summary>
public static class WorkerStopMark
{
    public const string FileName = "worker-stopped-older-database.txt";

    private const string AtLine = "stopped-at=";
    private const string DatabaseLine = "database=";

    public static string PathIn(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), FileName);

    /// <summary>Records the stop (once: the first one's time is kept).</summary>
    public static void Record(string dataDirectory, string databaseFile, DateTimeOffset at)
    {
        var path = PathIn(dataDirectory);
        if (Path.Exists(path))
        {
            return;
        }

        var text = $"{AtLine}{at.ToString("O", CultureInfo.InvariantCulture)}\n{DatabaseLine}{databaseFile}\n" +
                   "收件服務已停止：此資料庫檔案於執行中被較舊之副本覆寫。請停止所有使用此資料目錄之程式，將資料目錄移開後，" +
                   "以 restore 備份檔 --to 資料目錄 還原，再啟動收件服務；僅在確定沿用目前之資料庫時才刪除本檔，刪除後先執行 store repair（此副本未登錄之原始郵件由此重新登錄；其回執及此副本顯示待寄之郵件將再寄出一次），再啟動收件服務。\n";
        DurableFile.WriteAsync(path, (stream, token) => stream.WriteAsync(Encoding.UTF8.GetBytes(text), token).AsTask(), CancellationToken.None,
            UnixFileMode.UserRead | UnixFileMode.UserWrite).GetAwaiter().GetResult();
    }

    /// <summary>The recorded stop, or null when there is none.</summary>
    public static WorkerStoppedOnOlderCopyException? Find(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        if (!Path.Exists(path) && new FileInfo(path).LinkTarget is null)
        {
            return null;
        }

        DateTimeOffset? at = null;
        string? database = null;
        try
        {
            using var reader = new StreamReader(UnixFiles.OpenRegular(path), Encoding.UTF8);
            while (reader.ReadLine() is { } line)
            {
                if (line.StartsWith(AtLine, StringComparison.Ordinal)
                    && DateTimeOffset.TryParse(line[AtLine.Length..], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var stopped))
                {
                    at = stopped;
                }
                else if (line.StartsWith(DatabaseLine, StringComparison.Ordinal))
                {
                    database = line[DatabaseLine.Length..];
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Present but unreadable (or not a regular file): still the stop; its details unknown.
            at = null;
        }

        return new WorkerStoppedOnOlderCopyException(path, database ?? Path.Combine(Path.GetFullPath(dataDirectory), "mailintake.db"), at);
    }

    /// <summary>
    /// Records and throws the stop when the database is an older copy written over it under the running worker, which
    /// the worker has not seen yet (<see cref="WorkerDatabaseMark"/>): the stop it is about to make (h21h L2).
    /// </summary>
    public static void RefuseOlderCopyUnderWorker(IServiceProvider services)
    {
        var options = services.GetRequiredService<MailIntakeOptions>();
        var database = services.GetRequiredService<Database>().Path;
        if (WorkerDatabaseMark.IsOlderCopyUnderWorker(options.DataDirectory, database))
        {
            Record(options.DataDirectory, database, TimeZoneInfo.ConvertTime(services.GetRequiredService<TimeProvider>().GetUtcNow(), options.Zone));
            RefuseWhileStopped(options.DataDirectory);
        }
    }

    /// <summary>Throws the recorded stop, if any: nothing may work on the older copy until the admin has restored.</summary>
    public static void RefuseWhileStopped(string dataDirectory)
    {
        if (Find(dataDirectory) is { } stopped)
        {
            throw stopped;
        }
    }
}

/// <summary>The worker stopped on an older copy of its database (<see cref="WorkerStopMark"/>).</summary>
public sealed class WorkerStoppedOnOlderCopyException(string mark, string database, DateTimeOffset? at)
    : IOException($"The worker stopped at {at?.ToString("O", CultureInfo.InvariantCulture) ?? "an unknown time"}: {database} was written over by an older copy ({mark})")
{
    public string Mark { get; } = mark;

    public string Database { get; } = database;

    public DateTimeOffset? At { get; } = at;
}
