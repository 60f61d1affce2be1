using System.Globalization;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The folder mailbox (the embedded default) never reads a mail another program is still writing: a half-written
/// <c>.eml</c> was once filed as a complete reply with its evidence cut short.
/// </summary>
public sealed class DropFolderTests(ITestOutputHelper output) : DropFolderTest(output)
{
    [Fact]
    public async Task HalfWrittenFileStillBeingWritten_IsNotReadThenFiledWholeOnceWritten()
    {
        // The test's own writer may stall for seconds on a loaded machine: a quiet period well above any such stall.
        var cli = DropFolderCli(quietPeriod: "00:00:10");
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        var reply = TestMessages.OutlookBig5Reply();
        var whole = Crlf.Serialize(reply.Message);
        var path = Path.Combine(DropFolder, "reply.eml");
        Directory.CreateDirectory(DropFolder);

        CliResult firstRun;
        await using (var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            var half = whole.Length / 2;
            await writer.WriteAsync(whole.AsMemory(0, half));
            await writer.FlushAsync();
            // A slow writer: the file stays half written, and keeps being written to, for as long as the run lasts.
            using var stop = new CancellationTokenSource();
            var trickle = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    writer.Seek(half - 1, SeekOrigin.Begin);
                    await writer.WriteAsync(whole.AsMemory(half - 1, 1));
                    await writer.FlushAsync();
                    await Task.Delay(100);
                }
            });
            // run --once waits up to five quiet periods for the file before leaving it for a later pass.
            firstRun = await cli.RunAsync(TimeSpan.FromMinutes(5), "run", "--once");
            await stop.CancelAsync();
            await trickle;

            Assert.True(firstRun.ExitCode == 0, firstRun.Describe());
            var early = await cli.ListMailAsync();
            Assert.True(early.Count == 0, $"a file still being written must not be read as a mail: {Dump(early)}");
            Assert.True(File.Exists(path), "the half-written file stays in the drop folder for a later pass");

            writer.Seek(half, SeekOrigin.Begin);
            await writer.WriteAsync(whole.AsMemory(half));
        }

        await cli.RunOnceAsync();

        var mail = Assert.Single(await cli.ListMailAsync());
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference, $"the whole file is filed: {Dump(mail)}");
        var raw = Path.Combine(Workspace.Input, "raw.eml");
        await cli.RunOkAsync("mail", "show", mail.MailId, "--raw", "-o", raw);
        Assert.Equal(whole, await File.ReadAllBytesAsync(raw));
        var filed = Assert.Single((await cli.ShowNoticeAsync(reference)).Replies);
        Assert.Equal(reply.Attachments.Count, filed.Evidence.Count);
    }

    [Fact]
    public async Task HiddenOrTemporaryName_IsNotReadUntilRenamedToEml()
    {
        var cli = DropFolderCli();
        Directory.CreateDirectory(DropFolder);
        var whole = Crlf.Serialize(TestMessages.OutOfOffice());
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, ".auto.eml"), whole);
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "auto.eml.tmp"), whole);

        await cli.RunOnceAsync();
        Assert.Empty(await cli.ListMailAsync());

        File.Move(Path.Combine(DropFolder, "auto.eml.tmp"), Path.Combine(DropFolder, "auto.eml"));
        await cli.RunOnceAsync();

        var mail = Assert.Single(await cli.ListMailAsync());
        Assert.Equal("auto-reply", mail.Kind);
        Assert.True(File.Exists(Path.Combine(DropFolder, ".auto.eml")), "a hidden file is never taken");
    }

    [Fact]
    public async Task LinkOrFifoNamedEml_IsNeverReadAndSetAsideWhileRealMailIsFiled()
    {
        var cli = DropFolderCli();
        Directory.CreateDirectory(DropFolder);
        // A file outside the drop folder that the service user can read (a secret, another user's mail): a link to it
        // dropped as "*.eml" must never make it a received mail, nor a FIFO hang the pass.
        var secret = Path.Combine(Workspace.Root, "secret.txt");
        await File.WriteAllBytesAsync(secret, Crlf.Serialize(TestMessages.OutOfOffice()));
        File.CreateSymbolicLink(Path.Combine(DropFolder, "link.eml"), secret);
        await MakeFifoAsync(Path.Combine(DropFolder, "fifo.eml"));
        var whole = Crlf.Serialize(TestMessages.OutOfOffice());
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "real.eml"), whole);

        var run = await cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        var mail = Assert.Single(await cli.ListMailAsync());
        var raw = Path.Combine(Workspace.Input, "raw.eml");
        await cli.RunOkAsync("mail", "show", mail.MailId, "--raw", "-o", raw);
        Assert.Equal(whole, await File.ReadAllBytesAsync(raw));
        var refused = Path.Combine(DropFolder, "refused");
        Assert.True(new FileInfo(Path.Combine(refused, "link.eml")).LinkTarget == secret, "the link itself is set aside, unread");
        Assert.True(File.Exists(Path.Combine(refused, "fifo.eml")), "the FIFO is set aside, unread");
        Assert.False(File.Exists(Path.Combine(DropFolder, "link.eml")) || File.Exists(Path.Combine(DropFolder, "fifo.eml")));
        Assert.Contains("not a regular file", run.Stdout + run.Stderr, StringComparison.Ordinal);

        // Set aside once: the next pass has nothing to say about them and records nothing more.
        await cli.RunOnceAsync();
        Assert.Single(await cli.ListMailAsync());
        // Staff are told: a mail may sit behind a file set aside.
        var status = await cli.RunAsync("status");
        Assert.Contains("2 個未讀取之檔案", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NameNotUtf8OrExtensionInUpperCase_IsReadAndFiledUnderAReadableName()
    {
        var cli = DropFolderCli();
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        Directory.CreateDirectory(DropFolder);
        // 「限期改善回覆.eml」 in Big5, as a Windows tool in Taiwan (code page 950) names it, and a name that is no encoding.
        var big5Name = TestMessages.Big5.GetBytes("限期改善回覆.eml");
        PlaceUnderRawName(Crlf.Serialize(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆").Message), big5Name);
        PlaceUnderRawName(Crlf.Serialize(TestMessages.OutOfOffice()), [.. "bad"u8, 0xFF, 0xFE, .. "name.eml"u8]);
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "SCAN.EML"), Crlf.Serialize(TestMessages.OutOfOffice()));

        var run = await cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        var mails = await cli.ListMailAsync();
        Assert.True(mails.Count == 3, $"all three files are mails: {Dump(mails)}; {run.Describe()}");
        Assert.True(mails.Count(mail => mail.Kind == "reply" && mail.NoticeRef == reference) == 1, Dump(mails));
        var processed = Directory.GetFileSystemEntries(Path.Combine(DropFolder, "processed")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["SCAN.EML", "bad%FF%FEname.eml", "限期改善回覆.eml"], processed);
        Assert.Contains("is not UTF-8: renamed to 限期改善回覆.eml", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("still being written", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(DropFolder), path => !Path.GetFileName(path).StartsWith('.') && Path.GetFileName(path) != "processed");
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task OneFileUnreadableAndOneClashingInProcessed_OthersFiledQueueSentExitOneThenTakenOnceFixed()
    {
        var cli = DropFolderCli();
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        Directory.CreateDirectory(Path.Combine(DropFolder, "processed", "clash.eml", "sub"));
        var unreadable = Path.Combine(DropFolder, "a-unreadable.eml");
        await File.WriteAllBytesAsync(unreadable, Crlf.Serialize(TestMessages.OutOfOffice()));
        File.SetUnixFileMode(unreadable, UnixFileMode.None);
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "clash.eml"), Crlf.Serialize(TestMessages.OutOfOffice()));
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "z-reply.eml"),
            Crlf.Serialize(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆").Message));
        // The service as a user without root's power to read any file (as under systemd's User=).
        cli.CommandPrefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"];

        var run = await cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 1, $"the file left behind is the command's answer: {run.Describe()}");
        Assert.Contains("a-unreadable.eml（沒有存取權限）", run.StderrLines[^1], StringComparison.Ordinal);
        var mails = await cli.ListMailAsync();
        Assert.True(mails.Count == 2 && mails.Any(mail => mail.Kind == "reply" && mail.NoticeRef == reference), $"the readable files are taken: {Dump(mails)}");
        Assert.False(File.Exists(Path.Combine(DropFolder, "clash.eml")), "a folder of its name in processed/ does not hold the mail back");
        Assert.True(Directory.GetFiles(Workspace.Outbox, "*.eml").Length >= 2, $"the notice and the receipt go out although one file was left: {run.Describe()}");
        var status = await cli.RunAsync("status");
        Assert.Contains("a-unreadable.eml", status.Stdout, StringComparison.Ordinal);

        File.SetUnixFileMode(unreadable, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var again = await cli.RunAsync("run", "--once");

        Assert.True(again.ExitCode == 0, again.Describe());
        Assert.Equal(3, (await cli.ListMailAsync()).Count);
    }

    /// <summary>
    /// Hostile finding h15h K6: drop files filed (and receipted) but not movable to <c>processed/</c> (not the service's
    /// to write) were reported every pass and by status as 「…暫時無法收下（其餘已收下，下次收件再試）」: staff were told
    /// the replies were not received, and might ask the organisation to send again. They are told the truth: received and
    /// filed, only the move failed and why, retried each pass, nothing recorded twice; once fixed, moved and named no more.
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task FilesFiledButNotMovableToProcessed_AreToldReceivedAndFiled_NotRecordedTwice_MovedOnceFixed()
    {
        var cli = DropFolderCli();
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        var processed = Path.Combine(DropFolder, "processed");
        Directory.CreateDirectory(processed);
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "r1.eml"),
            Crlf.Serialize(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆").Message));
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "r2.eml"), Crlf.Serialize(TestMessages.OutOfOffice()));
        // processed/ not the service's to write: root's, 0555, the service without root's power to write any folder.
        File.SetUnixFileMode(processed, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        cli.CommandPrefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"];

        var first = await cli.RunAsync("run", "--once");
        var second = await cli.RunAsync("run", "--once");
        var status = await cli.RunAsync("status");

        var mails = await cli.ListMailAsync();
        Assert.True(mails.Count == 2 && mails.Any(mail => mail.Kind == "reply" && mail.NoticeRef == reference), $"both files are filed once: {Dump(mails)}");
        Assert.Equal(1, (await cli.ShowNoticeAsync(reference)).Outbound.Count(outbound => outbound.Kind == "receipt"));
        Assert.True(File.Exists(Path.Combine(DropFolder, "r1.eml")), "the file stays where the move could not take it");
        foreach (var said in new[] { first, second, status })
        {
            Assert.True(said.ExitCode == 0, $"the mails were received: {said.Describe()}");
            Assert.DoesNotContain("無法收下", said.Stdout + said.Stderr, StringComparison.Ordinal);
        }

        Assert.Contains("收件：正常", status.Stdout, StringComparison.Ordinal);
        var line = status.Stdout.Split('\n').FirstOrDefault(text => text.Contains("r1.eml", StringComparison.Ordinal));
        Assert.True(line is not null && line.Contains("已收下", StringComparison.Ordinal) && line.Contains("processed", StringComparison.Ordinal)
            && line.Contains("沒有存取權限", StringComparison.Ordinal) && line.Contains("不會重複", StringComparison.Ordinal) && line.Contains("r2.eml", StringComparison.Ordinal),
            $"status tells the files were received, only not moved, and why: {status.Describe()}");
        var json = await cli.RunJsonNodeAsync("status", "--json");
        Assert.Equal(2, json["dropFolder"]!["notMoved"]!.AsArray().Count);

        File.SetUnixFileMode(processed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await cli.RunOnceAsync();

        Assert.Equal(2, (await cli.ListMailAsync()).Count);
        Assert.True(File.Exists(Path.Combine(processed, "r1.eml")) && File.Exists(Path.Combine(processed, "r2.eml")), "moved once the folder is writable");
        var fixedStatus = await cli.RunAsync("status");
        Assert.DoesNotContain("r1.eml", fixedStatus.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hostile finding h17h P1: the drop folder's clock probe was written at a fixed name, following a link there — anyone
    /// who may drop a file made the service overwrite its own database or a raw mail with one byte — and a folder there
    /// stopped all intake. The probe is a new file of its own each time: what lies at the old name is never opened.
    /// </summary>
    [Fact]
    public async Task LinkOrFolderAtTheClockProbesOldName_IsNeverWrittenThrough_MailFiledAndDatabaseWhole()
    {
        var cli = DropFolderCli();
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        Directory.CreateDirectory(DropFolder);
        var database = Path.Combine(Workspace.DataDirectory, "mailintake.db");
        var before = await File.ReadAllBytesAsync(database);
        File.CreateSymbolicLink(Path.Combine(DropFolder, ".mailintake-clock"), database);
        Directory.CreateDirectory(Path.Combine(DropFolder, ".mailintake-clock-0"));
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "r1.eml"),
            Crlf.Serialize(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆").Message));

        var run = await cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.True(new FileInfo(database).Length >= before.Length, "the database is never written through the link");
        var mail = Assert.Single(await cli.ListMailAsync());
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference, Dump(mail));
        Assert.Empty(Directory.GetFiles(DropFolder, ".mailintake-clock-*"));
    }

    /// <summary>
    /// Hostile finding h17h P1 (its last part): <c>processed/</c> (or <c>refused/</c>) replaced by a symbolic link was
    /// followed, so whoever may drop a file chose where the service moves the organisations' mails — into its own store, or
    /// any folder it may write. A link there is never followed: nothing is taken, moved or read through it, the pass fails
    /// with one line naming the link, and the mail waits in the drop folder until the link is replaced by a folder.
    /// </summary>
    [Theory]
    [InlineData("processed")]
    [InlineData("refused")]
    public async Task ProcessedOrRefusedFolderReplacedByALink_IsNeverFollowed_PassFailsNamingIt_MailTakenOnceItIsAFolder(string folder)
    {
        var cli = DropFolderCli();
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        await cli.RunOnceAsync(); // the store's claim, processed/
        var elsewhere = Directory.CreateDirectory(Path.Combine(Workspace.Input, "elsewhere")).FullName;
        var link = Path.Combine(DropFolder, folder);
        if (Directory.Exists(link))
        {
            Directory.Delete(link);
        }

        File.CreateSymbolicLink(link, elsewhere);
        var dropped = Path.Combine(DropFolder, "r1.eml");
        await File.WriteAllBytesAsync(dropped,
            Crlf.Serialize(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆").Message));

        var run = await cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 1, run.Describe());
        Assert.Contains($"{link} 是符號連結", run.StderrLines[^1], StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
        Assert.True(File.Exists(dropped), "the mail waits in the drop folder");
        Assert.Empty(await cli.ListMailAsync());
        var status = await cli.RunAsync("status");
        Assert.Contains($"{link} 是符號連結", status.Stdout, StringComparison.Ordinal);

        File.Delete(link);
        await cli.RunOnceAsync();

        var mail = Assert.Single(await cli.ListMailAsync());
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference, Dump(mail));
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
    }

    /// <summary>
    /// Hostile finding h20h J3: processed/ swapped for a symbolic link during a pass (moved away, a link put in its place,
    /// put back, in a loop) was followed: half an intake's mails went to a folder outside the drop folder, the pass exit 0.
    /// processed/ is held open for the pass and every file is moved in by that handle: nothing ever lands through the link.
    /// </summary>
    [Fact]
    public async Task ProcessedSwappedForALinkDuringAPass_NoMailIsEverMovedThroughIt()
    {
        var cli = DropFolderCli(quietPeriod: "00:00:00");
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        await cli.RunOnceAsync(); // the store's claim, processed/
        for (var index = 0; index < 30; index++)
        {
            File.WriteAllBytes(Path.Combine(DropFolder, $"reply-{index:D2}.eml"), TestMessages.NumberedReply(
                reference, index, fromSecondOrg: false, $"說明_{index}.txt", System.Text.Encoding.UTF8.GetBytes($"第 {index} 封。\r\n")));
        }

        var outside = Directory.CreateDirectory(Path.Combine(Workspace.Input, "outside")).FullName;
        var processed = Path.Combine(DropFolder, "processed");
        var away = Path.Combine(DropFolder, "processed.away");
        using var stop = new CancellationTokenSource();
        var swaps = 0;
        var swapper = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    Directory.Move(processed, away);
                    File.CreateSymbolicLink(processed, outside);
                    swaps++;
                    await Task.Delay(5);
                    File.Delete(processed);
                    Directory.Move(away, processed);
                    await Task.Delay(20); // mostly a folder: the pass starts, and the link comes while it moves files
                }
                catch (IOException)
                {
                    await Task.Delay(1); // the pass made processed/ meanwhile, or holds it: try again
                }
            }
        });

        for (var pass = 0; pass < 8 && Directory.EnumerateFiles(DropFolder, "*.eml").Any(); pass++)
        {
            await cli.RunAsync("run", "--once");
        }

        await stop.CancelAsync();
        await swapper;

        Assert.True(swaps > 0, "the link was put in place");
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    /// <summary>
    /// Hostile finding h17h P4: a drop folder the service may read but not write (a read-only share, a full disk) failed
    /// every pass on the clock probe before any mail was read. The mails are recorded (the folder's clock is this
    /// machine's then), and each file not movable to processed/ is named as received.
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task DropFolderTheServiceMayNotWrite_MailsAreStillRecorded_NamedAsNotMoved()
    {
        var cli = DropFolderCli();
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        await cli.RunOnceAsync(); // a pass before the folder went read-only: the store's claim, processed/
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "r1.eml"),
            Crlf.Serialize(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆").Message));
        File.SetUnixFileMode(DropFolder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        cli.CommandPrefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"];

        var run = await cli.RunAsync("run", "--once");

        cli.CommandPrefix = [];
        File.SetUnixFileMode(DropFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.DoesNotContain(".mailintake-clock", run.Stdout + run.Stderr, StringComparison.Ordinal);
        var mail = Assert.Single(await cli.ListMailAsync());
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference, $"{Dump(mail)}; {run.Describe()}");
        var json = await cli.RunJsonNodeAsync("status", "--json");
        Assert.Single(json["dropFolder"]!["notMoved"]!.AsArray());
    }

    /// <summary>
    /// Hostile finding h17h P3: a drop-folder mail less than a minute old — every mail the running worker reads at its
    /// one-minute poll — was dated by its reading, not by when its file came (a reply in a deadline's last minute could be
    /// dated the next day). A file's own time is exact: it is the mail's arrival however recent.
    /// </summary>
    [Fact]
    public async Task FreshFileReadSecondsAfterItCame_IsDatedByWhenItCameNotByItsReading()
    {
        var cli = DropFolderCli("00:00:00");
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        Directory.CreateDirectory(DropFolder);
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "r1.eml"),
            Crlf.Serialize(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆").Message));
        await Task.Delay(TimeSpan.FromSeconds(3)); // read at least three seconds after it came

        var read = TestClock.Now;
        await cli.RunOnceAsync();

        var mail = Assert.Single(await cli.ListMailAsync());
        var arrived = DateTimeOffset.Parse(mail.ReceivedAt, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(arrived < read - TimeSpan.FromSeconds(1), $"dated when the file came, not at the reading ({read:o}): {arrived:o}");
    }

    [Fact]
    public async Task FileStampedInTheFuture_IsReadOnceQuietWithTheOthersNotWaitedForUntilThatTime()
    {
        var cli = DropFolderCli();
        Directory.CreateDirectory(DropFolder);
        // A copy that kept the time of a machine whose clock is a day ahead (cp -p, rsync -t, a share).
        var ahead = Path.Combine(DropFolder, "a-ahead.eml");
        await File.WriteAllBytesAsync(ahead, Crlf.Serialize(TestMessages.OutOfOffice()));
        File.SetLastWriteTimeUtc(ahead, DateTime.UtcNow.AddDays(1));
        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "b.eml"), Crlf.Serialize(TestMessages.OutOfOffice()));

        // The CLI's own bound (2 minutes) is the hang's: before, the pass slept until the stamp, a day later.
        var run = await cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal(2, (await cli.ListMailAsync()).Count);
    }

    [SmallDiskFact]
    public async Task MailLargerThanTheFreeSpace_WaitsNamedWithItsSizeWhileTheOthersAreFiled()
    {
        using var disk = SmallDisk.Mount(Path.Combine(Workspace.Root, "disk"), megabytes: 20);
        var cli = DropFolderCli();
        cli.Environment["MailIntake__DataDirectory"] = Path.Combine(disk.MountPoint, "data");
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        Directory.CreateDirectory(DropFolder);
        var huge = Path.Combine(DropFolder, "a-huge.eml");
        await using (var file = File.Create(huge))
        {
            await file.WriteAsync("From: scanner@org1.example.tw\r\nSubject: scan\r\nMessage-ID: <huge@org1.example.tw>\r\n\r\n"u8.ToArray());
            var line = System.Text.Encoding.ASCII.GetBytes(new string('A', 998) + "\r\n");
            for (var written = 0; written < 30 * 1024 * 1024; written += line.Length)
                await file.WriteAsync(line);
        }

        await File.WriteAllBytesAsync(Path.Combine(DropFolder, "z-reply.eml"),
            Crlf.Serialize(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆").Message));

        var run = await cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 1, run.Describe());
        Assert.Contains("a-huge.eml（磁碟空間不足：郵件 30", run.StderrLines[^1], StringComparison.Ordinal);
        Assert.Contains("所在磁碟剩餘", run.StderrLines[^1], StringComparison.Ordinal);
        var mail = Assert.Single(await cli.ListMailAsync());
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference, $"the mail that fits is filed: {Dump(mail)}");
        Assert.True(File.Exists(huge), "the mail that does not fit waits in the drop folder");
        Assert.Empty(Directory.GetFiles(Path.Combine(disk.MountPoint, "data", "raw", "tmp")));
    }

    /// <summary>Moves <paramref name="content"/> into the drop folder under a name that is bytes, not text (.NET names are UTF-8).</summary>
    private void PlaceUnderRawName(byte[] content, byte[] name)
    {
        var temp = Path.Combine(DropFolder, $".{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temp, content);
        var from = System.Text.Encoding.UTF8.GetBytes(temp + "\0");
        var to = System.Text.Encoding.UTF8.GetBytes(DropFolder + "/").Concat(name).Append((byte)0).ToArray();
        Assert.True(Rename(from, to) == 0, $"rename failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(byte[] from, byte[] to);

    private static async Task MakeFifoAsync(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        await mkfifo.WaitForExitAsync();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    /// <summary>
    /// Hostile finding h11x F1: after a restore of an older backup, the drop-folder mails moved to <c>processed/</c> after
    /// that backup were never read again (the restored database did not know them; status and verify said all was well).
    /// The first pass after the restore reads again every <c>processed/</c> file whose raw SHA-256 the restored store does
    /// not hold, dated by the file's modification time (its arrival), and records nothing twice.
    /// </summary>
    [Fact]
    public async Task RestoreOfOlderBackup_FirstPassReadsAgainProcessedFilesTheRestoredStoreLacks_KeepingTheirArrival()
    {
        const int Before = 2, Total = 5;
        var (cli, reference) = await DropFolderWithNoticeAsync();
        // Files written an hour ago (by the folder's real clock, kept by a copy): not their arrival, which is their reading.
        var written = DateTime.UtcNow.AddHours(-1);
        written = written.AddTicks(-(written.Ticks % TimeSpan.TicksPerSecond));
        void Drop(int index) => File.SetLastWriteTimeUtc(DropReply(reference, index, says: "回覆的補充說明"), written);

        for (var index = 0; index < Before; index++)
            Drop(index);
        await cli.RunOnceAsync();
        var backup = await BackUpAsync(cli);
        for (var index = Before; index < Total; index++)
            Drop(index);
        await cli.RunOnceAsync();
        var original = await cli.ListMailAsync();
        Assert.Equal(Total, original.Count);
        Assert.Equal(Total, Directory.GetFiles(Path.Combine(DropFolder, "processed"), "*.eml").Length);

        using var copy = new TestWorkspace();
        var restore = await cli.RunAsync("restore", backup, "--to", copy.DataDirectory);
        Assert.True(restore.ExitCode == 0, restore.Describe());
        Assert.Contains("processed", restore.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);
        var restored = RestoredCli(copy);
        var kept = (await restored.ListMailAsync()).Select(mail => mail.MessageId).ToHashSet();
        Assert.Equal(Before, kept.Count);

        var run = await restored.RunAsync("run", "--once");
        Assert.True(run.ExitCode == 0, run.Describe());
        await restored.RunOnceAsync(); // a second pass reads nothing again

        var mails = await restored.ListMailAsync();
        Assert.True(mails.Count == Total && mails.Select(mail => mail.MessageId).Distinct().Count() == Total, $"every mail once: {Dump(mails)}");
        Assert.Equal(Total, (await restored.ShowNoticeAsync(reference)).Replies.Count);
        Assert.Equal(original.Select(mail => mail.MessageId).Order(), mails.Select(mail => mail.MessageId).Order());
        // The mails read again keep the arrival the lost store gave them (when they were read, which processed/ keeps as
        // the file's time), neither the time the dropper wrote them nor the re-read.
        var reread = mails.Where(mail => !kept.Contains(mail.MessageId)).ToList();
        Assert.Equal(Total - Before, reread.Count);
        var arrivals = original.ToDictionary(mail => mail.MessageId!, mail => mail.ReceivedAt);
        Assert.All(reread, mail => Assert.True(arrivals[mail.MessageId!] == mail.ReceivedAt,
            $"{mail.MailId} received {mail.ReceivedAt}, the lost store said {arrivals[mail.MessageId!]}"));
        var verify = await restored.RunJsonNodeAsync("store", "verify", "--json");
        Assert.True(verify["ok"]!.GetValue<bool>(), verify.ToJsonString());
        Assert.Equal(Total, Directory.GetFiles(Path.Combine(DropFolder, "processed"), "*.eml").Length);
    }

    [Fact]
    public async Task RestoreOfOlderBackup_FirstPassesOverAnotherDropFolder_LeaveTheReReadForTheRealOne()
    {
        // h11y N10: a first `run --once` without the service's settings (another cwd, no EnvironmentFile) read a drop folder
        // it created and spent the restore's mark on it; the real processed/ was never read again, and status said 正常.
        const int Before = 2, Total = 4;
        var (cli, _, backup) = await OlderBackupAsync(Before, Total);

        using var copy = new TestWorkspace();
        var restore = await cli.RunAsync("restore", backup, "--to", copy.DataDirectory);
        Assert.True(restore.ExitCode == 0, restore.Describe());
        var processed = Path.Combine(DropFolder, "processed");
        Assert.Contains(processed, restore.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);

        // The wrong folder: not there before the first pass (made by it), empty before the second.
        var wrong = RestoredCli(copy, dropFolder: Path.Combine(copy.Root, "elsewhere", "inbox"));
        await wrong.RunOnceAsync();
        await wrong.RunOnceAsync();

        var restored = RestoredCli(copy);
        var status = await restored.RunAsync("status");
        Assert.True(status.ExitCode == 0, status.Describe());
        Assert.True(status.Stdout.Contains("還原後尚未重新讀取", StringComparison.Ordinal) && status.Stdout.Contains(processed, StringComparison.Ordinal),
            $"status says the re-read is still to do: {status.Stdout}");
        Assert.Equal(Before, (await restored.ListMailAsync()).Count);

        await restored.RunOnceAsync();
        var mails = await restored.ListMailAsync();
        Assert.True(mails.Count == Total, $"the real processed/ is read again: {Dump(mails)}");
        status = await restored.RunAsync("status");
        Assert.DoesNotContain("還原後尚未重新讀取", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoreOfOlderBackup_MailsReadAgain_KeepTheArrivalTheLostStoreGaveThem()
    {
        // h11y N1: the first read dates a mail by its reading, the re-read dated it by the file's mtime (a day off for a
        // file copied keeping its time; the re-read's own time for a file written within a minute of it), and a later
        // copy of a processed/ file, read first by name, gave the mail the copy's time.
        var (cli, reference) = await DropFolderWithNoticeAsync();
        DropReply(reference, 0);
        await cli.RunOnceAsync();
        var backup = await BackUpAsync(cli);
        File.SetLastWriteTimeUtc(DropReply(reference, 1), DateTime.UtcNow.AddDays(-1)); // copied in keeping its time (cp -p, Explorer)
        DropReply(reference, 2);                                                          // written just now
        await cli.RunOnceAsync();
        var original = (await cli.ListMailAsync()).ToDictionary(mail => mail.MessageId!, mail => mail.ReceivedAt);
        Assert.Equal(3, original.Count);
        // A copy made later (cp without -p) whose name comes first.
        var processed = Path.Combine(DropFolder, "processed");
        File.Copy(Path.Combine(processed, "reply-1.eml"), Path.Combine(processed, "a-copy-of-reply-1.eml"));

        using var copy = new TestWorkspace();
        var restored = await RestoreIntoAsync(copy, cli, backup);
        await restored.RunOnceAsync();

        var mails = await restored.ListMailAsync();
        Assert.True(mails.Count == 3, Dump(mails));
        Assert.All(mails, mail => Assert.True(original[mail.MessageId!] == mail.ReceivedAt,
            $"{mail.MessageId}: the lost store said {original[mail.MessageId!]}, the restored one {mail.ReceivedAt}"));
    }

    [Fact]
    public async Task RestoreOfOlderBackup_ProcessedFileCutShort_IsHeldForStaffNotFiled()
    {
        // h11y N8: a processed/ file cut short on disk (its closing MIME boundary and the end of its attachment gone) was
        // read again after a restore and filed as a complete reply: truncated evidence, a receipt sent, nothing said.
        var (restored, reference, copy) = await RestoreWithReplyOneDamagedAsync(CutBeforeClosingBoundaryAsync);
        using var _ = copy;

        var mails = await restored.ListMailAsync();
        Assert.Equal(3, mails.Count);
        var held = Assert.Single(mails, mail => mail.Kind != "reply");
        Assert.True(held.Kind == "unmatched" && held.Reason is { } reason && reason.Contains("原始檔可能不完整", StringComparison.Ordinal),
            $"the file cut short is held for staff with the reason: {Dump(held)}");
        var notice = await restored.ShowNoticeAsync(reference);
        Assert.Equal(2, notice.Replies.Count);
        Assert.DoesNotContain(notice.Replies, reply => reply.MailId == held.MailId);
    }

    [Fact]
    public async Task RestoreOfOlderBackup_ProcessedFileWithBig5Name_IsRenamedAndReadAgain_AndNewMailIsRead()
    {
        // h11z F13: a processed/ file with a Big5 name (put back by a Windows tool or a zip) stopped every pass after a
        // restore with a false 「找不到檔案」: neither the processed/ files after it nor any new mail was ever read.
        var (cli, reference, backup) = await OlderBackupAsync(before: 1, total: 3);
        var processed = Path.Combine(DropFolder, "processed");
        // 「限期改善回覆.eml」 in Big5, and an upper-case extension.
        RenameToRawName(Path.Combine(processed, "reply-1.eml"), processed, [0xAD, 0xAD, 0xB4, 0xC1, 0xA7, 0xEF, 0xB5, 0xBD, 0xA6, 0x5E, 0xC2, 0xD0, .. ".eml"u8]);
        File.Move(Path.Combine(processed, "reply-2.eml"), Path.Combine(processed, "REPLY2.EML"));

        using var copy = new TestWorkspace();
        var restored = await RestoreIntoAsync(copy, cli, backup);
        DropReply(reference, 3); // new mail, waiting in the drop folder

        var run = await restored.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        var mails = await restored.ListMailAsync();
        Assert.True(mails.Count == 4 && mails.Select(mail => mail.MessageId).Distinct().Count() == 4, $"every mail once: {Dump(mails)}");
        Assert.True(File.Exists(Path.Combine(processed, "限期改善回覆.eml")), "the Big5 name is renamed to its text, as in the drop folder");
        var status = await restored.RunAsync("status");
        Assert.DoesNotContain("還原後尚未重新讀取", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoreOfOlderBackup_ProcessedFilesArchivedIntoSubfolders_AreReadAgainToo()
    {
        // h11y N12: processed/ files an admin archived into a subfolder (processed/2026-12/) were silently not read again
        // after a restore: those mails were lost to the restored store.
        var (cli, _, backup) = await OlderBackupAsync(before: 1, total: 3);
        var processed = Path.Combine(DropFolder, "processed");
        var month = Directory.CreateDirectory(Path.Combine(processed, "2026-12", "week-1")).Parent!.FullName;
        File.Move(Path.Combine(processed, "reply-1.eml"), Path.Combine(month, "reply-1.eml"));
        File.Move(Path.Combine(processed, "reply-2.eml"), Path.Combine(month, "week-1", "reply-2.eml"));

        using var copy = new TestWorkspace();
        var restored = await RestoreIntoAsync(copy, cli, backup);

        var run = await restored.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        var mails = await restored.ListMailAsync();
        Assert.True(mails.Count == 3 && mails.Select(mail => mail.MessageId).Distinct().Count() == 3, $"every mail once, the archived ones too: {Dump(mails)}");
        var status = await restored.RunAsync("status");
        Assert.DoesNotContain("還原後尚未重新讀取", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoreOfOlderBackup_ProcessedSubfolderThatIsALink_IsNamedNotFollowed_MarkStays()
    {
        // h20h J5: a processed/ subfolder that is a symbolic link was skipped in silence and the re-read marked done: a
        // reply behind it the restored store lacked was never read, status and verify said all was well.
        var (cli, _, backup) = await OlderBackupAsync(before: 1, total: 2);
        var processed = Path.Combine(DropFolder, "processed");
        var archive = Directory.CreateDirectory(Path.Combine(Workspace.Input, "archive")).FullName;
        File.Move(Path.Combine(processed, "reply-1.eml"), Path.Combine(archive, "reply-1.eml"));
        var link = Path.Combine(processed, "2026-12");
        File.CreateSymbolicLink(link, archive);

        using var copy = new TestWorkspace();
        var restored = await RestoreIntoAsync(copy, cli, backup);

        var run = await restored.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 1 && run.StderrLines[^1].Contains($"{link}：是符號連結", StringComparison.Ordinal), run.Describe());
        Assert.Single(await restored.ListMailAsync());
        var status = await restored.RunAsync("status");
        Assert.Contains("還原後尚未重新讀取", status.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// h31h Q10: a reply copied into the drop folder by another account keeping its time (cp -p as root: 2 days old) could
    /// not be given its recorded arrival by the service (nobody); after a restore the re-read dated it by that copy's time,
    /// called it the mail's "recorded arrival" in a second receipt and held a reply naming no notice as "before the
    /// notice". The re-read dates such a file by its move into processed/: the arrival the lost store gave it, near enough.
    /// </summary>
    [ServiceUserFact]
    public async Task RestoreOfOlderBackup_ProcessedFileTheServiceCouldNotStamp_IsDatedByItsMoveNotItsCopysTime()
    {
        var (cli, reference) = await DropFolderWithNoticeAsync();
        LoopDisk.Run("chmod", "0755", Workspace.Root);
        Directory.CreateDirectory(Workspace.Outbox);
        LoopDisk.Run("chown", "-R", "nobody", Workspace.DataDirectory, Workspace.Outbox, Workspace.Input, DropFolder);
        cli.CommandPrefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"];
        LoopDisk.Run("chown", "nobody", DropReply(reference, 0));
        await cli.RunOnceAsync();
        var backup = await BackUpAsync(cli);
        var copied = DropReply(reference, 1); // root's, as a copy by another account keeping its time
        File.SetLastWriteTimeUtc(copied, DateTime.UtcNow.AddDays(-2));
        await cli.RunOnceAsync();
        var original = (await cli.ListMailAsync()).ToDictionary(mail => mail.MessageId!, mail => DateTimeOffset.Parse(mail.ReceivedAt, CultureInfo.InvariantCulture));
        Assert.True(original.Count == 2, "both replies recorded");
        Assert.True(File.GetLastWriteTimeUtc(Path.Combine(DropFolder, "processed", "reply-1.eml")) < DateTime.UtcNow.AddDays(-1), "the service could not stamp root's file");

        using var copy = new TestWorkspace();
        var service = cli.CommandPrefix;
        cli.CommandPrefix = []; // restored by root, then handed to the service
        var restored = await RestoreIntoAsync(copy, cli, backup);
        LoopDisk.Run("chmod", "0755", copy.Root);
        Directory.CreateDirectory(copy.Outbox);
        LoopDisk.Run("chown", "-R", "nobody", copy.DataDirectory, copy.Outbox);
        restored.CommandPrefix = service;
        var run = await restored.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        var mails = await restored.ListMailAsync();
        Assert.True(mails.Count == 2 && mails.All(mail => mail.Kind == "reply"), Dump(mails));
        foreach (var mail in mails)
        {
            var arrival = DateTimeOffset.Parse(mail.ReceivedAt, CultureInfo.InvariantCulture);
            Assert.True((arrival - original[mail.MessageId!]).Duration() < TimeSpan.FromMinutes(1),
                $"{mail.MessageId}: the lost store said {original[mail.MessageId!]:o}, the restored one {arrival:o}");
        }

        var shown = await restored.RunJsonNodeAsync("notice", "show", reference, "--json");
        Assert.DoesNotContain("carriedArrival\":\"", shown.ToJsonString().Replace(" ", ""), StringComparison.Ordinal);
    }

    [ServiceUserFact]
    public async Task RestoreOfOlderBackup_ProcessedFileTheServiceMayNotRead_IsSkippedTheRestAndNewMailAreRead_MarkStays()
    {
        // h11z F12: one processed/ file the service (nobody) may not read — put back as root — stopped the re-read at it:
        // the processed/ files after it and every new mail in the drop folder waited until someone fixed it.
        var (cli, reference, backup) = await OlderBackupAsync(before: 1, total: 4);
        var processed = Path.Combine(DropFolder, "processed");
        // reply-1 is read first (oldest time), reply-2 is the service's no longer.
        File.SetLastWriteTimeUtc(Path.Combine(processed, "reply-1.eml"), DateTime.UtcNow.AddMinutes(-3));
        File.SetLastWriteTimeUtc(Path.Combine(processed, "reply-2.eml"), DateTime.UtcNow.AddMinutes(-2));
        File.SetLastWriteTimeUtc(Path.Combine(processed, "reply-3.eml"), DateTime.UtcNow.AddMinutes(-1));

        using var copy = new TestWorkspace();
        var restored = await RestoreIntoAsync(copy, cli, backup);
        LoopDisk.Run("chmod", "0755", Workspace.Root, copy.Root);
        Directory.CreateDirectory(copy.Outbox);
        LoopDisk.Run("chown", "-R", "nobody", copy.DataDirectory, copy.Outbox, DropFolder);
        var locked = Path.Combine(processed, "reply-2.eml");
        LoopDisk.Run("chown", "root:root", locked);
        LoopDisk.Run("chmod", "0600", locked);
        restored.CommandPrefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"];
        DropReply(reference, 4); // new mail, waiting in the drop folder
        LoopDisk.Run("chown", "nobody", Path.Combine(DropFolder, "reply-4.eml"));

        var run = await restored.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 1 && run.StderrLines[^1].Contains("reply-2.eml", StringComparison.Ordinal), run.Describe());
        var mails = await restored.ListMailAsync();
        Assert.True(mails.Count == 4, $"reply-0 (kept), reply-1 and reply-3 (read again) and reply-4 (new): {Dump(mails)}");
        var status = await restored.RunAsync("status");
        Assert.True(status.Stdout.Contains("還原後尚未重新讀取", StringComparison.Ordinal), $"the re-read is not done: {status.Stdout}");

        LoopDisk.Run("chown", "nobody", locked);
        run = await restored.RunAsync("run", "--once");
        Assert.True(run.ExitCode == 0, run.Describe());
        mails = await restored.ListMailAsync();
        Assert.True(mails.Count == 5 && mails.Select(mail => mail.MessageId).Distinct().Count() == 5, $"every mail once: {Dump(mails)}");
        status = await restored.RunAsync("status");
        Assert.DoesNotContain("還原後尚未重新讀取", status.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// h32h R11: after a restore of an older backup, the organisation's answer (in the thread, subject edited) to a notice
    /// mailed since the backup was read again and filed by sender under its other notice, receipted as that one's reply.
    /// It is held: it answers a mail of ours the restored store does not hold.
    /// </summary>
    [Fact]
    public async Task RestoreOfOlderBackup_AnswerInTheThreadOfALostNotice_IsHeldNotFiledUnderTheOtherNotice()
    {
        var (cli, first) = await DropFolderWithNoticeAsync();
        await cli.RunOnceAsync();
        var backup = await BackUpAsync(cli);
        var lost = await cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        await cli.RunOnceAsync();
        var sent = Assert.Single((await cli.ShowNoticeAsync(lost)).Outbound, mail => mail.Kind == "notice").MessageId!;
        var answer = AnswersToOurMail.ThreadReply("org1@intake.test", sent);
        await answer.WriteToAsync(Path.Combine(DropFolder, "answer.eml"));
        await cli.RunOnceAsync();
        Assert.Equal(lost, Assert.Single(await cli.ListMailAsync()).NoticeRef);

        using var copy = new TestWorkspace();
        var restored = await RestoreIntoAsync(copy, cli, backup);
        var run = await restored.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        var mail = Assert.Single(await restored.ListMailAsync());
        Assert.True(mail.Kind == "unmatched" && mail.NoticeRef is null, $"held, not filed under {first}: {Dump(mail)}");
        Assert.StartsWith("本郵件回覆本中心寄出之郵件，惟本資料庫查無該郵件", mail.Reason, StringComparison.Ordinal);
        Assert.Contains($"該機關未結案之限期改善單為 {first}", mail.Reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// h32h R7: a backup that held no mail yet gave the re-read no bound: a processed/ file's 1980 time (a FAT/zip copy put
    /// back) became the reply's arrival, held as "before the notice", and a receipt said 「中華民國69年1月1日」. The bound is
    /// then the newest moment the backup's timeline held (the notice's issue).
    /// </summary>
    [Fact]
    public async Task RestoreOfABackupHoldingNoMail_ProcessedFileTimeBeforeTheNotice_IsDatedByTheReread()
    {
        var (cli, reference) = await DropFolderWithNoticeAsync();
        var issued = DateTimeOffset.Parse((await cli.ShowNoticeAsync(reference)).IssuedAt, System.Globalization.CultureInfo.InvariantCulture);
        var backup = await BackUpAsync(cli);
        DropReply(reference, 0);
        await cli.RunOnceAsync();
        File.SetLastWriteTimeUtc(Path.Combine(DropFolder, "processed", "reply-0.eml"), new DateTime(1980, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        using var copy = new TestWorkspace();
        var restored = await RestoreIntoAsync(copy, cli, backup);
        Assert.Empty(await restored.ListMailAsync());
        var run = await restored.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        var mail = Assert.Single(await restored.ListMailAsync());
        Assert.True(mail.Kind == "reply" && DateTimeOffset.Parse(mail.ReceivedAt, System.Globalization.CultureInfo.InvariantCulture) > issued,
            $"dated by the re-read, after the notice, and filed: {Dump(mail)}");
    }

    [Fact]
    public async Task RestoreOfOlderBackup_ProcessedFileTimeBeforeTheBackupsNewestMail_IsDatedByTheReread()
    {
        // h11z F6: the re-read dated a mail by any file time — 1980 (a FAT/zip copy's epoch), a day before the notice —
        // and the receipt told the organisation so. A mail the restored store lacks came after its newest mail.
        // (The first reply comes a while after the notice: there is room for one out of order between them.)
        var (cli, reference) = await DropFolderWithNoticeAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        DropReply(reference, 0);
        await cli.RunOnceAsync();
        var backup = await BackUpAsync(cli);
        for (var index = 1; index < 4; index++)
            DropReply(reference, index);
        await cli.RunOnceAsync();
        var original = (await cli.ListMailAsync()).ToDictionary(mail => mail.MessageId!, mail => mail.ReceivedAt);
        var processed = Path.Combine(DropFolder, "processed");
        File.SetLastWriteTimeUtc(Path.Combine(processed, "reply-1.eml"), new DateTime(1980, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(Path.Combine(processed, "reply-2.eml"), File.GetLastWriteTimeUtc(Path.Combine(processed, "reply-0.eml")).AddDays(-1));
        // h30h P2: a mail the lost store recorded seconds out of its arrival order (a pass takes files by name; one held
        // open for writing waits) came before the backup's newest mail: its time is its arrival, kept.
        static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        // reply-0's file carries the arrival the backup records for it (on the folder's clock): reply-3's, a moment before
        // (after the notice's issue still, 2 s before reply-0).
        File.SetLastWriteTimeUtc(Path.Combine(processed, "reply-3.eml"), File.GetLastWriteTimeUtc(Path.Combine(processed, "reply-0.eml")).AddSeconds(-1));

        using var copy = new TestWorkspace();
        var restored = await RestoreIntoAsync(copy, cli, backup);
        var kept = Assert.Single(await restored.ListMailAsync());
        var run = await restored.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        var mails = await restored.ListMailAsync();
        Assert.Equal(4, mails.Count);
        var outOfOrder = mails.Single(mail => mail.Subject!.EndsWith("改善回覆 3", StringComparison.Ordinal));
        Assert.Equal(At(kept.ReceivedAt).AddSeconds(-1), At(outOfOrder.ReceivedAt), TimeSpan.FromSeconds(1));
        var impossible = mails.Where(mail => mail.MessageId != kept.MessageId && mail.MailId != outOfOrder.MailId).ToList();
        Assert.True(impossible.Count == 2 && impossible.All(mail => At(mail.ReceivedAt) > original.Values.Max(At)),
            $"the two files whose time is impossible are dated by the re-read: {Dump(mails)}");
        // The times they carried are kept beside their new dates, never lost (h30h P2).
        var carried = new List<DateTimeOffset>();
        foreach (var mail in impossible)
        {
            var show = await restored.RunAsync("mail", "show", mail.MailId, "--json");
            carried.Add(At(System.Text.Json.Nodes.JsonNode.Parse(show.Stdout)!["carriedArrival"]!.GetValue<string>()));
        }

        // On the program's clock: the 1980 file's, and the one a day before the lost store's first mail.
        Assert.InRange(carried.Min().Year, 1979, 1980);
        Assert.Equal(At(kept.ReceivedAt).AddDays(-1), carried.Max(), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task ReplyDatedByItsFilingThenReadAgainAfterARestore_SecondReceiptSaysWhatTheFirstDid()
    {
        // h30h P3: intake dated a reply carrying a time before its notice by its filing, then stamped its processed/ file
        // with that filing time; the re-read after a restore took it as the arrival, and the second receipt said
        // 「本中心已於…收到」 at the very time the first had said was not when it came. The file keeps the time it carried.
        // The reply came into the drop folder a moment before the notice was issued (it names the reference staff gave
        // on the phone): intake dates it by its filing, keeping the time it carried.
        var cli = DropFolderCli(quietPeriod: "00:00:00");
        await cli.ImportOrgsAsync(Orgs.Csv);
        Directory.CreateDirectory(DropFolder);
        const string reference = "TN-115-0001";
        var dropped = DropReply(reference, 0);
        var droppedAt = File.GetLastWriteTimeUtc(dropped);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(reference, await cli.IssueNoticeAsync(Orgs.TestGuild));
        var backup = await BackUpAsync(cli);
        await cli.RunOnceAsync();
        var first = Assert.Single(await cli.ListMailAsync());
        // Its processed/ file keeps the time it carried, not its filing.
        Assert.Equal(droppedAt, File.GetLastWriteTimeUtc(Path.Combine(DropFolder, "processed", "reply-0.eml")), TimeSpan.FromMilliseconds(10));

        using var copy = new TestWorkspace();
        var restored = await RestoreIntoAsync(copy, cli, backup);
        await restored.RunOnceAsync();

        var mail = Assert.Single(await restored.ListMailAsync());
        Assert.NotEqual(first.ReceivedAt, mail.ReceivedAt);
        var receipts = Directory.GetFiles(copy.Outbox, "*.eml", SearchOption.AllDirectories).Select(file => MimeKit.MimeMessage.Load(file))
            .Where(message => message.Subject?.Contains("收件回執", StringComparison.Ordinal) == true).ToList();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Taipei");
        var text = Assert.Single(receipts).TextBody ?? "";
        Assert.Contains($"歸檔貴單位對限期改善單 {reference} 之回覆郵件", text, StringComparison.Ordinal);
        Assert.Contains("早於本限期改善單之開立，非其實際收到時間，故以歸檔時間記錄", text, StringComparison.Ordinal);
        Assert.DoesNotContain("收到貴單位對限期改善單", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoreOfOlderBackup_ProcessedFileTimeBeforeTheNoticeItAnswers_ReceiptNeverSaysItCameBeforeTheNotice()
    {
        // h22h M2: a processed/ file time after the restored store's newest mail (here it held none) but before the notice
        // the reply answers was issued (a touch, a copy keeping its source's time) became its arrival, and the receipt
        // told the organisation 「本中心已於（開立前一日）收到貴單位對限期改善單…之回覆」. Intake never dates a reply before its notice.
        var (cli, reference, backup) = await OlderBackupAsync(before: 0, total: 1);
        File.SetLastWriteTimeUtc(Path.Combine(DropFolder, "processed", "reply-0.eml"), DateTime.UtcNow.AddDays(-1));

        using var copy = new TestWorkspace();
        var restored = await RestoreIntoAsync(copy, cli, backup);
        await restored.RunOnceAsync();

        var notice = await restored.ShowNoticeAsync(reference);
        var mail = Assert.Single(await restored.ListMailAsync());
        static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(At(mail.ReceivedAt) >= At(notice.IssuedAt), $"the reply dated {mail.ReceivedAt}, before its notice ({notice.IssuedAt})");
        // (The restore's bound — the newest moment its timeline held, the notice's issue (h32h R7) — dates it by the re-read
        // before intake weighs it against the notice: the receipt and mail show below say why either way.)
        var receipt = Directory.GetFiles(copy.Outbox, "*.eml", SearchOption.AllDirectories).Select(file => MimeKit.MimeMessage.Load(file))
            .Single(message => message.Subject?.Contains("收件回執", StringComparison.Ordinal) == true);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Taipei");
        // The file time as the program reads it: on its own timeline, a day before the notice.
        var told = TimeZoneInfo.ConvertTime(TestClock.Now.AddDays(-1), zone);
        Assert.DoesNotContain($"{told.Year - 1911}年{told.Month}月{told.Day}日收到", receipt.TextBody ?? "", StringComparison.Ordinal);
        // h23h N6: this is the organisation's second receipt for the mail (the first went before the restore), with
        // another time: it says the time is its filing's, and why, as mail show does for staff.
        // Its times as the program recorded them (mail show --json), in the words the receipt uses.
        var detail = System.Text.Json.Nodes.JsonNode.Parse((await restored.RunAsync("mail", "show", mail.MailId, "--json")).Stdout)!;
        static string Moment(DateTimeOffset at) =>
            $"中華民國{at.Year - 1911}年{at.Month}月{at.Day}日 {at.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)}";
        var filed = TimeZoneInfo.ConvertTime(At(detail["receivedAt"]!.GetValue<string>()), zone);
        var carried = TimeZoneInfo.ConvertTime(At(detail["carriedArrival"]!.GetValue<string>()), zone);
        Assert.True(carried < At(notice.IssuedAt), $"the time it carried ({carried}) is the file's, before the notice ({notice.IssuedAt})");
        Assert.Contains($"本中心已於{Moment(filed)}歸檔貴單位對限期改善單 {reference} 之回覆郵件", receipt.TextBody ?? "", StringComparison.Ordinal);
        Assert.Contains($"該郵件所記收到時間{Moment(carried)}早於本限期改善單之開立", receipt.TextBody ?? "", StringComparison.Ordinal);
        var show = await restored.RunAsync("mail", "show", mail.MailId);
        Assert.Contains($"（郵件所記收到時間{Moment(carried)}早於本限期改善單開立，非其收到時間", show.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoreOfOlderBackup_PassesOverABareMountPoint_DoNotSpendTheMarkWithAMailTheyFiledThemselves()
    {
        // h11z F15: the share not yet mounted, a mail delivered into the bare mount point was filed by one pass; the next
        // found a processed/ "there before" holding a recorded mail — the one it had just put there — and spent the
        // mark: the share's processed/ was never read again. Only a mail the restored store held from its backup proves
        // the folder.
        var (cli, reference, backup) = await OlderBackupAsync(before: 1, total: 3);

        using var copy = new TestWorkspace();
        var restored = await RestoreIntoAsync(copy, cli, backup);
        // The share is not mounted: the drop folder's path is a bare, empty folder, and the relay delivers into it.
        var share = Path.Combine(Workspace.Root, "share");
        Directory.Move(DropFolder, share);
        Directory.CreateDirectory(DropFolder);
        DropReply(reference, 3, name: "while-unmounted");
        await restored.RunOnceAsync();
        await restored.RunOnceAsync();
        var status = await restored.RunAsync("status");
        Assert.True(status.Stdout.Contains("還原後尚未重新讀取", StringComparison.Ordinal), $"the re-read is still to do: {status.Stdout}");

        // The share mounted: its processed/ is read again.
        Directory.Move(DropFolder, Path.Combine(Workspace.Root, "bare"));
        Directory.Move(share, DropFolder);
        await restored.RunOnceAsync();

        var mails = await restored.ListMailAsync();
        Assert.True(mails.Count == 4 && mails.Select(mail => mail.MessageId).Distinct().Count() == 4, $"every mail once: {Dump(mails)}");
        status = await restored.RunAsync("status");
        Assert.DoesNotContain("還原後尚未重新讀取", status.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// h11z F7: a pass over a copy of the drop folder (an admin's staging folder holding a processed/ file from before
    /// the backup) spent the restore's mark; the real processed/ was never read again, and status went quiet. While the
    /// folder the store was fed from is there, only a pass over it spends the mark.
    /// </summary>
    [Fact]
    public async Task RestoreOfOlderBackup_PassOverACopyOfTheDropFolder_LeavesTheReReadForTheRealOne()
    {
        var (cli, _, backup) = await OlderBackupAsync(before: 1, total: 3);
        // A copy an admin kept of the drop folder, with the mail from before the backup (time kept, as cp -p does).
        var staging = Path.Combine(Workspace.Root, "staging");
        Directory.CreateDirectory(Path.Combine(staging, "processed"));
        var kept = Path.Combine(staging, "processed", "reply-0.eml");
        File.Copy(Path.Combine(DropFolder, "processed", "reply-0.eml"), kept);
        File.SetLastWriteTimeUtc(kept, File.GetLastWriteTimeUtc(Path.Combine(DropFolder, "processed", "reply-0.eml")));

        using var copy = new TestWorkspace();
        var restored = await RestoreIntoAsync(copy, cli, backup);
        var elsewhere = RestoredCli(copy, dropFolder: staging);
        await elsewhere.RunOnceAsync();

        var status = await restored.RunAsync("status");
        Assert.True(status.Stdout.Contains("還原後尚未重新讀取", StringComparison.Ordinal), $"the pass over the copy left the re-read to do: {status.Stdout}");
        await restored.RunOnceAsync();
        var mails = await restored.ListMailAsync();
        Assert.True(mails.Count == 3 && mails.All(mail => mail.Kind == "reply"), $"the real processed/ is read again: {Dump(mails)}");
        status = await restored.RunAsync("status");
        Assert.DoesNotContain("還原後尚未重新讀取", status.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// h11z F2/F14: a held cut-short mail was listed with no sender and no subject while its line sent staff to 「寄件機關」,
    /// and <c>mail assign</c> filed it with a receipt telling the organisation 「本次回覆未附任何檔案」 though it sent files.
    /// The list names the sender and subject the headers give (the line names the sender), and the assign is refused.
    /// </summary>
    [Fact]
    public async Task RestoreOfOlderBackup_ProcessedFileCutShort_IsListedWithItsSender_AndCannotBeAssigned()
    {
        var (restored, reference, copy) = await RestoreWithReplyOneDamagedAsync(CutBeforeClosingBoundaryAsync);
        using var _ = copy;

        var held = Assert.Single(await restored.ListMailAsync(), mail => mail.Kind != "reply");
        Assert.True(held.Kind == "unmatched" && held.Reason is { } reason && reason.Contains("原始檔可能不完整", StringComparison.Ordinal), Dump(held));
        Assert.True(held.From == TestMessages.FillerEmail && held.Subject is { } subject && subject.Contains(reference, StringComparison.Ordinal),
            $"the held mail names its sender and subject: {Dump(held)}");
        Assert.Contains(TestMessages.FillerEmail, held.Reason, StringComparison.Ordinal);
        Assert.Contains(reference, held.Reason, StringComparison.Ordinal);
        // The digest offers only 不需處理 for it, no 歸入 link that would be refused.
        restored.Environment["MailIntake__Staff__DigestRecipients__0"] = "staff@intake.test";
        restored.Environment["MailIntake__Staff__Members__0__Email"] = "staff@intake.test";
        restored.Environment["MailIntake__Staff__Members__0__Name"] = "張專員";
        restored.Environment["MailIntake__Staff__Members__0__Role"] = "staff";
        await restored.RunOkAsync("jobs", "run", "digest");
        var digest = Directory.EnumerateFiles(copy.Outbox, "*.eml", SearchOption.AllDirectories).Select(file => MimeKit.MimeMessage.Load(file))
            .Single(message => message.Subject?.Contains("摘要", StringComparison.Ordinal) == true);
        var html = digest.HtmlBody ?? "";
        Assert.True(html.Contains("不需處理", StringComparison.Ordinal) && !html.Contains($"歸入 {reference}", StringComparison.Ordinal),
            $"the digest offers no 歸入 link for the mail cut short:\n{html}");

        var assign = await restored.RunAsync("mail", "assign", held.MailId, reference);
        Assert.True(assign.ExitCode == 1 && assign.StderrLines.Length == 1, $"a mail cut short is not filed: {assign.Describe()}");
        Assert.Contains("不完整", assign.StderrLines[0], StringComparison.Ordinal);
        Assert.Contains(TestMessages.FillerEmail, assign.StderrLines[0], StringComparison.Ordinal);
        Assert.Equal(2, (await restored.ShowNoticeAsync(reference)).Replies.Count);
        await restored.RunOkAsync("jobs", "run", "outbox");
        Assert.DoesNotContain(Directory.EnumerateFiles(copy.Outbox, "*.eml", SearchOption.AllDirectories),
            file => File.ReadAllText(file).Contains("未附任何檔案", StringComparison.Ordinal) || MimeKit.MimeMessage.Load(file).TextBody?.Contains("未附任何檔案", StringComparison.Ordinal) == true);
    }

    /// <summary>
    /// h11z F3: a single-part mail (one base64 PDF) whose last blocks the disk zero-filled, size kept, was read again and
    /// filed with its evidence cut short and a receipt sent. NULs are no base64: it is held as the other cut-short files.
    /// </summary>
    [Fact]
    public async Task RestoreOfOlderBackup_SinglePartProcessedFileWithZeroFilledTail_IsHeldForStaffNotFiled()
    {
        static byte[] SinglePart(string reference)
        {
            var message = TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆").Message;
            message.Body = new MimeKit.MimePart("application", "pdf")
            {
                FileName = "附件1.pdf",
                Content = new MimeKit.MimeContent(new MemoryStream(Enumerable.Range(0, 30_000).Select(i => (byte)(i * 7)).ToArray())),
                ContentTransferEncoding = MimeKit.ContentEncoding.Base64,
            };
            return Crlf.Serialize(message);
        }

        static async Task ZeroFillTailAsync(string path)
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.Position = file.Length - 8192;
            await file.WriteAsync(new byte[8192]);
        }

        var (restored, reference, copy) = await RestoreWithReplyOneDamagedAsync(ZeroFillTailAsync, SinglePart);
        using var _ = copy;

        var mails = await restored.ListMailAsync();
        Assert.Equal(3, mails.Count);
        var held = Assert.Single(mails, mail => mail.Kind != "reply");
        Assert.True(held.Kind == "unmatched" && held.Reason is { } reason && reason.Contains("原始檔可能不完整", StringComparison.Ordinal),
            $"the zero-filled file is held for staff: {Dump(mails)}");
        Assert.Equal(2, (await restored.ShowNoticeAsync(reference)).Replies.Count);
    }

    /// <summary>
    /// h11z F16: a processed/ file emptied by the disk (0 bytes, ext4 after a crash) was read again and called
    /// 「郵件格式損壞…（原始郵件已完整保存）」. It is held saying the file is empty, with no sender to ask.
    /// </summary>
    [Fact]
    public async Task RestoreOfOlderBackup_ProcessedFileEmptied_IsHeldAsEmptyNotAsAMailKeptWhole()
    {
        static Task EmptyAsync(string path)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.SetLength(0);
            return Task.CompletedTask;
        }

        var (restored, _, copy) = await RestoreWithReplyOneDamagedAsync(EmptyAsync);
        using var __ = copy;

        var held = Assert.Single(await restored.ListMailAsync(), mail => mail.Kind != "reply");
        Assert.True(held.Kind == "unmatched" && held.Reason is { } reason && reason.Contains("0 位元組", StringComparison.Ordinal)
            && !reason.Contains("完整保存", StringComparison.Ordinal) && !reason.Contains("寄件機關", StringComparison.Ordinal),
            $"the empty file is held as empty, not as a whole mail, and names no sender to ask: {Dump(held)}");
    }

    /// <summary>
    /// A store backed up after reply-0, then restored after reply-1 and reply-2 came (by the drop folder, now in
    /// processed/), with reply-1's processed/ file damaged by <paramref name="damage"/> (its time kept), and read again.
    /// </summary>
    private async Task<(MailIntakeCli Restored, string Reference, TestWorkspace Copy)> RestoreWithReplyOneDamagedAsync(
        Func<string, Task> damage, Func<string, byte[]>? replyOne = null)
    {
        const string Says = "回覆的補充說明";
        var (cli, reference) = await DropFolderWithNoticeAsync();
        DropReply(reference, 0, says: Says);
        await cli.RunOnceAsync();
        var backup = await BackUpAsync(cli);
        if (replyOne is null)
            DropReply(reference, 1, says: Says);
        else
            File.WriteAllBytes(Path.Combine(DropFolder, "reply-1.eml"), replyOne(reference));
        DropReply(reference, 2, says: Says);
        await cli.RunOnceAsync();
        Assert.Equal(3, (await cli.ShowNoticeAsync(reference)).Replies.Count);

        var damaged = Path.Combine(DropFolder, "processed", "reply-1.eml");
        var time = File.GetLastWriteTimeUtc(damaged);
        await damage(damaged);
        File.SetLastWriteTimeUtc(damaged, time);

        var copy = new TestWorkspace();
        var restored = await RestoreIntoAsync(copy, cli, backup);
        await restored.RunOnceAsync();
        return (restored, reference, copy);
    }

    /// <summary>Cuts the file a few bytes before its closing boundary: inside the last attachment's last base64 quantum.</summary>
    private static async Task CutBeforeClosingBoundaryAsync(string path)
    {
        var text = System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(path));
        var closing = text.LastIndexOf("\r\n--", text.Length - 4, StringComparison.Ordinal);
        Assert.True(closing > 0, "the message ends with a closing boundary");
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.SetLength(closing - 3);
    }

    /// <summary>Renames <paramref name="path"/> into <paramref name="folder"/> under a name that is bytes, not text.</summary>
    private static void RenameToRawName(string path, string folder, byte[] name)
    {
        var from = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        var to = System.Text.Encoding.UTF8.GetBytes(folder + "/").Concat(name).Append((byte)0).ToArray();
        Assert.True(Rename(from, to) == 0, $"rename failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }
}
