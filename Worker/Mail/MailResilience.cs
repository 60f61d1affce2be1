using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace MailIntake.Worker.Mail;

/// <summary>
/// One retry pipeline per failure domain (imap, smtp). Only transient network errors are retried;
/// an authentication failure or a server NO/BAD is not: retrying would not change the answer.
/// </summary>
public static class MailResilience
{
    public const string Imap = "imap";
    public const string Smtp = "smtp";

    public static ResiliencePipeline Build(string domain, TimeProvider time, ILogger logger, int maxRetryAttempts = 5) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<IOException>()
                    .Handle<SocketException>()
                    .Handle<TimeoutException>()
                    .Handle<ServiceNotConnectedException>()
                    .Handle<ImapProtocolException>()
                    .Handle<SmtpProtocolException>(),
                MaxRetryAttempts = maxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(30),
                OnRetry = arguments =>
                {
                    logger.LogWarning(
                        "{Domain}: transient failure ({Error}); retry {Attempt} in {Delay}",
                        domain, arguments.Outcome.Exception?.Message, arguments.AttemptNumber + 1, arguments.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
