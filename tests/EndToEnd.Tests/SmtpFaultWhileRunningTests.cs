using System.Diagnostics;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The SMTP server is away while the worker runs: the notice waits queued, <c>status</c> says sending is failing and
/// since when, and once the server is back the notice goes out exactly once and sending is ok again.
/// </summary>
public sealed class SmtpFaultWhileRunningTests(ITestOutputHelper output) : OutboundMailTest(output), IAsyncDisposable
{
    private readonly TcpRelay _relay = TcpRelay.StartNew(MailStack.Settings.SmtpPort);

    protected override void ConfigureProgram(MailIntakeCli cli)
    {
        base.ConfigureProgram(cli);
        cli.UseSmtp(_relay.Port);
        cli.Environment["MailIntake__Jobs__OutboxInterval"] = "00:00:05";
        cli.Environment["MailIntake__Mailbox__PollInterval"] = "00:00:01";
        cli.Environment["MailIntake__Mailbox__UseIdle"] = "false";
        cli.Environment["MailIntake__Staff__DigestRecipients__0"] = $"staff+{Tag}@{MailStack.Settings.Domain}";
    }

    [Fact]
    public async Task SmtpDownWhileRunning_StatusSaysFailingThenNoticeDeliveredOnceAndSendOk()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        await _relay.StopAsync();
        var reference = await Cli.IssueNoticeAsync(Orgs.TestGuild, send: true);

        await using var worker = WorkerProcess.Start(Cli, Output, "worker");
        var outage = Stopwatch.StartNew();
        var failing = await ProgramStatus.WaitForAsync(Cli, Output, worker, "send", status => status["send"]!["failingSince"] is not null, TimeSpan.FromSeconds(60), "send.failingSince while SMTP is down");
        var failingAfter = outage.Elapsed;
        Assert.False(failing["send"]!["ok"]!.GetValue<bool>(), $"send must not be ok while SMTP is down: {failing}");
        Assert.False(string.IsNullOrWhiteSpace(failing["send"]!["lastError"]?.GetValue<string>()), $"the failure must say why: {failing}");
        Assert.True(failing["queues"]!["outboundQueued"]!.GetValue<int>() >= 1, $"the notice must wait in the queue: {failing}");

        var waiting = SingleOutbound(await Cli.ShowNoticeAsync(reference), "notice");
        Assert.True(waiting.Status == "queued" && waiting.Attempts >= 1, $"the notice must wait queued after a failed attempt: {Dump(waiting)}");
        Assert.False(worker.HasExited, $"the worker must keep running while SMTP is down:\n{worker.Tail()}");

        _relay.Start();
        var downFor = outage.Elapsed;
        var send = await Cli.RunOutboxJobAsync(TestClock.Now.AddHours(1));
        Assert.True(send.ExitCode == 0, $"with SMTP back the queued notice must be sent: {send.Describe()}");
        var delivered = await Delivered.WaitForAsync(Org1Address, 1, $"notice {reference} after the outage");
        var healthy = await ProgramStatus.WaitForAsync(Cli, Output, worker, "send", status => status["send"]!["ok"]!.GetValue<bool>(), TimeSpan.FromSeconds(30), "send.ok after recovery");
        Assert.Null(healthy["send"]!["failingSince"]);

        var retries = worker.CountLines(line => line.Contains("smtp: transient failure", StringComparison.Ordinal));
        var failedAttempts = worker.CountLines(line => line.Contains("attempt", StringComparison.Ordinal) && line.Contains("failed", StringComparison.Ordinal));
        Assert.False(worker.HasExited, $"the worker must still run after the outage:\n{worker.Tail()}");
        var exit = await worker.StopAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"the worker must stop cleanly on SIGTERM, exited {exit}");

        await Delivered.SettleAsync(Org1Address);
        var copies = await Delivered.ToAsync(Org1Address);
        var sent = SingleOutbound(await Cli.ShowNoticeAsync(reference), "notice");
        Output.WriteLine($"1 notice, SMTP down {downFor.TotalSeconds:0} s while the worker ran: send reported failing after {failingAfter.TotalSeconds:0.0} s " +
                         $"(failingSince {failing["send"]!["failingSince"]}, {failing["send"]!["failures"]} failure(s), \"{failing["send"]!["lastError"]}\"), " +
                         $"{retries} smtp retries and {failedAttempts} failed attempt(s) logged by the worker; {copies.Count} copy delivered after recovery, " +
                         $"{Math.Max(0, 1 - copies.Count)} lost, {Math.Max(0, copies.Count - 1)} doubled");
        Assert.True(copies.Count == 1, $"the notice must arrive exactly once, arrived {copies.Count} times: {DeliveredMail.Subjects(copies)}");
        Assert.True(sent.Status == "sent", $"the delivered notice must be sent: {Dump(sent)}");
        Assert.Equal(BareMessageId(delivered[0].MessageId), BareMessageId(sent.MessageId));
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await _relay.DisposeAsync();
}
