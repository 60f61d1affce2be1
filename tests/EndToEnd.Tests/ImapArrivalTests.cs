using System.Diagnostics;
using MailIntake.EndToEnd.Tests.Harness;
using MimeKit;
using MimeKit.Utils;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Mail that keeps arriving while the running worker fetches, with IDLE (the default): the server announces each
/// new message once, often in the middle of a pass, and the worker must not then idle past it.
/// </summary>
public sealed class ImapArrivalTests(ITestOutputHelper output) : EndToEndTest(output)
{
    private const int Stream = 120;

    /// <summary>Longer than Dovecot's IDLE check interval (30 s where it has no inotify), far shorter than the worker's 9-minute IDLE.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(45);

    protected override void ConfigureProgram(MailIntakeCli cli)
    {
        cli.Environment["MailIntake__Mailbox__UseIdle"] = "true";
        cli.Environment["MailIntake__Mailbox__PollInterval"] = "00:00:01";
    }

    [Fact]
    public async Task MailArrivingDuringPasses_WithIdle_EveryMessageRecordedWithoutWaitingForTheNextIdle()
    {
        await using var worker = WorkerProcess.Start(Cli, Output, "worker");
        await worker.WaitForLineAsync(line => line.Contains("IMAP connected", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "IMAP connection");

        var appended = new List<string>();
        for (var i = 0; i < Stream; i++)
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("someone@example.org"));
            message.To.Add(MailboxAddress.Parse(MailStack.Settings.CenterUser));
            message.Subject = $"arrival #{i}";
            message.MessageId = MimeUtils.GenerateMessageId("example.org");
            message.Body = new TextPart("plain") { Text = $"arrival {i}" };
            await Mailbox.AppendAsync(message);
            appended.Add(message.MessageId);
        }

        var clock = Stopwatch.StartNew();
        while (true)
        {
            var recorded = ProgramDatabase.Mails(Workspace.DataDirectory);
            if (recorded.Count >= Stream)
                break;
            if (worker.HasExited || clock.Elapsed > Settle)
                throw new XunitException($"{recorded.Count}/{Stream} mails recorded {clock.Elapsed.TotalSeconds:0} s after the last arrived: the worker idles past announced mail\n{worker.Tail()}");
            await Task.Delay(250);
        }

        var passes = worker.CountLines(line => line.Contains("new UID(s)", StringComparison.Ordinal));
        Output.WriteLine($"{Stream} messages appended one by one while the worker ran with IDLE: all recorded {clock.Elapsed.TotalSeconds:0.0} s after the last, in {passes} passes");
        var ids = ProgramDatabase.Mails(Workspace.DataDirectory).Select(m => m.MessageId).ToList();
        Assert.Equal(appended.Select(id => id.Trim('<', '>')).Order(), ids.Select(id => id!.Trim('<', '>')).Order());
    }
}
