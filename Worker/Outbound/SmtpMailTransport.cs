using MailIntake.Worker.Mail;
using MailIntake.Worker.Options;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace MailIntake.Worker.Outbound;

/// <summary>Sends over SMTP with MailKit, one connection kept for a whole outbox run; TLS certificates are always validated.</summary>
public sealed partial class SmtpMailTransport(SmtpOptions options, ILogger<SmtpMailTransport> logger, OAuthTokenSource? tokens = null) : IMailTransport
{
    private SmtpClient? _client;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var client = await ConnectAsync(cancellationToken);
        var sender = MailboxAddress.Parse(options.From);
        await client.SendAsync(message, sender, message.To.Mailboxes, cancellationToken);
    }

    private async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true })
        {
            return _client;
        }

        await DisposeAsync();
        var client = MailClients.Secured(new SmtpClient(), options.CaCertificate);
        _client = client;
        await client.ConnectAsync(options.Host, options.Port, options.Security.ToSocketOptions(), cancellationToken);
        if (options.Auth == MailAuth.OAuth2)
        {
            var source = tokens ?? throw new InvalidOperationException("Smtp:Auth is OAuth2 but no token source was given");
            await source.LogInAsync(client, options.User, cancellationToken);
        }
        else if (!string.IsNullOrEmpty(options.User))
        {
            await client.AuthenticateAsync(options.User, options.Password, cancellationToken);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is null)
        {
            return;
        }

        var client = _client;
        _client = null;
        await MailClients.CloseAsync(client, LogDisconnectFailed);
    }

    [LoggerMessage(LogLevel.Warning, "SMTP disconnect failed: {Reason}")]
    private partial void LogDisconnectFailed(string reason);
}
