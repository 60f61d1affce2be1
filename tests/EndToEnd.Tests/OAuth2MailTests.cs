using System.Diagnostics;
using System.Text.Json.Nodes;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MailKit;
using MailKit.Net.Imap;
using MimeKit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The program against the OAuth2-only stack (Dovecot passdb oauth2, Postfix relaying only for a logged-in client),
/// with tokens it obtains itself from a private identity provider on loopback (<see cref="TokenEndpoint"/>).
/// Each test reads its own IMAP folder of the center's mailbox there.
/// </summary>
public sealed class OAuth2MailTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly OAuth2MailStack _stack = OAuth2MailStack.Settings;
    private readonly TestWorkspace _workspace = new();
    private TokenEndpoint _endpoint = null!;
    private ImapClient _imap = null!;
    private IMailFolder _folder = null!;
    private MailIntakeCli _cli = null!;

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        _endpoint = TokenEndpoint.Start(_stack, _stack.CenterUser);
        _imap = await _stack.ConnectImapAsync(_stack.CenterUser, cts.Token);
        _folder = await _imap.GetFolder(_imap.PersonalNamespaces[0]).CreateAsync($"e2e-oauth2-{Guid.NewGuid():N}", isMessageFolder: true, cts.Token)
                  ?? throw new InvalidOperationException("Dovecot did not create the test's IMAP folder");

        _cli = MailIntakeCli.ForDropFolder(_workspace, output);
        foreach (var (key, value) in new Dictionary<string, string>
                 {
                     ["Kind"] = "Imap",
                     ["Host"] = _stack.Host,
                     ["Port"] = _stack.ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     ["Security"] = "StartTls",
                     ["CaCertificate"] = _stack.CaCertificateFile,
                     ["User"] = _stack.CenterUser,
                     ["Auth"] = "OAuth2",
                     ["Folder"] = _folder.FullName,
                     ["UseIdle"] = "false",
                 })
            _cli.Environment[$"MailIntake__Mailbox__{key}"] = value;
        _endpoint.Configure(_cli);
    }

    [Fact]
    public async Task RunOnce_OAuth2OnlyMailbox_ReadsTheReplyWithATokenItObtainedItself()
    {
        var passwordLogin = await _stack.TryPasswordLoginAsync(_stack.CenterUser, CancellationToken.None);
        Assert.True(passwordLogin is not null, "the OAuth2-only Dovecot must refuse the center's password");
        await _cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await _cli.IssueNoticeAsync(Orgs.TestGuild);
        await _folder.AppendAsync(TestMessages.OutlookBig5Reply().Message);

        await _cli.RunOnceAsync();

        var mail = Assert.Single(await _cli.ListMailAsync());
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference, $"the reply must be filed under {reference}: {mail}");
        Assert.True(_endpoint.Issued == 1, $"one token from the endpoint, issued {_endpoint.Issued}");
        Assert.Equal("https://outlook.office365.com/.default", _endpoint.LastScope);
        var token = (await _cli.RunJsonNodeAsync("status", "--json"))["token"];
        Assert.True(token?["ok"]?.GetValue<bool>() == true && token["lastSuccessAt"] is not null,
            $"status --json must show the token obtained: {token?.ToJsonString()}");
    }

    [Fact]
    public async Task RunOnce_SmtpWithOAuth2_NoticeIsAcceptedByPostfixOnlyAfterXoauth2AndDelivered()
    {
        var address = $"org1+{Guid.NewGuid().ToString("N")[..8]}@{_stack.Domain}";
        foreach (var (key, value) in new Dictionary<string, string>
                 {
                     ["Kind"] = "Smtp",
                     ["Host"] = _stack.Host,
                     ["Port"] = _stack.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     ["Security"] = "StartTls",
                     ["CaCertificate"] = _stack.CaCertificateFile,
                     ["User"] = _stack.CenterUser,
                     ["Auth"] = "OAuth2",
                     ["From"] = _stack.CenterUser,
                 })
            _cli.Environment[$"MailIntake__Smtp__{key}"] = value;
        _cli.Environment.Remove("MailIntake__Smtp__PickupFolder");
        await _cli.ImportOrgsAsync(Orgs.CsvWith(address));
        var reference = await _cli.IssueNoticeAsync(Orgs.TestGuild, send: true);

        await _cli.RunOnceAsync();

        var delivered = await WaitForDeliveryAsync(address);
        Assert.Contains(reference, delivered.Subject, StringComparison.Ordinal);
        // Postfix writes ESMTPSA for a client that authenticated over TLS; this Postfix relays for no one else.
        Assert.Contains(delivered.Headers.Where(header => header.Field == "Received"), header => header.Value.Contains("ESMTPSA", StringComparison.Ordinal));
        Assert.True(_endpoint.Issued == 1, $"IMAP and SMTP share one cached token, issued {_endpoint.Issued}");
    }

    [Fact]
    public async Task RunOnce_TokenEndpointRefusesTheClientSecret_ExitsOneWithOneLineAndStatusShowsTheTokenFailing()
    {
        _endpoint.Configure(_cli, clientSecret: "an-expired-secret");

        var result = await _cli.RunAsync("run", "--once");

        Assert.True(result.ExitCode == 1, $"no token must exit 1: {result.Describe()}");
        AssertOneLine(result, "OAuth2", "invalid_client");
        Assert.True(_endpoint.Refused >= 1 && _endpoint.Issued == 0, $"the endpoint refused {_endpoint.Refused}, issued {_endpoint.Issued}");
        var status = await _cli.RunJsonNodeAsync("status", "--json");
        var token = status["token"];
        Assert.True(token?["ok"]?.GetValue<bool>() == false && token["failingSince"] is JsonValue
                    && token["lastError"]?.GetValue<string>().Contains("invalid_client", StringComparison.Ordinal) == true,
            $"status --json must show the token failing since this run: {status.ToJsonString()}");
        var text = await _cli.RunOkAsync("status");
        Assert.Contains("憑證（OAuth2 權杖）自", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnce_EndpointIssuesExpiredTokens_DovecotRefusesThemAndTheRunSaysSoInOneLine()
    {
        _endpoint.IssueExpiredTokens = true;
        var logBefore = new FileInfo(_stack.DovecotLog).Length;

        var result = await _cli.RunAsync("run", "--once");

        Assert.True(result.ExitCode == 1, $"a refused token must exit 1: {result.Describe()}");
        AssertOneLine(result, "拒絕 OAuth2 權杖");
        Assert.True(_endpoint.Issued == 2, $"the cached token, then one fresh one, issued {_endpoint.Issued}");
        var log = await ReadFromAsync(_stack.DovecotLog, logBefore);
        Assert.True(log.Contains("Token has expired", StringComparison.Ordinal), $"Dovecot must log why it refused:\n{log}");
    }

    public async Task DisposeAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        if (_folder is not null)
            await _folder.DeleteAsync(cts.Token);
        if (_imap is not null)
        {
            await _imap.DisconnectAsync(quit: true, cts.Token);
            _imap.Dispose();
        }
        if (_endpoint is not null)
            await _endpoint.DisposeAsync();
        _workspace.Dispose();
    }

    private async Task<MimeMessage> WaitForDeliveryAsync(string address)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var found = await _stack.InboxToAsync("org1@" + _stack.Domain, address, CancellationToken.None);
            if (found.Count > 0)
                return Assert.Single(found);
            if (clock.Elapsed > DeliveredMail.DeliveryTimeout)
                throw new XunitException($"nothing to {address} within {DeliveredMail.DeliveryTimeout.TotalSeconds:0} s; Postfix log:\n{await ReadFromAsync(_stack.PostfixLog, 0)}");
            await Task.Delay(500);
        }
    }

    private static async Task<string> ReadFromAsync(string path, long offset)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync();
        return text.Length <= 8_000 ? text : "…" + text[^8_000..];
    }

    private static void AssertOneLine(CliResult result, params string[] mustContain)
    {
        Assert.True(result.StderrLines.Length == 1, $"stderr must be exactly one line: {result.Describe()}");
        foreach (var text in mustContain)
            Assert.True(result.StderrLines[0].Contains(text, StringComparison.Ordinal), $"the line must say 「{text}」: {result.Describe()}");
        Assert.DoesNotContain(result.Stdout.Split('\n').Concat(result.StderrLines), line => line.StartsWith("   at ", StringComparison.Ordinal));
    }
}
