using MimeKit;

namespace MailIntake.Worker.Outbound;

/// <summary>Where outgoing mail goes: an SMTP server, or (the embedded default) a pickup folder of .eml files.</summary>
public interface IMailTransport : IAsyncDisposable
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
