using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>The loopback Dovecot + Postfix started by tools/mailstack/start.sh, as described by its mailstack.env.</summary>
public sealed record MailStackSettings(
    string EnvFile,
    string Host,
    int ImapPort,
    int SmtpPort,
    string Domain,
    string CaCertificateFile,
    IReadOnlyDictionary<string, string> Passwords)
{
    public string CenterUser => $"center@{Domain}";

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

    private static readonly Lazy<MailStackSettings> LazySettings = new(Load);
    private static readonly Lazy<X509Certificate2> LazyCa =
        new(() => X509Certificate2.CreateFromPem(File.ReadAllText(Settings.CaCertificateFile)));

    /// <summary>The stack's settings; throws <see cref="MailStackNotRunningException"/> when its env file is absent.</summary>
    public static MailStackSettings Settings => LazySettings.Value;

    public static string EnvFile =>
        Environment.GetEnvironmentVariable("MAILSTACK_ENV") is { Length: > 0 } path ? path : DefaultEnvFile;

    private static MailStackSettings Load()
    {
        var file = EnvFile;
        if (!File.Exists(file))
            throw new MailStackNotRunningException($"{file} not found; MAILSTACK_ENV overrides the path");

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

        return new MailStackSettings(
            file,
            Get("MAILSTACK_HOST"),
            int.Parse(Get("MAILSTACK_IMAP_PORT")),
            int.Parse(Get("MAILSTACK_SMTP_PORT")),
            Get("MAILSTACK_DOMAIN"),
            ca,
            passwords);
    }

    /// <summary>
    /// Accepts the server certificate only if it chains to the stack's own CA and names the host we dialled.
    /// Never accept-all: the program under test must validate too, and so does its harness.
    /// </summary>
    public static bool ValidateServerCertificate(
        object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
            return false;

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(LazyCa.Value);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }
}
