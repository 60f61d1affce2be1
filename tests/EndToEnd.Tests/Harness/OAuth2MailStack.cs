using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// The second, OAuth2-only mail stack (<c>MAILSTACK_OAUTH2=1 tools/mailstack/start.sh</c>, started by test.sh under
/// /tmp/mailstack-oauth2): Dovecot takes only XOAUTH2/OAUTHBEARER tokens signed with <see cref="Key"/>, Postfix takes
/// mail only from a client that logged in. The harness signs its own tokens to set up and look at mailboxes.
/// </summary>
public sealed record OAuth2MailStack(
    string EnvFile, string Directory, string Host, int ImapPort, int SmtpPort, string Domain, string CaCertificateFile, byte[] Key,
    IReadOnlyDictionary<string, string> Passwords)
{
    public const string DefaultEnvFile = "/tmp/mailstack-oauth2/mailstack.env";

    private static readonly Lazy<OAuth2MailStack> LazySettings = new(Load);

    public static OAuth2MailStack Settings => LazySettings.Value;

    public string CenterUser => $"center@{Domain}";

    /// <summary>The stack's TLS certificate and key: the token endpoint serves HTTPS with them, trusted through <see cref="CaCertificateFile"/>.</summary>
    public string CertificateFile => Path.Combine(Directory, "tls", "cert.pem");

    public string KeyFile => Path.Combine(Directory, "tls", "key.pem");

    public string DovecotLog => Path.Combine(Directory, "log", "dovecot.log");

    public string PostfixLog => Path.Combine(Directory, "log", "postfix.log");

    /// <summary>A token Dovecot accepts for <paramref name="user"/> for ten minutes, signed by the harness itself.</summary>
    public string TokenFor(string user) =>
        Jwt.Sign(Key, "mailintake-e2e-harness", user, DateTimeOffset.UtcNow.AddSeconds(-5), DateTimeOffset.UtcNow.AddMinutes(10));

    /// <summary>An IMAP session as <paramref name="user"/> logged in with XOAUTH2 and a harness token.</summary>
    public async Task<ImapClient> ConnectImapAsync(string user, CancellationToken ct, IProtocolLogger? logger = null)
    {
        var client = logger is null ? new ImapClient() : new ImapClient(logger);
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors);
        await client.ConnectAsync(Host, ImapPort, SecureSocketOptions.StartTls, ct);
        await client.AuthenticateAsync(new SaslMechanismOAuth2(user, TokenFor(user)), ct);
        return client;
    }

    /// <summary>Tries the user's password on IMAP; the OAuth2-only stack must refuse it.</summary>
    public async Task<AuthenticationException?> TryPasswordLoginAsync(string user, CancellationToken ct)
    {
        using var client = new ImapClient();
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors);
        await client.ConnectAsync(Host, ImapPort, SecureSocketOptions.StartTls, ct);
        try
        {
            await client.AuthenticateAsync(user, Passwords[user], ct);
            return null;
        }
        catch (AuthenticationException refused)
        {
            return refused;
        }
    }

    /// <summary>Every message in <paramref name="user"/>'s INBOX whose To names <paramref name="address"/>.</summary>
    public async Task<IReadOnlyList<MimeMessage>> InboxToAsync(string user, string address, CancellationToken ct)
    {
        using var client = await ConnectImapAsync(user, ct);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);
        var found = new List<MimeMessage>();
        for (var i = 0; i < client.Inbox.Count; i++)
        {
            var message = await client.Inbox.GetMessageAsync(i, ct);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase)))
                found.Add(message);
        }
        await client.DisconnectAsync(quit: true, ct);
        return found;
    }

    private bool Trusted(System.Security.Cryptography.X509Certificates.X509Certificate? certificate, System.Net.Security.SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            return false;
        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(CaCertificateFile)));
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        using var leaf = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    private static OAuth2MailStack Load()
    {
        var file = Environment.GetEnvironmentVariable("MAILSTACK_OAUTH2_ENV") is { Length: > 0 } path ? path : DefaultEnvFile;
        if (!File.Exists(file))
            throw new MailStackNotRunningException(
                $"the OAuth2 stack's {file} not found (MAILSTACK_DIR=/tmp/mailstack-oauth2 MAILSTACK_OAUTH2=1 MAILSTACK_IMAP_PORT=3144 " +
                "MAILSTACK_IMAPS_PORT=3994 MAILSTACK_SMTP_PORT=2526 tools/mailstack/start.sh; MAILSTACK_OAUTH2_ENV overrides the path)");

        var values = File.ReadAllLines(file)
            .Where(line => !line.StartsWith('#') && line.IndexOf('=') > 0)
            .ToDictionary(line => line[..line.IndexOf('=')].Trim(), line => line[(line.IndexOf('=') + 1)..].Trim().Trim('"'), StringComparer.Ordinal);
        string Get(string key) =>
            values.TryGetValue(key, out var value) && value.Length > 0 ? value : throw new MailStackNotRunningException($"{file} has no {key}");

        if (Get("MAILSTACK_OAUTH2") != "1")
            throw new MailStackNotRunningException($"{file} is not an OAuth2 stack (MAILSTACK_OAUTH2=1)");
        var passwords = Get("MAILSTACK_USERS").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split(':', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        return new OAuth2MailStack(
            file,
            Get("MAILSTACK_DIR"),
            Get("MAILSTACK_HOST"),
            int.Parse(Get("MAILSTACK_IMAP_PORT")),
            int.Parse(Get("MAILSTACK_SMTP_PORT")),
            Get("MAILSTACK_DOMAIN"),
            Get("MAILSTACK_CA_CERT"),
            Convert.FromBase64String(File.ReadAllText(Get("MAILSTACK_OAUTH2_KEY")).Trim()),
            passwords);
    }
}
