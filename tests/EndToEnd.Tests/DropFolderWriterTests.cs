using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// A drop-folder file whose writer has not finished is not filed as a mail: one still open for writing is left alone
/// however long it is quiet, and one whose MIME visibly stops short is held in the folder until it has been left
/// unchanged for ten minutes, then recorded held for staff (hostile finding h14h G8: a writer stalled longer than the
/// quiet period had half a reply filed, its evidence cut, and a false receipt sent).
/// </summary>
public sealed class DropFolderWriterTests(ITestOutputHelper output) : EndToEndTest(output)
{
    [Fact]
    public Task FileHeldOpenForWritingByAStalledWriter_IsLeftThoughQuiet_ThenFiledWholeOnceClosed() => StalledWriterAsync(anotherOwner: false);

    /// <summary>
    /// The file belongs to another user and the service may not take a lease on it (no CAP_LEASE): the writer is found
    /// through /proc (the test process is root's, as the service here).
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public Task FileOfAnotherUserHeldOpenForWriting_IsFoundThroughProcWithoutALease() => StalledWriterAsync(anotherOwner: true);

    private async Task StalledWriterAsync(bool anotherOwner)
    {
        var cli = DropFolderCli("00:00:01");
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        var reply = TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆");
        var whole = Crlf.Serialize(reply.Message);
        var path = Path.Combine(DropFolder, "slow.eml");
        Directory.CreateDirectory(DropFolder);

        await using (var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            var half = whole.Length / 2;
            await writer.WriteAsync(whole.AsMemory(0, half));
            await writer.FlushAsync();
            if (anotherOwner)
            {
                Assert.Equal(0, Chown(path, 65534, 65534));
                cli.CommandPrefix = ["setpriv", "--bounding-set=-lease", "--"];
            }

            // The writer stalls (an SMB copy pausing, a slow relay): the file is quiet, but still open for writing.
            var run = await cli.RunAsync("run", "--once");

            Assert.True(run.ExitCode == 0, run.Describe());
            var early = await cli.ListMailAsync();
            Assert.True(early.Count == 0, $"a file still open for writing is not read as a mail: {Dump(early)}");
            Assert.True(File.Exists(path), "the file stays in the drop folder for a later pass");
            Assert.Contains("open for writing", run.Stdout + run.Stderr, StringComparison.Ordinal);

            await writer.WriteAsync(whole.AsMemory(half));
        }

        cli.CommandPrefix = [];
        await cli.RunOnceAsync();

        var mail = Assert.Single(await cli.ListMailAsync());
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference, $"the whole file is filed: {Dump(mail)}");
        var raw = Path.Combine(Workspace.Input, "raw.eml");
        await cli.RunOkAsync("mail", "show", mail.MailId, "--raw", "-o", raw);
        Assert.Equal(whole, await File.ReadAllBytesAsync(raw));
        Assert.Equal(reply.Attachments.Count, Assert.Single((await cli.ShowNoticeAsync(reference)).Replies).Evidence.Count);
    }

    /// <summary>
    /// Hostile finding h15h K1: a whole reply whose drop file some process keeps open for writing (a hung copy tool, a
    /// leaked descriptor) was left in the folder every pass with only an info log: status said 收件：正常, the digest
    /// nothing, for ever. It is still not read while open for writing; once unchanged for ten minutes so, status (text
    /// and JSON) and the digest name it, how long it has waited and what to do; closed, it is filed and no longer named.
    /// A stamp 30 minutes back on a file written just now is not "unchanged 30 minutes" (hostile finding h19h H1: it was
    /// named at once, 「自 20:21 起未再寫入」 of a file written at 20:51). The drop folder is a disk of its own, whose inode's
    /// status-change time the test sets 30 minutes back (no system call can).
    /// </summary>
    [LoopDiskFact]
    public async Task WholeFileHeldOpenForWritingUnchangedTenMinutes_IsNotReadButNamedInStatusAndDigestWithWhatToDo()
    {
        using var disk = LoopDisk.Mount(Path.Combine(Workspace.Root, "disk"), DropFolder);
        var cli = DropFolderCli("00:00:01");
        cli.Environment["MailIntake__Staff__DigestRecipients__0"] = "staff@intake.test";
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        var whole = Crlf.Serialize(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆").Message);
        var path = Path.Combine(DropFolder, "held.eml");
        Directory.CreateDirectory(DropFolder);

        await using (var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            await writer.WriteAsync(whole);
            await writer.FlushAsync();

            // Fresh: its writer may still append; nothing to tell staff yet.
            await cli.RunOnceAsync();
            var fresh = await cli.RunAsync("status");
            Assert.True(fresh.ExitCode == 0 && !fresh.Stdout.Contains("held.eml", StringComparison.Ordinal), fresh.Describe());

            // Stamped 30 minutes back (a copy keeping its source's time) but written here just now: not yet to be named.
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-30));
            await cli.RunOnceAsync();
            var stamped = await cli.RunAsync("status");
            Assert.True(stamped.ExitCode == 0 && !stamped.Stdout.Contains("held.eml", StringComparison.Ordinal), stamped.Describe());
        }

        // Its writer hung with the file open and wrote nothing here for 30 minutes.
        disk.SetStatusChangeTime(path, DateTime.UtcNow.AddMinutes(-30));
        await using (new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read))
        {
            var run = await cli.RunAsync("run", "--once");

            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.True((await cli.ListMailAsync()).Count == 0, "a file still open for writing is not read: its writer may append");
            Assert.True(File.Exists(path), "it stays in the drop folder");
            var status = await cli.RunAsync("status");
            Assert.True(status.ExitCode == 0, status.Describe());
            var line = status.Stdout.Split('\n').FirstOrDefault(text => text.Contains("held.eml", StringComparison.Ordinal));
            Assert.True(line is not null && line.Contains("開啟", StringComparison.Ordinal) && line.Contains("分鐘", StringComparison.Ordinal)
                && line.Contains("關閉", StringComparison.Ordinal) && line.Contains("系統管理人員", StringComparison.Ordinal),
                $"status names the file, how long it has waited and what to do: {status.Describe()}");
            var json = await cli.RunJsonNodeAsync("status", "--json");
            var held = Assert.Single(json["dropFolder"]!["heldOpen"]!.AsArray());
            Assert.Equal(path, held!["path"]!.GetValue<string>());
            var since = DateTimeOffset.Parse(held["unchangedSince"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(since <= TestClock.Now.AddMinutes(-29), $"unchanged since its last write, 30 minutes ago: {held.ToJsonString()}");
            Assert.True(held["waitedMinutes"]!.GetValue<int>() >= 29, held.ToJsonString());

            await cli.RunOkAsync("jobs", "run", "digest");
            var digest = Directory.EnumerateFiles(Workspace.Outbox, "*.eml", SearchOption.AllDirectories).Select(file => MimeKit.MimeMessage.Load(file))
                .Single(message => message.Subject?.Contains("摘要", StringComparison.Ordinal) == true);
            foreach (var body in new[] { digest.TextBody ?? "", digest.HtmlBody ?? "" })
                Assert.True(body.Contains("held.eml", StringComparison.Ordinal) && body.Contains("開啟", StringComparison.Ordinal) && body.Contains("關閉", StringComparison.Ordinal),
                    $"the digest names the file and what to do:\n{body}");
        }

        // Closed: the next pass files it, and it is named no more.
        await cli.RunOnceAsync();

        var mail = Assert.Single(await cli.ListMailAsync());
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference, Dump(mail));
        var after = await cli.RunAsync("status");
        Assert.DoesNotContain("held.eml", after.Stdout, StringComparison.Ordinal);
    }

    [LoopDiskFact]
    public async Task FreshDropWhoseMimeStopsShort_StaysInTheFolder_ThenAfterTenMinutesUnchangedIsHeldForStaffWithoutReceipt()
    {
        using var disk = LoopDisk.Mount(Path.Combine(Workspace.Root, "disk"), DropFolder);
        var cli = DropFolderCli("00:00:00");
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        Directory.CreateDirectory(DropFolder);
        var whole = Crlf.Serialize(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆").Message);
        var text = System.Text.Encoding.Latin1.GetString(whole);
        var closing = text.LastIndexOf("\r\n--", text.Length - 4, StringComparison.Ordinal);
        Assert.True(closing > 0, "the message ends with a closing boundary");
        // A writer that stopped (a copy interrupted, a remote writer this machine cannot see) before the MIME ended.
        var cut = Path.Combine(DropFolder, "cut.eml");
        await File.WriteAllBytesAsync(cut, whole.AsMemory(0, closing - 3).ToArray());
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "other.eml"), Crlf.Serialize(TestMessages.OutOfOffice()));

        var run = await cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        var early = await cli.ListMailAsync();
        Assert.True(early.Count == 1 && early[0].Kind == "auto-reply", $"only the whole file is taken: {Dump(early)}");
        Assert.True(File.Exists(cut), "a fresh drop that stops short waits in the drop folder: its writer may go on");

        // Left unchanged here for more than ten minutes: its writer is not coming back.
        File.SetLastWriteTimeUtc(cut, DateTime.UtcNow.AddMinutes(-11));
        disk.SetStatusChangeTime(cut, DateTime.UtcNow.AddMinutes(-11));
        await cli.RunOnceAsync();

        var mails = await cli.ListMailAsync();
        Assert.Equal(2, mails.Count);
        var held = Assert.Single(mails, mail => mail.Kind != "auto-reply");
        Assert.True(held.Kind == "unmatched" && held.Reason is { } reason && reason.Contains("原始檔可能不完整", StringComparison.Ordinal),
            $"the cut file is held for staff with the reason: {Dump(held)}");
        var notice = await cli.ShowNoticeAsync(reference);
        Assert.Empty(notice.Replies);
        Assert.DoesNotContain(notice.Outbound, outbound => outbound.Kind == "receipt");
        Assert.False(File.Exists(cut));
    }

    [LoopDiskFact]
    public async Task EmptyFreshDrop_StaysInTheFolderUntilTenMinutesUnchanged_ThenRecorded()
    {
        using var disk = LoopDisk.Mount(Path.Combine(Workspace.Root, "disk"), DropFolder);
        var cli = DropFolderCli("00:00:00");
        Directory.CreateDirectory(DropFolder);
        // A writer that created the file and has not written yet (a relay's first step, an SMB copy's create).
        var empty = Path.Combine(DropFolder, "empty.eml");
        await File.WriteAllBytesAsync(empty, []);
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "other.eml"), Crlf.Serialize(TestMessages.OutOfOffice()));

        var run = await cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        var early = await cli.ListMailAsync();
        Assert.True(early.Count == 1 && early[0].Kind == "auto-reply", $"an empty fresh file is not recorded yet: {Dump(early)}");
        Assert.True(File.Exists(empty), "it waits in the drop folder for its writer");

        File.SetLastWriteTimeUtc(empty, DateTime.UtcNow.AddMinutes(-11));
        disk.SetStatusChangeTime(empty, DateTime.UtcNow.AddMinutes(-11));
        await cli.RunOnceAsync();

        var mails = await cli.ListMailAsync();
        Assert.True(mails.Count == 2, $"left empty for ten minutes, it is recorded for staff to see: {Dump(mails)}");
        Assert.False(File.Exists(empty));
    }

    /// <summary>
    /// Hostile finding h19h H1: a cut drop file its writer stamped before finishing (robocopy /Z's 1980, a copy keeping
    /// its source's time) was "ten minutes unchanged" by its modification time seconds after it was written: held for
    /// staff as cut at once, and the rest its writer then appended by name became a second, broken mail — one reply in
    /// two halves, neither filed. It waits ten minutes from when it was last written here, and is filed whole.
    /// </summary>
    [Theory]
    [InlineData("hour")]
    [InlineData("1980")]
    public async Task CutDropStampedInThePastButWrittenJustNow_WaitsForItsWriter_ThenFiledWholeAsOneReply(string stamp)
    {
        var cli = DropFolderCli("00:00:00");
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        var reply = TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆");
        var whole = Crlf.Serialize(reply.Message);
        Directory.CreateDirectory(DropFolder);
        var cut = Path.Combine(DropFolder, "copied.eml");
        await File.WriteAllBytesAsync(cut, whole.AsMemory(0, whole.Length / 2).ToArray());
        File.SetLastWriteTimeUtc(cut, stamp == "hour" ? DateTime.UtcNow.AddHours(-1) : new DateTime(1980, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var run = await cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.True((await cli.ListMailAsync()).Count == 0, "written here seconds ago, it is not held as cut: its writer may go on");
        Assert.True(File.Exists(cut));

        // The writer goes on by name (a restartable copy after a stall) and finishes.
        await using (var writer = new FileStream(cut, FileMode.Append, FileAccess.Write))
        {
            await writer.WriteAsync(whole.AsMemory(whole.Length / 2));
        }

        await cli.RunOnceAsync();

        var mail = Assert.Single(await cli.ListMailAsync());
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference, $"one reply, filed whole: {Dump(mail)}");
        Assert.Equal(reply.Attachments.Count, Assert.Single((await cli.ShowNoticeAsync(reference)).Replies).Evidence.Count);
    }

    /// <summary>
    /// Hostile finding h15h K7: a cut drop file whose modification time lay a day ahead (a copy keeping the time of a PC
    /// whose clock is ahead) waited until that time + 10 minutes, silently. Its status-change time (the folder's own
    /// clock, moved by every write) tells when it last changed here: 10 minutes after that it is held for staff — judged
    /// from the file itself, so by a later <c>run --once</c> as well as by a running worker. The drop folder is a disk of
    /// its own, whose inode's status-change time the test sets 11 minutes back (no system call can).
    /// </summary>
    [LoopDiskFact]
    public async Task CutDropStampedInTheFuture_IsHeldTenMinutesAfterItLastChangedHere_NotAfterItsStamp()
    {
        using var disk = LoopDisk.Mount(Path.Combine(Workspace.Root, "disk"), DropFolder);
        var cli = DropFolderCli("00:00:00");
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        var whole = Crlf.Serialize(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆").Message);
        var cut = Path.Combine(DropFolder, "cut-future.eml");
        await File.WriteAllBytesAsync(cut, whole.AsMemory(0, whole.Length / 2).ToArray());
        File.SetLastWriteTimeUtc(cut, DateTime.UtcNow.AddDays(1));

        var run = await cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Empty(await cli.ListMailAsync());
        Assert.True(File.Exists(cut), "a fresh drop that stops short waits in the drop folder: its writer may go on");

        // Nothing written to it here for 11 minutes; its stamp still lies a day ahead.
        disk.SetStatusChangeTime(cut, DateTime.UtcNow.AddMinutes(-11));
        await cli.RunOnceAsync();

        var held = Assert.Single(await cli.ListMailAsync());
        Assert.True(held.Kind == "unmatched" && held.Reason is { } reason && reason.Contains("原始檔可能不完整", StringComparison.Ordinal),
            $"the cut file is held for staff with the reason: {Dump(held)}");
        Assert.False(File.Exists(cut));
        Assert.Empty((await cli.ShowNoticeAsync(reference)).Replies);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, int owner, int group);

    private string DropFolder => Path.Combine(Workspace.Root, "drop");

    private MailIntakeCli DropFolderCli(string quietPeriod)
    {
        var cli = MailIntakeCli.ForDropFolder(Workspace, Output);
        cli.Environment["MailIntake__Mailbox__DropQuietPeriod"] = quietPeriod;
        return cli;
    }
}
