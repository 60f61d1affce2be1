using MailIntake.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Hostile finding h31h Q6: a restored copy of the store (a rehearsal, a backup check) has the store's id, so the drop
/// folder's claim let it in while the live service ran: its <c>run --once</c> moved the service's new mail to
/// <c>processed/</c>, the live store never recorded it and said all was well. A copy takes nothing while the DataDirectory
/// the claim names is held by a running worker; one that took the folder while the service was stopped is found out when
/// the service takes the claim back, and what it moved is read into the live store.
/// </summary>
public sealed class DropFolderCopyTests(ITestOutputHelper output) : DropFolderTest(output)
{
    [Fact]
    public async Task RestoredCopyBesideTheRunningService_TakesNothingFromItsDropFolder_NamingTheService()
    {
        using var copy = new TestWorkspace();
        var (cli, reference, rehearsal) = await RestoredCopyAsync(copy);
        cli.Environment["MailIntake__Mailbox__PollInterval"] = "01:00:00"; // one pass at its start, then none in this test
        await using var service = WorkerProcess.Start(cli, Output, "service");
        await service.WaitForLineAsync(line => line.Contains("Drop folder", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "the service's first pass");
        var waiting = DropReply(reference, 1);

        var run = await rehearsal.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 1, run.Describe());
        var line = Assert.Single(run.StderrLines);
        Assert.True(line.Contains($"PID {service.Pid}", StringComparison.Ordinal) && line.Contains(Workspace.DataDirectory, StringComparison.Ordinal)
            && line.Contains("MailIntake:Mailbox:DropFolder", StringComparison.Ordinal), $"one line naming the running service and what to do: {line}");
        Assert.True(File.Exists(waiting), "the service's new mail stays in the drop folder");
        Assert.Single(await rehearsal.ListMailAsync());
        Assert.Equal(0, await service.StopAsync(TimeSpan.FromSeconds(30)));
        await cli.RunOnceAsync();
        var mails = await cli.ListMailAsync();
        Assert.True(mails.Count == 2 && mails.All(mail => mail.Kind == "reply"), Dump(mails));
    }

    [Fact]
    public async Task RestoredCopyRunWhileTheServiceWasStopped_TheServiceReadsWhatTheCopyTook()
    {
        using var copy = new TestWorkspace();
        var (cli, reference, rehearsal) = await RestoredCopyAsync(copy);
        DropReply(reference, 1);
        await rehearsal.RunOnceAsync(); // the service is stopped: the copy takes the new mail
        var recorded = (await cli.ListMailAsync()).Select(mail => mail.MessageId).ToHashSet();
        var taken = Assert.Single(await rehearsal.ListMailAsync(), mail => !recorded.Contains(mail.MessageId));

        // h32h R5, R6: until the service's next pass, it says so and decides nothing on "no reply".
        var waiting = await cli.RunAsync("status");
        Assert.Contains($"收件資料夾最近由同一資料庫之另一資料目錄 {copy.DataDirectory} 收件", waiting.Stdout, StringComparison.Ordinal);
        var reminders = await cli.RunAsync("jobs", "run", "reminders");
        Assert.True(reminders.ExitCode == 0 && reminders.Stdout.Contains("本次暫緩", StringComparison.Ordinal), reminders.Describe());
        var round = await cli.RunAsync("notice", "follow-up", reference, "--result", "completed", "--by", "林書記");
        Assert.True(round.ExitCode == 1 && round.Stderr.Contains("尚未讀入本資料目錄", StringComparison.Ordinal), round.Describe());

        var run = await cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        var mails = await cli.ListMailAsync();
        Assert.True(mails.Count == 2 && mails.All(mail => mail.Kind == "reply") && mails.Select(mail => mail.MessageId).Distinct().Count() == 2, Dump(mails));
        Assert.Equal(taken.ReceivedAt, mails.Single(mail => mail.MessageId == taken.MessageId).ReceivedAt);
        Assert.Equal(2, (await cli.ShowNoticeAsync(reference)).Replies.Count);
        var status = await cli.RunAsync("status");
        Assert.DoesNotContain("還原後尚未重新讀取", status.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("另一資料目錄", status.Stdout, StringComparison.Ordinal);
    }

    /// <summary>The service's store (a notice, one reply taken from the drop folder, backed up) and a copy restored from that backup into <paramref name="copy"/>, on the same drop folder.</summary>
    private async Task<(MailIntakeCli Service, string Reference, MailIntakeCli Copy)> RestoredCopyAsync(TestWorkspace copy)
    {
        var (cli, reference) = await DropFolderWithNoticeAsync();
        DropReply(reference, 0);
        await cli.RunOnceAsync();
        var backup = await BackUpAsync(cli);
        return (cli, reference, await RestoreIntoAsync(copy, cli, backup));
    }
}
