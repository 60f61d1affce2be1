using MailIntake.Storage;
using MimeKit;

namespace MailIntake.Worker.Outbound;

/// <summary>Writes each outgoing message as an .eml file named by its Message-ID, so writing it again replaces rather than doubles it.</summary>
public sealed class FolderMailTransport(string pickupFolder) : IMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var name = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(message.MessageId ?? string.Empty)))[..24];
        var target = Path.Combine(pickupFolder, $"{name}.eml");
        // Created by the first mail written, not by every command: `store verify` or `status` run from another
        // working directory must not leave a relative pickup folder there (h11x F6).
        PrivateFiles.PickupFolder(pickupFolder);
        // Durable before the row is marked sent: a power loss must not take a mail the database says went out.
        await DurableFile.WriteAsync(target, (stream, token) => message.WriteToAsync(stream, token), cancellationToken, PrivateFiles.PickupFileMode(pickupFolder));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
