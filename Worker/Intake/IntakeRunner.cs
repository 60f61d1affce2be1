using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Mail;
using Microsoft.Extensions.Logging;
using Polly;

namespace MailIntake.Worker.Intake;

/// <summary>One intake pass: finish mails recorded but left unprocessed, then pull what is new from the mailbox.</summary>
public sealed partial class IntakeRunner(
    IMailboxSource source,
    IntakeProcessor processor,
    HealthRepository health,
    ResiliencePipeline pipeline,
    TimeSpan pollInterval,
    TimeProvider time,
    ILogger<IntakeRunner> logger,
    RestoredMails? restored = null)
{
    /// <summary>
    /// One pass, its transient failures retried by the mailbox's pipeline (<see cref="MailResilience.BuildImap"/>): until
    /// it succeeds or <paramref name="cancellationToken"/> stops it, or at most <paramref name="maxRetries"/> times.
    /// Each attempt's success or failure is recorded for <c>status</c> and the digest as it happens.
    /// <paramref name="retryAll"/> (<c>run --once</c>) retries every mail whose processing failed, whatever its backoff.
    /// </summary>
    public async Task<int> RunPassAsync(CancellationToken cancellationToken, int? maxRetries = null, bool retryAll = false)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        if (maxRetries is { } retries)
        {
            context.Properties.Set(MailResilience.MaxRetries, retries);
        }

        try
        {
            return await pipeline.ExecuteAsync(
                static async (attempt, state) => await state.Runner.RunAttemptAsync(attempt.CancellationToken, state.RetryAll),
                context,
                (Runner: this, RetryAll: retryAll));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Waits for new mail, and at the latest until the next failed mail's retry falls due.</summary>
    public Task WaitForMailAsync(CancellationToken cancellationToken) => source.WaitForMailAsync(processor.NextRetryAt(), cancellationToken);

    /// <summary>After a failure the pipeline does not retry (a server NO/BAD, a local error): the loop tries again a poll interval later.</summary>
    public Task WaitAfterFailureAsync(CancellationToken cancellationToken) => Task.Delay(pollInterval, time, cancellationToken);

    private async Task<int> RunAttemptAsync(CancellationToken cancellationToken, bool retryAll)
    {
        try
        {
            // A store folder moved to another disk and linked back is never written through (h14h G4): the pass fails
            // before it takes or processes anything, an error retried, never a verdict on a mail.
            StoreFolderLinkedException.ThrowIfTopLinked(processor.DataDirectory);

            // A damaged mail whose raw file was put back (from a backup) is taken up again by the next pass.
            if (restored is not null && await restored.ReviveAsync(cancellationToken) is > 0 and var revived)
            {
                LogRevived(revived);
            }

            var resumed = await processor.ProcessPendingAsync(cancellationToken, retryAll);
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
            try
            {
                health.Failed(HealthRepository.Intake, FailureText.Line(exception), time.GetUtcNow());
            }
            catch (Exception recording) when (recording is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                // A full disk takes the health row too: the pass's own error is what goes on (and is logged), not this one.
                LogHealthNotRecorded(recording, FailureText.Line(exception));
            }

            throw;
        }
    }

    [LoggerMessage(LogLevel.Error, "Intake failed ({Failure}) and the failure could not be recorded for status")]
    private partial void LogHealthNotRecorded(Exception exception, string failure);

    [LoggerMessage(LogLevel.Warning, "Revived {Count} damaged mail(s) whose raw file holds its recorded bytes again")]
    private partial void LogRevived(int count);

    [LoggerMessage(LogLevel.Warning, "Processed {Count} mail(s) recorded earlier but not processed then (the worker stopped, or their processing failed and its retry fell due)")]
    private partial void LogResumed(int count);
}
