using MailIntake.Worker.Intake;
using MailIntake.Worker.Options;
using Microsoft.Extensions.Logging;
using Quartz;

namespace MailIntake.Worker.Jobs;

/// <summary>
/// The one Quartz job: runs the sweeper named in its job data, then delivers what it queued. Thin on purpose —
/// what is due is decided by the sweeper from the database, so a misfire or a restart cannot send twice.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class SweeperJob(
    IEnumerable<ISweeper> sweepers, OutboxSweeper outbox, DataDirectoryWatch watch, FirstIntakePass firstPass, MailIntakeOptions options, TimeProvider time,
    ILogger<SweeperJob> logger) : IJob
{
    public const string SweeperKey = "sweeper";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var name = context.MergedJobDataMap.GetString(SweeperKey) ?? throw new JobExecutionException("job data names no sweeper");
        var sweeper = sweepers.Single(candidate => candidate.Name == name);
        if (!watch.StillInPlace())
        {
            // Moved away under the worker (the watch has logged it and stops the worker): nothing is written at the old path.
            LogSkipped(name);
            return;
        }

        // At start, what came while the worker was down is fetched first (see FirstIntakePass); the outbox need not wait.
        if (sweeper != outbox && !firstPass.IsDone && !await firstPass.WaitAsync(options.Mailbox.PollInterval, time, cancellationToken))
        {
            LogFirstPassLate(name, options.Mailbox.PollInterval);
        }

        try
        {
            LogDone(name, await sweeper.RunAsync(cancellationToken));
            if (sweeper != outbox)
            {
                await outbox.RunAsync(cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Logged here with the sweeper's name; the next trigger tries again from the database's state.
            LogFailed(exception, name);
            throw new JobExecutionException(exception);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Job {Name} runs before the first intake pass ended (waited {Waited}): mail on the server may not be recorded yet")]
    private partial void LogFirstPassLate(string name, TimeSpan waited);

    [LoggerMessage(LogLevel.Information, "Job {Name}: {Summary}")]
    private partial void LogDone(string name, string summary);

    [LoggerMessage(LogLevel.Error, "Job {Name} failed")]
    private partial void LogFailed(Exception exception, string name);

    [LoggerMessage(LogLevel.Warning, "Job {Name} skipped: the DataDirectory or its database file was moved away, deleted or replaced while the worker ran")]
    private partial void LogSkipped(string name);
}
