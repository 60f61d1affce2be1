using Microsoft.Identity.Client;

namespace MailIntake.Worker.Mail;

/// <summary>
/// MSAL's one HttpClient. The identity provider's certificate is always validated, as the mail servers' are: a
/// configured CaCertificate (a private provider) is trusted as an extra root and the host name must still match.
/// </summary>
public sealed class OAuthHttpClientFactory(string? caCertificatePath) : IMsalHttpClientFactory
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        SslOptions =
        {
            RemoteCertificateValidationCallback = ServerCertificates.Validator(caCertificatePath),
            CertificateRevocationCheckMode = string.IsNullOrWhiteSpace(caCertificatePath)
                ? System.Security.Cryptography.X509Certificates.X509RevocationMode.Online
                : System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        },
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    public HttpClient GetHttpClient() => _client;
}
