using System.Net;
using System.Text;
using System.Text.Json;
using MailIntake.Storage;
using MailIntake.Worker.Cli;
using MailIntake.Worker.Application;
using MailIntake.Worker.Mail;
using MailIntake.Worker.Options;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Identity.Client;

namespace MailIntake.Worker.Tests.Mail;

/// <summary>
/// The token source with the real MSAL client over an in-memory identity provider (no sockets): what it asks the
/// provider, what it caches, and what it records when no token can be had.
/// </summary>
public sealed class OAuthTokenSourceTests : IDisposable
{
    private const string Authority = "https://idp.example.tw/tenant";

    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.FromHours(8)));
    private readonly FakeProvider _provider = new();

    private OAuthTokenSource Source()
    {
        var options = new OAuth2Options { ClientId = "app", ClientSecret = "secret", Authority = Authority, Scope = "https://outlook.office365.com/.default" };
        return new OAuthTokenSource(
            OAuthTokenSource.BuildClient(options, _provider), options, Health, _harness.Time, NullLogger<OAuthTokenSource>.Instance);
    }

    private HealthRepository Health => _harness.Get<HealthRepository>();

    [Fact]
    public async Task GetAccessToken_TwiceWhileValid_AsksTheProviderOnceAndRecordsTheTokenHealthy()
    {
        var source = Source();

        var first = await source.GetAccessTokenAsync(forceRefresh: false, CancellationToken.None);
        var second = await source.GetAccessTokenAsync(forceRefresh: false, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(1, _provider.TokenRequests);
        Assert.Equal("https://outlook.office365.com/.default", _provider.LastScope);
        var health = Health.Get(HealthRepository.Token);
        Assert.True(health is { FailingSince: null, LastSuccessAt: not null }, $"token health: {health}");
    }

    [Fact]
    public async Task GetAccessToken_CachedTokenNearExpiry_IsRenewedBeforeItExpires()
    {
        // MSAL renews a cached token within five minutes of its expiry: one valid for two minutes is already due.
        _provider.ExpiresIn = 120;
        var source = Source();

        var first = await source.GetAccessTokenAsync(forceRefresh: false, CancellationToken.None);
        var second = await source.GetAccessTokenAsync(forceRefresh: false, CancellationToken.None);

        Assert.NotEqual(first, second);
        Assert.Equal(2, _provider.TokenRequests);
    }

    [Fact]
    public async Task GetAccessToken_ForceRefresh_AsksTheProviderAgain()
    {
        var source = Source();

        await source.GetAccessTokenAsync(forceRefresh: false, CancellationToken.None);
        await source.GetAccessTokenAsync(forceRefresh: true, CancellationToken.None);

        Assert.Equal(2, _provider.TokenRequests);
    }

    [Fact]
    public async Task GetAccessToken_ProviderRefusesTheSecret_ThrowsWithTheProvidersWordsAndRecordsTheTokenFailing()
    {
        _provider.RefuseWith = "AADSTS7000222: The provided client secret keys are expired.";
        var source = Source();

        var exception = await Assert.ThrowsAsync<OAuthTokenException>(() => source.GetAccessTokenAsync(false, CancellationToken.None));

        Assert.Contains("invalid_client", exception.Message);
        Assert.Contains("AADSTS7000222", exception.Message);
        Assert.Contains(Authority, exception.Message);
        var health = Health.Get(HealthRepository.Token);
        Assert.True(health is { FailingSince: not null, Failures: 1 } && health.LastError!.Contains("AADSTS7000222"), $"token health: {health}");
        var warning = Assert.Single(HealthText.Warnings(Health.List(), WorkerHarness.Taipei));
        Assert.StartsWith("憑證（OAuth2 權杖）自 ", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenewIfDue_RenewalRefused_DoesNotThrowButRecordsTheTokenFailing()
    {
        // A session that stays open (IDLE) meets a cached token near its expiry, and the secret has expired meanwhile.
        _provider.ExpiresIn = 120;
        var source = Source();
        await source.GetAccessTokenAsync(false, CancellationToken.None);
        _provider.RefuseWith = "AADSTS7000222: The provided client secret keys are expired.";

        await source.RenewIfDueAsync(CancellationToken.None);

        Assert.NotNull(Health.Get(HealthRepository.Token)?.FailingSince);
    }

    public void Dispose() => _harness.Dispose();

    /// <summary>An OpenID Connect provider in memory: discovery document and client-credentials token endpoint.</summary>
    private sealed class FakeProvider : HttpMessageHandler, IMsalHttpClientFactory
    {
        private readonly HttpClient _client;

        public FakeProvider() => _client = new HttpClient(this);

        public int TokenRequests { get; private set; }

        public int ExpiresIn { get; set; } = 3600;

        public string? RefuseWith { get; set; }

        public string? LastScope { get; private set; }

        public HttpClient GetHttpClient() => _client;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal))
            {
                return Json(HttpStatusCode.OK, new { issuer = Authority, token_endpoint = $"{Authority}/token", authorization_endpoint = $"{Authority}/authorize" });
            }

            var form = await request.Content!.ReadAsStringAsync(cancellationToken);
            LastScope = WebUtility.UrlDecode(form.Split('&').Single(pair => pair.StartsWith("scope=", StringComparison.Ordinal))["scope=".Length..]);
            if (RefuseWith is not null)
            {
                return Json(HttpStatusCode.Unauthorized, new { error = "invalid_client", error_description = RefuseWith });
            }

            TokenRequests++;
            return Json(HttpStatusCode.OK, new { token_type = "Bearer", expires_in = ExpiresIn, access_token = $"token-{TokenRequests}" });
        }

        private static HttpResponseMessage Json(HttpStatusCode status, object body) =>
            new(status) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
    }
}
