using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>The outbox through an SMTP outage: mail waits while the server is away, then goes out exactly once.</summary>
public sealed class SmtpOutageTests(ITestOutputHelper output) : OutboundMailTest(output), IAsyncDisposable
{
    private readonly TcpRelay _relay = TcpRelay.StartNew(MailStack.Settings.SmtpPort);

    protected override void ConfigureProgram(MailIntakeCli cli)
    {
        base.ConfigureProgram(cli);
        cli.UseSmtp(_relay.Port);
    }

    [Fact]
    public async Task SmtpDownThenUp_NoticeWaitsQueuedThenIsDeliveredExactlyOnce()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        await _relay.StopAsync();

        var reference = await Cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        await Cli.RunOnceAsync(); // exit 0: an unreachable SMTP server is no error of the intake pass

        var waiting = SingleOutbound(await Cli.ShowNoticeAsync(reference), "notice");
        Assert.True(waiting.Status == "queued", $"with SMTP down the notice must stay queued: {Dump(waiting)}");
        Assert.True(waiting.Attempts >= 1, $"the failed attempt must be counted: {Dump(waiting)}");
        Assert.False(string.IsNullOrWhiteSpace(waiting.LastError), $"the failed attempt must say why: {Dump(waiting)}");
        await Delivered.SettleAsync(Org1Address);
        Assert.Empty(await Delivered.ToAsync(Org1Address));

        _relay.Start();
        var now = TestClock.Now;
        var send = await Cli.RunOutboxJobAsync(now.AddHours(2));
        Assert.True(send.ExitCode == 0, $"with SMTP back the queued notice must be sent: {send.Describe()}");
        Assert.True(_relay.Accepted >= 1, "the program must have sent through the relay");

        var delivered = Assert.Single(await Delivered.WaitForAsync(Org1Address, 1, $"notice {reference} after the outage"));

        // Later runs of both kinds find nothing due: the notice was recorded as sent.
        var again = await Cli.RunOutboxJobAsync(now.AddHours(4));
        Assert.True(again.ExitCode == 0, again.Describe());
        await Cli.RunOnceAsync();

        await Delivered.SettleAsync(Org1Address);
        var copies = await Delivered.ToAsync(Org1Address);
        Assert.True(copies.Count == 1, $"the notice must arrive exactly once, arrived {copies.Count} times: {DeliveredMail.Subjects(copies)}");
        var sent = SingleOutbound(await Cli.ShowNoticeAsync(reference), "notice");
        Assert.True(sent.Status == "sent", $"the delivered notice must be sent: {Dump(sent)}");
        Assert.Equal(BareMessageId(delivered.MessageId), BareMessageId(sent.MessageId));
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await _relay.DisposeAsync();
}
