using System.Diagnostics;
using MailIntake.EndToEnd.Tests.Harness;
using MimeKit;
using MimeKit.Utils;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The IMAP server goes away while the worker runs (a relay in front of Dovecot is stopped: connections refused,
/// the open one dropped) and comes back: the worker retries with backoff (at most 15 s apart), says in <c>status</c> that intake is
/// failing and since when, reconnects and carries on, and no mail is lost or recorded twice.
/// </summary>
public sealed class ImapOutageTests(ITestOutputHelper output) : EndToEndTest(output), IAsyncDisposable
{
    private const int PerBatch = 5;

    private readonly TcpRelay _relay = TcpRelay.StartNew(MailStack.Settings.ImapPort);

    protected override void ConfigureProgram(MailIntakeCli cli)
    {
        cli.Environment["MailIntake__Mailbox__Port"] = _relay.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        cli.Environment["MailIntake__Mailbox__PollInterval"] = "00:00:01";
    }

    /// <summary>With polling, and with IDLE (the default): mail arriving on a connection kept open is fetched either way.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ImapDownWhileRunning_RetriesReportsFailingThenRecoversWithEveryMailOnce(bool useIdle)
    {
        Cli.Environment["MailIntake__Mailbox__UseIdle"] = useIdle ? "true" : "false";
        var appended = new List<string>();
        await using var worker = WorkerProcess.Start(Cli, Output, "worker");
        await worker.WaitForLineAsync(line => line.Contains("IMAP connected", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "IMAP connection");

        // Before: mail that arrives while the worker runs is picked up by the next poll.
        await AppendBatchAsync("before", appended);
        // 45 s: with IDLE, Dovecot here may tell of new mail only at its 30 s IDLE check (no inotify).
        await WaitForRecordedAsync(appended.Count, worker, TimeSpan.FromSeconds(45), "mail appended while the worker runs");
        var before = await ProgramStatus.ReadAsync(Cli);
        Assert.True(before["intake"]!["ok"]!.GetValue<bool>(), $"intake must be healthy before the outage: {before}");

        // Down: the relay refuses new connections and drops the worker's open one; mail keeps arriving on the server.
        var outage = Stopwatch.StartNew();
        await _relay.StopAsync();
        await AppendBatchAsync("during", appended);
        var failing = await ProgramStatus.WaitForAsync(Cli, Output, worker, "intake", status => status["intake"]!["failingSince"] is not null, TimeSpan.FromSeconds(120), "intake.failingSince while IMAP is down");
        var failingAfter = outage.Elapsed;
        Assert.False(failing["intake"]!["ok"]!.GetValue<bool>(), $"intake must not be ok while IMAP is down: {failing}");
        Assert.False(string.IsNullOrWhiteSpace(failing["intake"]!["lastError"]?.GetValue<string>()), $"the failure must say why: {failing}");
        Assert.False(worker.HasExited, $"the worker must survive the outage:\n{worker.Tail()}");

        // Up again: new mail as well as what came during the outage is recorded, and intake is healthy again.
        var downFor = outage.Elapsed;
        _relay.Start();
        var recovery = Stopwatch.StartNew();
        await AppendBatchAsync("after", appended);
        await WaitForRecordedAsync(appended.Count, worker, TimeSpan.FromSeconds(60), "mail from before, during and after the outage");
        var healthy = await ProgramStatus.WaitForAsync(Cli, Output, worker, "intake", status => status["intake"]!["ok"]!.GetValue<bool>(), TimeSpan.FromSeconds(60), "intake.ok after recovery");
        var recoveredAfter = recovery.Elapsed;
        Assert.Null(healthy["intake"]!["failingSince"]);

        var lines = worker.Lines;
        var retries = lines.Count(l => l.Contains("imap: transient failure", StringComparison.Ordinal));
        var passFailures = lines.Count(l => l.Contains("Intake pass failed", StringComparison.Ordinal));
        var connects = lines.Count(l => l.Contains("IMAP connected", StringComparison.Ordinal));
        Assert.True(retries >= 1, $"the log must show the retries with their backoff:\n{worker.Tail()}");
        // The reconnect policy retries until the server is back (1 s, 2 s, 4 s … at most 15 s apart): no pass gives up
        // and waits a poll interval.
        Assert.True(passFailures == 0, $"no pass may give up while the server is away:\n{worker.Tail()}");
        Assert.True(connects >= 2, $"the worker must have reconnected:\n{worker.Tail()}");
        Assert.False(worker.HasExited, $"the worker must still run after the outage:\n{worker.Tail()}");
        var exit = await worker.StopAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"the worker must stop cleanly on SIGTERM after the outage, exited {exit}");

        var mails = await Cli.ListMailAsync();
        var recorded = mails.Select(m => BareMessageId(m.MessageId)).ToList();
        var lost = appended.Except(recorded).ToList();
        var doubled = recorded.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}").ToList();
        Output.WriteLine($"UseIdle={useIdle}: {appended.Count} messages ({PerBatch} before, {PerBatch} during, {PerBatch} after a {downFor.TotalSeconds:0} s IMAP outage), " +
                         $"1 fault, {retries} retries logged, {passFailures} failed pass(es), {connects} connects; intake reported failing " +
                         $"{failingAfter.TotalSeconds:0.0} s into the outage (failingSince {failing["intake"]!["failingSince"]}, {failing["intake"]!["failures"]} failure(s), " +
                         $"\"{failing["intake"]!["lastError"]}\"), ok again {recoveredAfter.TotalSeconds:0.0} s after the server came back; " +
                         $"{lost.Count} lost, {doubled.Count} doubled");
        Assert.True(lost.Count == 0, $"mail lost over the outage: {string.Join(", ", lost)}");
        Assert.True(doubled.Count == 0, $"mail recorded twice over the outage: {string.Join(", ", doubled)}");
        Assert.Equal(appended.Count, mails.Count);
    }

    private async Task AppendBatchAsync(string label, List<string> appended)
    {
        for (var i = 0; i < PerBatch; i++)
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("someone@example.org"));
            message.To.Add(MailboxAddress.Parse(MailStack.Settings.CenterUser));
            message.Subject = $"IMAP outage test: {label} #{i}";
            message.MessageId = MimeUtils.GenerateMessageId("example.org");
            message.Body = new TextPart("plain") { Text = $"{label} {i}" };
            await Mailbox.AppendAsync(message);
            appended.Add(message.MessageId);
        }
    }

    private async Task WaitForRecordedAsync(int count, WorkerProcess worker, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var recorded = ProgramDatabase.Mails(Workspace.DataDirectory);
            if (recorded.Count >= count && recorded.All(m => m.Kind != "received"))
                return;
            if (worker.HasExited || clock.Elapsed > timeout)
                throw new XunitException($"{what}: {recorded.Count}/{count} recorded after {clock.Elapsed.TotalSeconds:0} s (worker {(worker.HasExited ? "exited" : "running")}):\n{worker.Tail()}");
            await Task.Delay(250);
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await _relay.DisposeAsync();
}
