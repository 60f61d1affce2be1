using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Intake failing on the center's own disk (raw/ unusable, as when it is full or read-only) with mail waiting on the
/// real Dovecot: the mail server is not blamed, what is queued still goes out, and what killed runs left in raw/tmp is
/// cleared by the next run that holds the lock.
/// </summary>
public sealed class LocalFailureIntakeTests(ITestOutputHelper output) : EndToEndTest(output)
{
    [Fact]
    public async Task RunOnce_RawFolderUnusable_SendsWhatIsQueuedAndCountsNoConnectionDrop()
    {
        await Cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await Cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply().Message);
        // A file where raw/tmp belongs: no raw mail can be written, as with a full or read-only disk.
        Directory.CreateDirectory(Path.Combine(Workspace.DataDirectory, "raw"));
        await File.WriteAllTextAsync(Path.Combine(Workspace.DataDirectory, "raw", "tmp"), "in the way");

        var run = await Cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 1 && run.StderrLines[^1].Contains("檔案或資料夾無法使用", StringComparison.Ordinal),
            $"the disk is named, not the mail server: {run.Describe()}");
        Assert.DoesNotContain("dropped", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(await Cli.ListMailAsync());
        var sent = Directory.GetFiles(Workspace.Outbox, "*.eml");
        Assert.True(sent.Length == 1, $"the queued notice {reference} goes out although intake failed: {sent.Length} sent; {run.Describe()}");
        var drops = (await Cli.RunJsonNodeAsync("status", "--json"))["intake"]!["drops"]!;
        Assert.True(drops["lastHour"]!.GetValue<int>() == 0 && !drops["warning"]!.GetValue<bool>(),
            $"a local disk failure is no connection drop: {drops.ToJsonString()}");

        File.Delete(Path.Combine(Workspace.DataDirectory, "raw", "tmp"));
        await Cli.RunOnceAsync();
        Assert.Single(await Cli.ListMailAsync("reply"));
    }

    [Fact]
    public async Task RunOnce_LeftoversOfAKilledRunInRawTmp_RemovedAtStartAndStoreVerifiesClean()
    {
        await ImportOrgsAndIssueNoticeAsync();
        await Cli.RunOnceAsync();
        var temp = Path.Combine(Workspace.DataDirectory, "raw", "tmp");
        Directory.CreateDirectory(temp);
        var leftovers = Enumerable.Range(0, 3).Select(_ => Path.Combine(temp, Guid.NewGuid().ToString("N"))).ToList();
        foreach (var leftover in leftovers)
            await File.WriteAllBytesAsync(leftover, new byte[100_000]);
        var before = await Cli.RunAsync("store", "verify");
        Assert.True(before.ExitCode == 1, $"the leftovers are there to be found: {before.Describe()}");
        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply().Message);

        await Cli.RunOnceAsync();

        Assert.All(leftovers, leftover => Assert.False(File.Exists(leftover), $"{leftover} left behind"));
        Assert.Single(await Cli.ListMailAsync("reply"));
        var verify = await Cli.RunAsync("store", "verify");
        Assert.True(verify.ExitCode == 0, $"nothing but the new mail is left: {verify.Describe()}");
    }

    /// <summary>
    /// Hostile finding h11u #9: on IMAP one mail larger than the DataDirectory's free space stopped all intake — the
    /// mails before it in the same FETCH were not recorded, every pass downloaded it again and filled the disk, and
    /// status did not name it. Now its RFC822.SIZE decides before its body is fetched: it is left on the server, named
    /// (UID, sender, size, free space), the others (before and after it) are recorded, and once there is room it is too.
    /// </summary>
    [SmallDiskFact]
    public async Task MailLargerThanTheFreeSpace_LeftOnTheServerNamedWhileTheOthersAreRecordedThenRecordedOnceThereIsRoom()
    {
        using var disk = SmallDisk.Mount(Path.Combine(Workspace.Root, "disk"), megabytes: 20);
        Cli.Environment["MailIntake__DataDirectory"] = Path.Combine(disk.MountPoint, "data");
        var reference = await ImportOrgsAndIssueNoticeAsync();
        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆 1").Message);
        var huge = new System.IO.MemoryStream();
        huge.Write("From: scanner@org1.example.tw\r\nTo: center@intake.test\r\nSubject: scan\r\nMessage-ID: <huge@org1.example.tw>\r\n\r\n"u8);
        var line = System.Text.Encoding.ASCII.GetBytes(new string('A', 998) + "\r\n");
        while (huge.Length < 30 * 1024 * 1024)
            huge.Write(line);
        var hugeUid = await Mailbox.AppendAsync(huge.ToArray());
        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆 2").Message);

        var run = await Cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 1, run.Describe());
        Assert.Contains($"UID {hugeUid}（寄件者 scanner@org1.example.tw，郵件 30", run.StderrLines[^1], StringComparison.Ordinal);
        Assert.Contains("剩餘", run.StderrLines[^1], StringComparison.Ordinal);
        Assert.Equal(2, (await Cli.ListMailAsync("reply")).Count);
        Assert.Empty(Directory.GetFiles(Path.Combine(disk.MountPoint, "data", "raw", "tmp")));
        var status = await Cli.RunAsync("status");
        Assert.Contains($"UID {hugeUid}", status.Stdout, StringComparison.Ordinal);

        // Later mail is not held up behind it, and it is tried again on every pass.
        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆 3").Message);
        var again = await Cli.RunAsync("run", "--once");
        Assert.True(again.ExitCode == 1 && again.StderrLines[^1].Contains($"UID {hugeUid}", StringComparison.Ordinal), again.Describe());
        Assert.Equal(3, (await Cli.ListMailAsync("reply")).Count);

        disk.Resize(megabytes: 120);
        await Cli.RunOnceAsync();

        var mails = await Cli.ListMailAsync();
        Assert.Equal(4, mails.Count);
        Assert.Single(mails, mail => mail.MessageId == "<huge@org1.example.tw>" || mail.MessageId == "huge@org1.example.tw");
        await Cli.RunOnceAsync();
        Assert.Equal(4, (await Cli.ListMailAsync()).Count);
    }
}
