using Microsoft.Extensions.Logging;

namespace MailIntake.Worker.Intake;

/// <summary>One intake pass: finish mails recorded but left unprocessed, then pull what is new from the mailbox.</summary>
public sealed partial class IntakeRunner(
    IMailboxSource source, IntakeProcessor processor, TimeSpan pollInterval, TimeProvider time, ILogger<IntakeRunner> logger)
{
    public async Task<int> RunPassAsync(CancellationToken cancellationToken)
    {
        var resumed = await processor.ProcessPendingAsync(cancellationToken);
        if (resumed > 0)
        {
            LogResumed(resumed);
        }

        return await source.PullAsync(processor, cancellationToken);
    }

    public Task WaitForMailAsync(CancellationToken cancellationToken) => source.WaitForMailAsync(cancellationToken);

    public Task WaitAfterFailureAsync(CancellationToken cancellationToken) => Task.Delay(pollInterval, time, cancellationToken);

    [LoggerMessage(LogLevel.Warning, "Resumed {Count} mail(s) recorded before a stop but not yet processed")]
    private partial void LogResumed(int count);
}
