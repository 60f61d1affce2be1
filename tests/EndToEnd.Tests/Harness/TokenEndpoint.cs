using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// A private OpenID Connect identity provider on loopback, HTTPS with the OAuth2 stack's certificate:
/// <c>{Authority}/.well-known/openid-configuration</c> and a client-credentials token endpoint that checks the
/// client id and secret and issues HS256 JWTs Dovecot validates with its key (email = <see cref="MailboxUser"/>).
/// </summary>
/// <remarks>
/// A few lines of HTTP/1.1 over <see cref="SslStream"/> rather than Kestrel: a FrameworkReference to
/// Microsoft.AspNetCore.App in this project drops the Microsoft.Extensions.* assemblies from the output folder, which
/// is where the program under test runs from (it would no longer start).
/// </remarks>
public sealed class TokenEndpoint : IAsyncDisposable
{
    public const string ClientId = "mailintake-e2e";
    public const string ClientSecret = "e2e-client-secret";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly OAuth2MailStack _stack;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _issued;
    private int _refused;

    private TokenEndpoint(OAuth2MailStack stack, string mailboxUser)
    {
        _stack = stack;
        MailboxUser = mailboxUser;
        // Exported and re-imported: SslStream on Linux wants a key it can hand to OpenSSL as it is.
        using var pem = X509Certificate2.CreateFromPemFile(stack.CertificateFile, stack.KeyFile);
        _certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        _listener.Start();
        Authority = $"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/tenant";
        _accepting = AcceptAsync();
    }

    /// <summary>https://127.0.0.1:PORT/tenant — the program's MailIntake:OAuth2:Authority.</summary>
    public string Authority { get; }

    public string MailboxUser { get; }

    /// <summary>Tokens that expired a minute before they were issued (while <c>expires_in</c> still says an hour).</summary>
    public bool IssueExpiredTokens { get; set; }

    public int Issued => _issued;

    public int Refused => _refused;

    /// <summary>The scope of the last token request.</summary>
    public string? LastScope { get; private set; }

    public static TokenEndpoint Start(OAuth2MailStack stack, string mailboxUser) => new(stack, mailboxUser);

    /// <summary>The program configured to take its tokens here (with the stack's CA for this endpoint's TLS).</summary>
    public void Configure(MailIntakeCli cli, string clientSecret = ClientSecret)
    {
        cli.Environment["MailIntake__OAuth2__Authority"] = Authority;
        cli.Environment["MailIntake__OAuth2__ClientId"] = ClientId;
        cli.Environment["MailIntake__OAuth2__ClientSecret"] = clientSecret;
        cli.Environment["MailIntake__OAuth2__CaCertificate"] = _stack.CaCertificateFile;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        await using var tls = new SslStream(client.GetStream());
        try
        {
            await tls.AuthenticateAsServerAsync(_certificate, clientCertificateRequired: false, checkCertificateRevocation: false);
            // One request per connection ("Connection: close"): enough for MSAL.
            var (method, path, body) = await ReadRequestAsync(tls);
            var (status, json) = (method, path) switch
            {
                ("GET", "/tenant/.well-known/openid-configuration") => (200, Discovery()),
                ("POST", "/tenant/token") => Token(body),
                _ => (404, (object)new { error = "not_found" }),
            };
            var content = JsonSerializer.SerializeToUtf8Bytes(json);
            var head = $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Error")}\r\nContent-Type: application/json\r\n" +
                       $"Content-Length: {content.Length}\r\nConnection: close\r\n\r\n";
            await tls.WriteAsync(Encoding.ASCII.GetBytes(head));
            await tls.WriteAsync(content);
        }
        catch (Exception exception) when (exception is IOException or System.Security.Authentication.AuthenticationException)
        {
            // A client that gave up (or did not trust us): its own error says so; nothing to answer.
        }
    }

    private static async Task<(string Method, string Path, string Body)> ReadRequestAsync(Stream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 4 || !(buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
                throw new IOException("connection closed in the request head");
            buffer.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var length = lines.Skip(1)
            .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line["Content-Length:".Length..].Trim()))
            .FirstOrDefault();
        var body = new byte[length];
        await stream.ReadExactlyAsync(body);
        var path = requestLine[1].Split('?')[0];
        return (requestLine[0], path, Encoding.UTF8.GetString(body));
    }

    private object Discovery() => new
    {
        issuer = Authority,
        authorization_endpoint = $"{Authority}/authorize",
        token_endpoint = $"{Authority}/token",
        jwks_uri = $"{Authority}/keys",
        response_types_supported = new[] { "code" },
        subject_types_supported = new[] { "public" },
        id_token_signing_alg_values_supported = new[] { "HS256" },
        token_endpoint_auth_methods_supported = new[] { "client_secret_post" },
    };

    private (int, object) Token(string body)
    {
        var form = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => WebUtility.UrlDecode(pair[0]), pair => WebUtility.UrlDecode(pair.ElementAtOrDefault(1) ?? ""));
        LastScope = form.GetValueOrDefault("scope");
        if (form.GetValueOrDefault("grant_type") != "client_credentials")
            return Refuse("unsupported_grant_type", $"grant_type {form.GetValueOrDefault("grant_type")}");
        if (form.GetValueOrDefault("client_id") != ClientId || form.GetValueOrDefault("client_secret") != ClientSecret)
            return Refuse("invalid_client", "E2E0001: the client secret is wrong or expired");

        Interlocked.Increment(ref _issued);
        var now = DateTimeOffset.UtcNow;
        var token = IssueExpiredTokens
            ? Jwt.Sign(_stack.Key, ClientId, MailboxUser, now.AddHours(-1), now.AddMinutes(-1))
            : Jwt.Sign(_stack.Key, ClientId, MailboxUser, now.AddSeconds(-5), now.AddHours(1));
        return (200, new { token_type = "Bearer", expires_in = 3600, access_token = token });
    }

    private (int, object) Refuse(string error, string description)
    {
        Interlocked.Increment(ref _refused);
        return (401, new { error, error_description = description });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _certificate.Dispose();
        _stop.Dispose();
    }
}
