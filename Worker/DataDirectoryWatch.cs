using MailIntake.Storage;
using MailIntake.Worker.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MailIntake.Worker;

/// <summary>
/// The worker locks its DataDirectory folder but works by path: a folder moved away (or replaced by a restore) under it
/// must stop it, never be re-created empty at the old path while a second worker locks the new folder there. Which
/// folder the path names is taken when the worker has locked it (<see cref="Start"/>); the intake loop and every job
/// check it before they touch anything, and whichever sees the move first stops the worker (exit 1): an idle worker
/// waiting for mail stops at its next scheduled job, not only at its next intake pass. The database file is noted too:
/// deleted or replaced under the worker, it would take every write into a file no one else sees (h14h G1); written over
/// by an older copy, every write into a file that is no whole database (h15h K3).
/// </summary>
public sealed partial class DataDirectoryWatch(
    MailIntakeOptions options, Database database, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<DataDirectoryWatch> logger)
{
    private readonly Lazy<(ulong Device, ulong Inode)?> _locked = new(() => UnixFiles.Identity(System.IO.Path.GetFullPath(options.DataDirectory)));
    private int _stopping;

    public string Path => System.IO.Path.GetFullPath(options.DataDirectory);

    /// <summary>Notes the folder the path names now: the one just locked.</summary>
    public void Start()
    {
        _ = _locked.Value;
        // What writes below it (raw mail, evidence, the outbox) checks the same: another folder at the path is not it.
        DataDirectoryGoneException.Pin(Path);
        // And the database file in it: deleted or replaced under the worker, it is never written into (h14h G1).
        database.Pin(KeepReached);
    }

    /// <summary>
    /// Keeps how far the database file has come beside it (<see cref="WorkerDatabaseMark"/>), so that a command run
    /// beside the worker refuses an older copy written over it before the worker has seen it (h21h L2). Never at a path
    /// that no longer names the DataDirectory: nothing is made there.
    /// </summary>
    private void KeepReached(DatabaseHeaderMark reached)
    {
        // The pinned file's identity, not the path's: a file put in its place is not the one this mark is of.
        if (_locked.Value is not { } folder || UnixFiles.Identity(Path) != folder || database.Pinned is not { } file)
        {
            return;
        }

        try
        {
            WorkerDatabaseMark.Write(Path, file, reached);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogReachedNotKept(System.IO.Path.Combine(Path, WorkerDatabaseMark.FileName), exception.Message);
        }
    }

    /// <summary>
    /// Why the worker may not go on: the DataDirectory moved away or replaced (<see cref="DataDirectoryGoneException"/>),
    /// or its database file deleted, replaced or written over by an older copy (<see cref="DatabaseReplacedException"/>);
    /// null while both are in place.
    /// </summary>
    /// <remarks>
    /// Or a stop on an older copy recorded beside the database by a command the worker had not seen it before
    /// (<see cref="WorkerStoppedOnOlderCopyException"/>, h22h M3): status says the worker stopped, and so it does.
    /// </remarks>
    public IOException? WhyNotInPlace() =>
        UnixFiles.Identity(Path) != _locked.Value ? new DataDirectoryGoneException(Path)
        : (IOException?)database.WhyNotPinned() ?? WorkerStopMark.Find(options.DataDirectory);

    /// <summary>
    /// Whether the path still names the folder noted at <see cref="Start"/>, and the database path the file noted then.
    /// When it does not, the worker is stopped with exit code 1 (logged once, by whichever caller saw it first).
    /// </summary>
    public bool StillInPlace()
    {
        if (WhyNotInPlace() is not { } why)
        {
            return true;
        }

        if (Interlocked.Exchange(ref _stopping, 1) == 0)
        {
            if (why is DatabaseReplacedException { OlderCopy: true } older)
            {
                LogDatabaseWentBack(older.File);
                RecordStop(older);
            }
            else if (why is DatabaseReplacedException replaced)
            {
                LogDatabaseReplaced(replaced.File);
            }
            else if (why is WorkerStoppedOnOlderCopyException recorded)
            {
                LogStopRecordedBeside(recorded.Mark, recorded.Database);
            }
            else
            {
                LogMoved(Path);
            }

            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }

        return false;
    }

    /// <summary>
    /// Keeps the stop on an older copy beside the database (<see cref="WorkerStopMark"/>): the database is that older copy
    /// and holds nothing of it, so without the mark <c>status</c> reads a quiet store and a start sends again what the
    /// older copy shows queued (h19h H6).
    /// </summary>
    public void RecordStop(DatabaseReplacedException older)
    {
        try
        {
            WorkerStopMark.Record(options.DataDirectory, older.File, TimeZoneInfo.ConvertTime(time.GetUtcNow(), options.Zone));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogStopNotRecorded(WorkerStopMark.PathIn(options.DataDirectory), exception.Message);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not keep how far the database has come in {Mark} ({Error}): a command run on an older copy written over it is refused only once the worker has stopped on it")]
    private partial void LogReachedNotKept(string mark, string error);

    [LoggerMessage(LogLevel.Error, "Could not record the stop in {Mark} ({Error}): status will not name it; restore a backup before starting the worker again")]
    private partial void LogStopNotRecorded(string mark, string error);

    [LoggerMessage(LogLevel.Critical, "A command found database file {File} written over by an older copy and recorded the stop in {Mark}; stopping (nothing more is filed or sent into it: stop every command on this DataDirectory, restore a backup, then start the worker again)")]
    private partial void LogStopRecordedBeside(string mark, string file);

    [LoggerMessage(LogLevel.Critical, "DataDirectory {Path} was moved away or replaced while the worker ran; stopping (start the worker again on the DataDirectory as it is now)")]
    private partial void LogMoved(string path);

    [LoggerMessage(LogLevel.Critical, "Database file {File} was deleted or replaced while the worker ran; stopping (nothing is filed or sent into a file no one else sees: put the database back or restore a backup, then start the worker again)")]
    private partial void LogDatabaseReplaced(string file);

    [LoggerMessage(LogLevel.Critical, "Database file {File} was written over by an older copy while the worker ran (its header went back); stopping (nothing more is filed or sent into it: stop every command on this DataDirectory, restore a backup, then start the worker again)")]
    private partial void LogDatabaseWentBack(string file);
}
