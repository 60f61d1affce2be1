using System.Security.Cryptography.X509Certificates;
using MailIntake.Storage;
using MailIntake.Worker.Options;
using MailKit;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Identity.Client;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace MailIntake.Worker.Mail;

/// <summary>
/// Bearer tokens for IMAP and SMTP (SASL XOAUTH2) from the client-credentials flow of Microsoft.Identity.Client.
/// Every login asks MSAL afresh: MSAL answers from its app token cache and fetches a new token when the cached one
/// is near expiry, so no token string outlives its validity here. Whether a token could be had is recorded as the
/// health component <c>token</c> (status, digest): tools that held on to a dead token lost mail silently for weeks.
/// </summary>
public sealed partial class OAuthTokenSource
{
    private readonly IConfidentialClientApplication _app;
    private readonly string[] _scopes;
    private readonly string _authority;
    private readonly HealthRepository _health;
    private readonly TimeProvider _time;
    private readonly ILogger<OAuthTokenSource> _logger;

    public OAuthTokenSource(
        IConfidentialClientApplication app, OAuth2Options options, HealthRepository health, TimeProvider time, ILogger<OAuthTokenSource> logger)
    {
        _app = app;
        _scopes = options.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        _authority = options.EffectiveAuthority;
        _health = health;
        _time = time;
        _logger = logger;
    }

    /// <summary>The MSAL confidential client for <paramref name="options"/>: Entra by default, else a generic OpenID Connect authority.</summary>
    public static IConfidentialClientApplication BuildClient(OAuth2Options options) =>
        BuildClient(options, new OAuthHttpClientFactory(options.CaCertificate));

    internal static IConfidentialClientApplication BuildClient(OAuth2Options options, IMsalHttpClientFactory http)
    {
        var builder = ConfidentialClientApplicationBuilder.Create(options.ClientId)
            .WithHttpClientFactory(http);
        builder = options.IsEntra
            ? builder.WithAuthority(options.EffectiveAuthority)
            : builder.WithOidcAuthority(options.EffectiveAuthority);
        builder = string.IsNullOrWhiteSpace(options.CertificatePath)
            ? builder.WithClientSecret(options.ClientSecret)
            : builder.WithCertificate(LoadCertificate(options));
        return builder.Build();
    }

    /// <summary>A token for the configured scope: MSAL's cached one while it is good, a new one when it is near expiry (or when forced).</summary>
    public async Task<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        AuthenticationResult result;
        try
        {
            result = await _app.AcquireTokenForClient(_scopes).WithForceRefresh(forceRefresh).ExecuteAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is MsalException or HttpRequestException or OperationCanceledException
                                          && !cancellationToken.IsCancellationRequested)
        {
            var reason = Reason(exception);
            _health.Failed(HealthRepository.Token, reason, _time.GetUtcNow());
            throw new OAuthTokenException(reason, exception);
        }

        if (result.AuthenticationResultMetadata.TokenSource == TokenSource.IdentityProvider)
        {
            LogObtained(_authority, result.ExpiresOn);
        }

        _health.Succeeded(HealthRepository.Token, _time.GetUtcNow());
        return result.AccessToken;
    }

    /// <summary>
    /// Asks MSAL without using the answer, for a session that stays open: MSAL renews a token near its expiry, so a
    /// renewal that fails is recorded and logged now, while the open session still works, not at the next login.
    /// </summary>
    public async Task RenewIfDueAsync(CancellationToken cancellationToken)
    {
        try
        {
            await GetAccessTokenAsync(forceRefresh: false, cancellationToken);
        }
        catch (OAuthTokenException exception)
        {
            // Recorded as failing by GetAccessTokenAsync; the open session goes on until the server ends it.
            LogRenewalFailed(exception.Message);
        }
    }

    /// <summary>
    /// Logs <paramref name="client"/> in as <paramref name="user"/> with SASL XOAUTH2. A token the server refuses is
    /// replaced once by a freshly obtained one (a cached token can be revoked or cut short before its expiry); a
    /// refusal of that one too is an <see cref="OAuthTokenRefusedException"/>.
    /// </summary>
    public async Task LogInAsync(IMailService client, string user, CancellationToken cancellationToken)
    {
        AuthenticationException refused;
        try
        {
            await client.AuthenticateAsync(new SaslMechanismOAuth2(user, await GetAccessTokenAsync(false, cancellationToken)), cancellationToken);
            return;
        }
        catch (AuthenticationException exception)
        {
            refused = exception;
        }

        try
        {
            await client.AuthenticateAsync(new SaslMechanismOAuth2(user, await GetAccessTokenAsync(true, cancellationToken)), cancellationToken);
            LogFreshTokenAccepted(user, refused.Message);
        }
        catch (AuthenticationException exception)
        {
            throw new OAuthTokenRefusedException(
                $"the server refused the OAuth2 token for {user}, a freshly obtained one too: {exception.Message.ReplaceLineEndings(" ").Trim()}",
                exception);
        }
    }

    private string Reason(Exception exception)
    {
        var detail = exception switch
        {
            MsalServiceException service => $"{service.ErrorCode} (HTTP {service.StatusCode}): {ProviderSaid(service.Message)}",
            MsalException msal => $"{msal.ErrorCode}: {FirstLine(msal.Message)}",
            _ => FirstLine(exception.Message),
        };
        if (exception.InnerException is { } inner && exception is not MsalServiceException)
        {
            detail += $" ({FirstLine(inner.Message)})";
        }

        return $"no OAuth2 token from {_authority}: {detail}";
    }

    /// <summary>The provider's own error_description, which MSAL appends to its generic advice: that is the part staff can act on.</summary>
    private static string ProviderSaid(string message)
    {
        const string Marker = "Original exception: ";
        var start = message.IndexOf(Marker, StringComparison.Ordinal);
        return FirstLine(start >= 0 ? message[(start + Marker.Length)..] : message);
    }

    private static string FirstLine(string text) => text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "";

    private static X509Certificate2 LoadCertificate(OAuth2Options options)
    {
        var path = options.CertificatePath;
        var password = string.IsNullOrEmpty(options.CertificatePassword) ? null : options.CertificatePassword;
        try
        {
            return Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".pfx" or ".p12" => X509CertificateLoader.LoadPkcs12FromFile(path, password),
                // A PEM with the certificate and its private key in the one file.
                _ => password is null ? X509Certificate2.CreateFromPemFile(path) : X509Certificate2.CreateFromEncryptedPemFile(path, password),
            };
        }
        catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or IOException or ArgumentException)
        {
            throw new OAuthTokenException($"MailIntake:OAuth2:CertificatePath: cannot read a certificate with its private key from '{path}': {FirstLine(exception.Message)}", exception);
        }
    }

    // Debug: `run --once` logs at Information on stderr, where a failed run must print one line only.
    [LoggerMessage(LogLevel.Debug, "OAuth2 token obtained from {Authority}, valid until {ExpiresOn:u}")]
    private partial void LogObtained(string authority, DateTimeOffset expiresOn);

    [LoggerMessage(LogLevel.Error, "OAuth2 token renewal failed ({Reason}); the open mail session goes on until the server ends it, then logging in will fail")]
    private partial void LogRenewalFailed(string reason);

    [LoggerMessage(LogLevel.Warning, "The server refused the cached OAuth2 token for {User} ({Reason}); a freshly obtained one was accepted")]
    private partial void LogFreshTokenAccepted(string user, string reason);
}
