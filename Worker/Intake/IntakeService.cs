using MailIntake.Worker.Outbound;
using MailKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MailIntake.Worker.Intake;

/// <summary>The hosted service is only a loop: a pass, then wait for mail (IDLE or the poll interval), until stopped.</summary>
public sealed partial class IntakeService(
    IntakeRunner runner, OutboxSender outbox, DataDirectoryWatch watch, FirstIntakePass firstPass, IHostApplicationLifetime lifetime, ILogger<IntakeService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!watch.StillInPlace())
            {
                // The watch has logged it and stops the worker.
                firstPass.Done();
                return;
            }

            try
            {
                try
                {
                    await runner.RunPassAsync(stoppingToken);
                }
                finally
                {
                    firstPass.Done();
                }

                // Receipts queued by this pass go out right away rather than at the next outbox run.
                await outbox.SendDueAsync(stoppingToken);
                await runner.WaitForMailAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (AuthenticationException exception)
            {
                // Wrong credentials do not heal by retrying: say so once and stop.
                LogAuthenticationFailed(exception.Message);
                Environment.ExitCode = 1;
                lifetime.StopApplication();
                return;
            }
            catch (Exception exception)
            {
                // Not a dropped connection (those the imap pipeline retries until the server is back) but a server
                // NO/BAD or a local error: log, keep the worker alive, and try again after the poll interval.
                LogPassFailed(exception, exception.Message);
                await runner.WaitAfterFailureAsync(stoppingToken);
            }
        }
    }

    [LoggerMessage(LogLevel.Critical, "Mailbox login refused ({Reason}); check MailIntake:Mailbox:User and Password, or the OAuth2 settings and the application's mailbox permission. Stopping.")]
    private partial void LogAuthenticationFailed(string reason);

    [LoggerMessage(LogLevel.Error, "Intake pass failed: {Reason}")]
    private partial void LogPassFailed(Exception exception, string reason);
}
