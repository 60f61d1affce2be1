using MailIntake.Storage;
using MailIntake.Worker.Options;
using Microsoft.Extensions.Logging;

namespace MailIntake.Worker.Intake;

/// <summary>
/// The embedded default: reads .eml files dropped into a folder, each once it is whole (<see cref="DropFolderFiles"/>).
/// A file is moved to <c>processed/</c> only after it is recorded; a crash in between means it is read again and
/// recognised as already recorded.
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

            await using (var stream = File.OpenRead(path))
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

    private static string UniquePath(string folder, string name)
    {
        var target = Path.Combine(folder, name);
        for (var copy = 1; File.Exists(target); copy++)
        {
            target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(name)}.{copy}{Path.GetExtension(name)}");
        }

        return target;
    }

    [LoggerMessage(LogLevel.Information, "Drop folder file {Name} is still being written; left for a later pass")]
    private partial void LogStillWritten(string name);

    [LoggerMessage(LogLevel.Information, "Drop folder {Folder}: {Added} new mail(s)")]
    private partial void LogPulled(int added, string folder);
}
