using System.Globalization;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MimeKit;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Implicit TLS to the real Dovecot through a relay that accepts connections and closes them at once (a server
/// restarting, a balancer with nothing behind it): a cut handshake is a connection failure, retried with backoff, and
/// never reported as a certificate problem.
/// </summary>
public sealed class ImapHandshakeCutTests(ITestOutputHelper output) : EndToEndTest(output), IAsyncDisposable
{
    private readonly TcpRelay _relay = TcpRelay.StartNew(MailStack.Settings.ImapsPort);

    protected override void ConfigureProgram(MailIntakeCli cli)
    {
        cli.Environment["MailIntake__Mailbox__Port"] = _relay.Port.ToString(CultureInfo.InvariantCulture);
        cli.Environment["MailIntake__Mailbox__Security"] = "SslOnConnect";
        // Backoff capped at a quarter of this: 1 s.
        cli.Environment["MailIntake__Mailbox__PollInterval"] = "00:00:04";
    }

    [Fact]
    public async Task HandshakeCut_RetriedWithBackoffAndStatusNamesTheCutNotTheCertificate()
    {
        var first = Message("after two cut handshakes");
        await Mailbox.AppendAsync(first);
        _relay.CutNext = 2;

        var run = await Cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, $"a cut handshake is retried like a refused connection: {run.Describe()}");
        Assert.Contains("retry 2", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(BareMessageId(first.MessageId), BareMessageId(Assert.Single(await Cli.ListMailAsync()).MessageId));
        Assert.Equal(3, _relay.Accepted);

        // Every handshake cut: the one-off pass gives up after its retries, and says what happened.
        _relay.CutNext = int.MaxValue;
        var failed = await Cli.RunAsync("run", "--once");
        Assert.True(failed.ExitCode == 1, failed.Describe());
        Assert.True(_relay.Accepted > 4, $"retried before giving up: {_relay.Accepted} connections");
        var status = await Cli.RunOkAsync("status");
        Assert.Contains("TLS 交握時連線被中斷", status, StringComparison.Ordinal);
        Assert.DoesNotContain("CaCertificate", status, StringComparison.Ordinal);
        Assert.DoesNotContain("CaCertificate", failed.Stderr + failed.Stdout, StringComparison.Ordinal);
    }

    private MimeMessage Message(string label) => TestMessages.Plain(label, CenterUser);

    async ValueTask IAsyncDisposable.DisposeAsync() => await _relay.DisposeAsync();
}
