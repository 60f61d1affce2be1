using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace MailIntake.Worker.Mail;

/// <summary>
/// One retry pipeline per failure domain (imap, smtp), registered once by key. Only transient network errors are
/// retried; an authentication failure or a server NO/BAD is not: retrying would not change the answer.
/// </summary>
public static class MailResilience
{
    public const string Imap = "imap";
    public const string Smtp = "smtp";

    /// <summary>The longest wait between two IMAP reconnects, however long the server has been away.</summary>
    public static readonly TimeSpan ImapMaxDelay = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Retries allowed in one execution of the IMAP pipeline. Unset, the running worker reconnects until it is stopped;
    /// a one-off pass (<c>run --once</c>) sets a few, so that it ends with an error when the server stays away.
    /// </summary>
    public static readonly ResiliencePropertyKey<int> MaxRetries = new("mailintake.max-retries");

    /// <summary>
    /// A dropped or refused connection, a broken stream or a timeout: the next attempt may well succeed. A failure of
    /// the local disk (full, read-only, no permission), which .NET also reports as IOException, is not the server's:
    /// it is neither retried at once nor counted as a dropped connection.
    /// </summary>
    public static bool IsTransient(Exception? exception) =>
        exception is not null
        && (exception is IOException or SocketException or TimeoutException or ServiceNotConnectedException
                or ImapProtocolException or SmtpProtocolException
            || IsHandshakeCut(exception))
        && !Application.FileErrorText.IsLocalDisk(exception);

    /// <summary>
    /// A TLS handshake the other side closed or reset (a server restarting, a load balancer with nothing behind it): a
    /// connection failure, not a verdict on the certificate. MailKit reports both as <see cref="SslHandshakeException"/>;
    /// a rejected certificate (or no common protocol) fails with an <see cref="System.Security.Authentication.AuthenticationException"/>
    /// inside, a cut connection with an end of stream or a reset socket.
    /// </summary>
    public static bool IsHandshakeCut(Exception? exception) =>
        exception is SslHandshakeException { InnerException: IOException or SocketException };

    /// <summary>SMTP: a few retries with jittered backoff; the outbox retries the rest later with its own schedule.</summary>
    public static ResiliencePipeline BuildSmtp(TimeProvider time, ILogger logger, int maxRetryAttempts = 2) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = arguments => ValueTask.FromResult(IsTransient(arguments.Outcome.Exception)),
                MaxRetryAttempts = maxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(30),
                OnRetry = arguments => LogRetry(logger, Smtp, arguments),
            })
            .Build();

    /// <summary>
    /// IMAP: the reconnect policy. A dropped connection is tried again at once by the intake loop; each failed attempt
    /// after that waits 1 s, 2 s, 4 s … up to <see cref="ReconnectCap"/> (well below the poll interval, which is for
    /// servers without IDLE, not a penalty for a drop), for as long as the worker runs. No jitter: one worker per
    /// mailbox has no herd of clients to spread out.
    /// </summary>
    public static ResiliencePipeline BuildImap(TimeProvider time, TimeSpan pollInterval, ILogger logger) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = arguments => ValueTask.FromResult(
                    IsTransient(arguments.Outcome.Exception)
                    && arguments.AttemptNumber < arguments.Context.Properties.GetValue(MaxRetries, int.MaxValue)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = ReconnectCap(pollInterval),
                OnRetry = arguments => LogRetry(logger, Imap, arguments),
            })
            .Build();

    /// <summary>A quarter of the poll interval, at least 1 s and at most <see cref="ImapMaxDelay"/>.</summary>
    public static TimeSpan ReconnectCap(TimeSpan pollInterval) =>
        TimeSpan.FromSeconds(Math.Clamp(pollInterval.TotalSeconds / 4, 1, ImapMaxDelay.TotalSeconds));

    private static ValueTask LogRetry(ILogger logger, string domain, OnRetryArguments<object> arguments)
    {
        logger.LogWarning(
            "{Domain}: transient failure ({Error}); retry {Attempt} in {Delay}",
            domain, arguments.Outcome.Exception?.Message, arguments.AttemptNumber + 1, arguments.RetryDelay);
        return ValueTask.CompletedTask;
    }
}
