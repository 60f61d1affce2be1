using MailKit;

namespace MailIntake.Worker.Mail;

/// <summary>What the IMAP and SMTP clients share: how they are secured, and how they are let go.</summary>
public static class MailClients
{
    /// <summary>
    /// Certificates are always validated; a configured private CA is trusted as an extra root. Revocation is checked
    /// for public CAs only: a private one publishes no revocation list these servers can reach.
    /// </summary>
    public static T Secured<T>(T client, string caCertificate) where T : MailService
    {
        client.ServerCertificateValidationCallback = ServerCertificates.Validator(caCertificate);
        client.CheckCertificateRevocation = string.IsNullOrWhiteSpace(caCertificate);
        client.Timeout = (int)TimeSpan.FromMinutes(2).TotalMilliseconds;
        return client;
    }

    /// <summary>Says goodbye and disposes; a QUIT that fails changes nothing already recorded, so it is only logged.</summary>
    public static async Task CloseAsync(MailService client, Action<string> logFailure)
    {
        if (client.IsConnected)
        {
            try
            {
                await client.DisconnectAsync(quit: true);
            }
            catch (Exception exception) when (exception is IOException or ProtocolException or ServiceNotConnectedException)
            {
                logFailure(exception.Message);
            }
        }

        client.Dispose();
    }
}
