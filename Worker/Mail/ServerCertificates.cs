using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MailIntake.Worker.Mail;

/// <summary>
/// Certificate validation for the IMAP and SMTP connections: always on. A configured CaCertificate (PEM)
/// is trusted as an extra root for a private mail server; the host name must still match.
/// </summary>
public static class ServerCertificates
{
    public static RemoteCertificateValidationCallback Validator(string? caCertificatePath)
    {
        X509Certificate2Collection? authorities = null;
        if (!string.IsNullOrWhiteSpace(caCertificatePath))
        {
            authorities = [];
            authorities.ImportFromPemFile(caCertificatePath);
        }

        return (_, certificate, chain, errors) => IsTrusted(certificate, chain, errors, authorities);
    }

    private static bool IsTrusted(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection? authorities)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only a chain error can be cured by the private authority; a wrong name or a missing certificate cannot.
        if (authorities is not { Count: > 0 } || certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(new X509Certificate2(certificate));
    }
}
