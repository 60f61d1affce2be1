using MailIntake.Storage;
using Microsoft.Extensions.Logging;

namespace MailIntake.Worker.Intake;

/// <summary>One intake pass: finish mails recorded but left unprocessed, then pull what is new from the mailbox.</summary>
public sealed partial class IntakeRunner(
    IMailboxSource source,
    IntakeProcessor processor,
    HealthRepository health,
    TimeSpan pollInterval,
    TimeProvider time,
    ILogger<IntakeRunner> logger)
{
    /// <summary>One pass; its success or failure is recorded for <c>status</c> and the digest.</summary>
    public async Task<int> RunPassAsync(CancellationToken cancellationToken)
    {
        try
        {
            var resumed = await processor.ProcessPendingAsync(cancellationToken);
            if (resumed > 0)
            {
                LogResumed(resumed);
            }

            var added = await source.PullAsync(processor, cancellationToken);
            health.Succeeded(HealthRepository.Intake, time.GetUtcNow());
            return added;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            health.Failed(HealthRepository.Intake, $"{exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}", time.GetUtcNow());
            throw;
        }
    }

    public Task WaitForMailAsync(CancellationToken cancellationToken) => source.WaitForMailAsync(cancellationToken);

    public Task WaitAfterFailureAsync(CancellationToken cancellationToken) => Task.Delay(pollInterval, time, cancellationToken);

    [LoggerMessage(LogLevel.Warning, "Resumed {Count} mail(s) recorded before a stop but not yet processed")]
    private partial void LogResumed(int count);
}
