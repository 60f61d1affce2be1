using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// A loopback mail server as described by its mailstack.env: the Dovecot + Postfix of tools/mailstack/start.sh, or the
/// Cyrus IMAP of tools/mailstack/cyrus-start.sh (<see cref="Server"/> <c>cyrus</c>, no SMTP: <see cref="SmtpPort"/> 0).
/// </summary>
public sealed record MailStackSettings(
    string EnvFile,
    string Host,
    int ImapPort,
    int SmtpPort,
    string Domain,
    string CaCertificateFile,
    IReadOnlyDictionary<string, string> Passwords)
{
    /// <summary><c>dovecot</c> or <c>cyrus</c> (MAILSTACK_SERVER).</summary>
    public string Server { get; init; } = "dovecot";

    /// <summary>MAILSTACK_DIR: where the server's config, logs and data live.</summary>
    public string Directory { get; init; } = "";

    public int ImapsPort { get; init; }

    public string CenterUser => $"center@{Domain}";

    /// <summary>Trusts exactly this server's CA (see <see cref="MailStack.ValidateServerCertificate"/>).</summary>
    public RemoteCertificateValidationCallback CertificateValidator =>
        (_, certificate, _, errors) => MailStack.ChainsTo(CaCertificateFile, certificate, errors);

    public string PasswordOf(string user) =>
        Passwords.TryGetValue(user, out var password)
            ? password
            : throw new InvalidOperationException($"user {user} is not in MAILSTACK_USERS of {EnvFile}");
}

/// <summary>Thrown when the mail stack is absent or unreachable: the one message every e2e test fails with then.</summary>
public sealed class MailStackNotRunningException(string detail)
    : Exception($"mail stack not running: start it with tools/mailstack/start.sh or run ./test.sh ({detail})");

public static class MailStack
{
    public const string DefaultEnvFile = "/tmp/mailstack/mailstack.env";

    private static readonly Lazy<MailStackSettings> LazySettings = new(() => Load(EnvFile));
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, X509Certificate2> Cas = new(StringComparer.Ordinal);

    /// <summary>The stack's settings; throws <see cref="MailStackNotRunningException"/> when its env file is absent.</summary>
    public static MailStackSettings Settings => LazySettings.Value;

    public static string EnvFile =>
        Environment.GetEnvironmentVariable("MAILSTACK_ENV") is { Length: > 0 } path ? path : DefaultEnvFile;

    /// <summary>Reads a mailstack.env; throws <see cref="MailStackNotRunningException"/> when it is absent or incomplete.</summary>
    public static MailStackSettings Load(string file)
    {
        if (!File.Exists(file))
            throw new MailStackNotRunningException($"{file} not found; MAILSTACK_ENV (MAILSTACK_CYRUS_ENV for Cyrus) overrides the path");

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(file))
        {
            var eq = line.IndexOf('=');
            if (line.StartsWith('#') || eq <= 0)
                continue;
            values[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"');
        }

        string Get(string key) =>
            values.TryGetValue(key, out var v) && v.Length > 0
                ? v
                : throw new MailStackNotRunningException($"{file} has no {key}");

        var passwords = Get("MAILSTACK_USERS")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split(':', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);

        var ca = Get("MAILSTACK_CA_CERT");
        if (!File.Exists(ca))
            throw new MailStackNotRunningException($"CA certificate {ca} named by {file} is missing");

        int Port(string key) => values.TryGetValue(key, out var v) && v.Length > 0 ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : 0;

        return new MailStackSettings(
            file,
            Get("MAILSTACK_HOST"),
            int.Parse(Get("MAILSTACK_IMAP_PORT"), System.Globalization.CultureInfo.InvariantCulture),
            Port("MAILSTACK_SMTP_PORT"),
            Get("MAILSTACK_DOMAIN"),
            ca,
            passwords)
        {
            Server = values.GetValueOrDefault("MAILSTACK_SERVER") is { Length: > 0 } server ? server : "dovecot",
            Directory = values.GetValueOrDefault("MAILSTACK_DIR") ?? "",
            ImapsPort = Port("MAILSTACK_IMAPS_PORT"),
        };
    }

    /// <summary>
    /// Accepts the server certificate only if it chains to the stack's own CA and names the host we dialled.
    /// Never accept-all: the program under test must validate too, and so does its harness.
    /// </summary>
    public static bool ValidateServerCertificate(
        object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        ChainsTo(Settings.CaCertificateFile, certificate, errors);

    /// <summary>Whether <paramref name="certificate"/> chains to the CA in <paramref name="caFile"/> and names the host dialled.</summary>
    public static bool ChainsTo(string caFile, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
            return false;

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(Cas.GetOrAdd(caFile, file => X509Certificate2.CreateFromPem(File.ReadAllText(file))));
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }
}
