using MailIntake.Storage;
using MailIntake.Worker.Options;
using Microsoft.Extensions.Logging;

namespace MailIntake.Worker.Intake;

/// <summary>
/// The embedded default: reads .eml files dropped into a folder, each once it is whole (<see cref="DropFolderFiles"/>).
/// A file is moved to <c>processed/</c> only after it is recorded; a crash in between means it is read again and
/// recognised as already recorded. Only a regular file is read: a symbolic link (which could make any file the service
/// can read — its own action-link key, /etc/shadow — a "received mail"), a FIFO or a device (which would hang the pass)
/// is moved unread to <c>refused/</c> with a warning naming it.
/// </summary>
public sealed partial class FolderMailboxSource(MailboxOptions options, TimeProvider time, ILogger<FolderMailboxSource> logger) : IMailboxSource
{
    public async Task<int> PullAsync(IntakeProcessor processor, CancellationToken cancellationToken)
    {
        var dropFolder = Path.GetFullPath(options.DropFolder);
        Directory.CreateDirectory(dropFolder);
        var processedFolder = Path.Combine(dropFolder, "processed");
        Directory.CreateDirectory(processedFolder);
        var added = 0;
        foreach (var path in DropFolderFiles.Candidates(dropFolder))
        {
            var name = Path.GetFileName(path);
            if (!await DropFolderFiles.WaitUntilWrittenAsync(path, options.DropQuietPeriod, time, cancellationToken))
            {
                // Still being written (or taken away): a half-written file is never read as a mail; a later pass reads it.
                LogStillWritten(name);
                continue;
            }

            FileStream stream;
            try
            {
                stream = UnixFiles.OpenRegular(path);
            }
            catch (NotARegularFileException)
            {
                SetAside(path, dropFolder, name);
                continue;
            }

            await using (stream)
            {
                var result = await processor.IngestAsync(stream, $"folder:{name}", checkpoint: null, cancellationToken);
                added += result.IsNew ? 1 : 0;
            }

            DurableFile.Move(path, UniquePath(processedFolder, name), overwrite: false);
        }

        LogPulled(added, dropFolder);
        return added;
    }

    public Task WaitForMailAsync(CancellationToken cancellationToken) =>
        Task.Delay(options.PollInterval, time, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Moves a link, FIFO or device out of the way by renaming it (which never opens or follows it).</summary>
    private void SetAside(string path, string dropFolder, string name)
    {
        var refusedFolder = Path.Combine(dropFolder, "refused");
        Directory.CreateDirectory(refusedFolder);
        var target = UniquePath(refusedFolder, name);
        File.Move(path, target);
        LogRefused(name, target);
    }

    private static string UniquePath(string folder, string name)
    {
        var target = Path.Combine(folder, name);
        for (var copy = 1; File.Exists(target) || new FileInfo(target).LinkTarget is not null; copy++)
        {
            target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(name)}.{copy}{Path.GetExtension(name)}");
        }

        return target;
    }

    [LoggerMessage(LogLevel.Information, "Drop folder file {Name} is still being written; left for a later pass")]
    private partial void LogStillWritten(string name);

    [LoggerMessage(LogLevel.Warning, "Drop folder file {Name} is not a regular file (a link, FIFO, device or socket): not read, moved to {Target}")]
    private partial void LogRefused(string name, string target);

    [LoggerMessage(LogLevel.Information, "Drop folder {Folder}: {Added} new mail(s)")]
    private partial void LogPulled(int added, string folder);
}
