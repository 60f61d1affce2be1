using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace MailIntake.Bench;

/// <summary>The loopback Dovecot of tools/mailstack, as its mailstack.env describes it; the bench logs in as the center.</summary>
public sealed record Stack(string Host, int ImapPort, int ImapsPort, string CaCertificate, string User, string Password)
{
    public static Stack Load()
    {
        var path = Environment.GetEnvironmentVariable("MAILSTACK_ENV") ?? "/tmp/mailstack/mailstack.env";
        var values = File.ReadAllLines(path)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim().Trim('"'));
        var domain = values["MAILSTACK_DOMAIN"];
        var center = values["MAILSTACK_USERS"].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(user => user.Split(':', 2))
            .First(user => user[0] == "center" || user[0] == $"center@{domain}");
        var login = center[0].Contains('@') ? center[0] : $"{center[0]}@{domain}";
        return new Stack(values["MAILSTACK_HOST"], int.Parse(values["MAILSTACK_IMAP_PORT"]), int.Parse(values["MAILSTACK_IMAPS_PORT"]),
            values["MAILSTACK_CA_CERT"], login, center[1]);
    }

    /// <summary>A logged-in client on the STARTTLS port, trusting the stack's CA (as mailintake does).</summary>
    public async Task<ImapClient> ConnectAsync(CancellationToken cancellationToken = default)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(CaCertificate);
        var client = new ImapClient
        {
            CheckCertificateRevocation = false,
            ServerCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && Chained(certificate, ca),
        };
        await client.ConnectAsync(Host, ImapPort, SecureSocketOptions.StartTls, cancellationToken);
        await client.AuthenticateAsync(User, Password, cancellationToken);
        return client;
    }

    private static bool Chained(X509Certificate certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    /// <summary>Creates a fresh folder of the center user (never one that others use).</summary>
    public async Task<string> CreateFolderAsync(string name)
    {
        using var client = await ConnectAsync();
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var folder = await root.CreateAsync(name, isMessageFolder: true) ?? throw new InvalidOperationException($"Dovecot did not create {name}");
        await client.DisconnectAsync(true);
        return folder.FullName;
    }

    public async Task DeleteFolderAsync(string name)
    {
        using var client = await ConnectAsync();
        var folder = await client.GetFolderAsync(name);
        await folder.DeleteAsync();
        await client.DisconnectAsync(true);
    }
}
