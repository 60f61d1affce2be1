using System.Text.Json.Nodes;
using Dapper;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The DataDirectory as a whole, with real processes: one worker at a time, concurrent first commands on a new one,
/// and the permissions of what is written into it.
/// </summary>
public sealed class DataDirectoryTests(ITestOutputHelper output) : EndToEndTest(output)
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = OwnerFile | UnixFileMode.UserExecute;

    [Fact]
    public async Task Run_SecondWorkerOnSameDataDirectory_ExitsOneNamingHolderPidWhileCommandsStillRun()
    {
        await Cli.ImportOrgsAsync(Orgs.Csv);
        await using var worker = WorkerProcess.Start(Cli, Output, "first worker");
        await worker.WaitForLineAsync(line => line.Contains("IMAP connected", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "IMAP connection");

        var second = await Cli.RunAsync("run");
        var once = await Cli.RunAsync("run", "--once");
        var beside = await Cli.RunAsync("orgs", "list", "--json");

        foreach (var refused in new[] { second, once })
        {
            Assert.True(refused.ExitCode == 1, $"a second worker must exit 1: {refused.Describe()}");
            var line = Assert.Single(refused.StderrLines);
            Assert.Contains($"PID {worker.Pid}", line, StringComparison.Ordinal);
            Assert.Contains(Workspace.DataDirectory, line, StringComparison.Ordinal);
        }

        Assert.True(beside.ExitCode == 0 && beside.Stdout.Contains(Orgs.TestGuild, StringComparison.Ordinal),
            $"a CLI command must run beside the worker: {beside.Describe()}");
        Assert.False(worker.HasExited, $"the first worker must keep running:\n{worker.Tail()}");

        Assert.Equal(0, await worker.StopAsync(TimeSpan.FromSeconds(30)));
        var after = await Cli.RunAsync("run", "--once");
        Assert.True(after.ExitCode == 0, $"once the worker has stopped, the DataDirectory is free again: {after.Describe()}");
    }

    [Fact]
    public async Task Run_AfterWorkerKilled_StartsBecauseTheLockDiedWithIt()
    {
        await using var worker = WorkerProcess.Start(Cli, Output, "killed worker");
        await worker.WaitForLineAsync(line => line.Contains("IMAP connected", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "IMAP connection");
        worker.Kill();

        var after = await Cli.RunAsync("run", "--once");

        Assert.True(after.ExitCode == 0, $"a killed worker must leave no stale lock: {after.Describe()}");
    }

    [Fact]
    public async Task Run_DataDirectoryMovedAwayUnderTheWorker_StopsItWithExit1AndTheMovedStoreIsIntact()
    {
        await Cli.ImportOrgsAsync(Orgs.Csv);
        await using var worker = WorkerProcess.Start(Cli, Output, "worker");
        await worker.WaitForLineAsync(line => line.Contains("IMAP connected", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "IMAP connection");
        // An admin moving the store aside to restore a backup, with the service still up.
        var aside = Workspace.DataDirectory + ".old";
        Directory.Move(Workspace.DataDirectory, aside);
        await Mailbox.AppendAsync(TestMessages.OutOfOffice());

        await worker.WaitForLineAsync(line => line.Contains("was moved away or replaced while the worker ran; stopping", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "the stop");
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 1, $"the worker stops with exit 1:\n{worker.Tail()}");
        Assert.True(File.Exists(Path.Combine(aside, "mailintake.db")), "the moved store is intact");
    }

    [Fact]
    public async Task Run_DataDirectoryMovedAwayUnderAnIdleWorker_StopsItAtItsNextJobWithoutWaitingForMail()
    {
        Cli.Environment["MailIntake__Mailbox__UseIdle"] = "true";
        Cli.Environment["MailIntake__Mailbox__PollInterval"] = "01:00:00";
        Cli.Environment["MailIntake__Jobs__OutboxInterval"] = "00:00:05";
        await Cli.ImportOrgsAsync(Orgs.Csv);
        await using var worker = WorkerProcess.Start(Cli, Output, "idle worker");
        await worker.WaitForLineAsync(line => line.Contains("IMAP connected", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "IMAP connection");
        var aside = Workspace.DataDirectory + ".old";
        Directory.Move(Workspace.DataDirectory, aside);

        // No mail comes: the intake loop sleeps in IDLE for an hour, so only the outbox job (every 5 s) can see the move.
        await worker.WaitForLineAsync(line => line.Contains("was moved away or replaced while the worker ran; stopping", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "the stop");
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 1, $"the worker stops with exit 1:\n{worker.Tail()}");
        Assert.True(File.Exists(Path.Combine(aside, "mailintake.db")), "the moved store is intact");
        Assert.False(File.Exists(Path.Combine(Workspace.DataDirectory, "mailintake.db")), "nothing is created at the old path");
    }

    /// <summary>
    /// Hostile finding h11y N11: the DataDirectory moved away while a pass was filing mail. The rows followed the open
    /// database (the moved folder) while files followed the path: the pass made a new folder at the old path and wrote
    /// raw mail, evidence and a 0-byte mailintake.db into it, so the moved store showed filed replies whose raw mail and
    /// evidence were "missing" and receipts given up as lost files. Nothing under the DataDirectory is ever created again
    /// at its path once it is gone: what the pass could not write waits, and the moved store, put back, finishes it.
    /// </summary>
    /// <remarks>
    /// <paramref name="emptyFolderLeftInItsPlace"/>: hostile finding h11z F1 — what a disk unmounted under the worker
    /// leaves (its empty mount point), or a <c>mkdir</c> after the move: the worker filed every remaining mail into that
    /// folder, and the store put back called their raw mail lost. Another folder at the path is the DataDirectory gone too.
    /// </remarks>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_DataDirectoryMovedAwayMidPass_WritesNothingAtTheOldPathAndTheStorePutBackFilesEveryMailWhole(bool emptyFolderLeftInItsPlace)
    {
        const int Replies = 3;
        var cli = await BriskDropFolderCliAsync();
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        var drop = Path.Combine(Workspace.Root, "drop");
        await using var worker = WorkerProcess.Start(cli, Output, "worker");
        await worker.WaitForLineAsync(line => line.Contains("new mail(s)", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "the first pass");

        // Holding the database's write lock stops the worker after it wrote a mail's raw file and before it records it:
        // the move lands in the middle of the pass, whatever the machine's speed.
        var aside = Workspace.DataDirectory + ".old";
        var rawFolder = Path.Combine(Workspace.DataDirectory, "raw");
        using (var holder = new SqliteConnection($"Data Source={Path.Combine(Workspace.DataDirectory, "mailintake.db")};Pooling=False"))
        {
            holder.Open();
            holder.Execute("BEGIN IMMEDIATE");
            for (var index = 0; index < Replies; index++)
            {
                File.WriteAllBytes(Path.Combine(drop, $"reply-{index}.eml"), TestMessages.NumberedReply(reference, index, fromSecondOrg: false,
                    $"說明_{index}.txt", System.Text.Encoding.UTF8.GetBytes($"第 {index} 封回覆的說明。\r\n")));
            }

            for (var look = 0; look < 1200 && !RawFileWritten(rawFolder); look++)
                await Task.Delay(100);
            Assert.True(RawFileWritten(rawFolder), $"the worker writes a raw file before it records the mail:\n{worker.Tail()}");
            Directory.Move(Workspace.DataDirectory, aside);
            if (emptyFolderLeftInItsPlace)
                Directory.CreateDirectory(Workspace.DataDirectory);
            holder.Execute("ROLLBACK");
        }

        await worker.WaitForLineAsync(line => line.Contains("was moved away or replaced while the worker ran; stopping", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "the stop");
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 1, $"the worker stops with exit 1:\n{worker.Tail()}");
        var atOldPath = Directory.Exists(Workspace.DataDirectory) ? Directory.EnumerateFileSystemEntries(Workspace.DataDirectory, "*", SearchOption.AllDirectories).ToList() : null;
        Assert.True(emptyFolderLeftInItsPlace ? atOldPath is { Count: 0 } : atOldPath is null,
            $"nothing is created or written at the old path: {string.Join(", ", atOldPath ?? [])}\n{worker.Tail()}");
        Assert.Equal(Replies, Directory.GetFiles(Path.Combine(Workspace.Root, "drop"), "*.eml").Length + Directory.GetFiles(Path.Combine(Workspace.Root, "drop", "processed"), "*.eml").Length);

        // The admin puts the store back: it files every reply once, whole, and sends each its receipt.
        if (emptyFolderLeftInItsPlace)
            Directory.Delete(Workspace.DataDirectory);
        Directory.Move(aside, Workspace.DataDirectory);
        await cli.RunOnceAsync();
        var mails = await cli.ListMailAsync();
        Assert.True(mails.Count == Replies && mails.All(mail => mail.Kind == "reply"), $"every reply once, filed: {Dump(mails)}");
        var notice = await cli.ShowNoticeAsync(reference);
        Assert.Equal(Replies, notice.Replies.Count);
        // Each reply whole: its own note among the same set of attachments as every other.
        Assert.All(notice.Replies, reply => Assert.Contains(reply.Evidence, file => file.FileName.StartsWith("說明_", StringComparison.Ordinal)));
        Assert.Single(notice.Replies.Select(reply => reply.Evidence.Count).Distinct());
        Assert.All(notice.Outbound, mail => Assert.True(mail.Status == "sent", $"{mail.Kind}: {mail.Status} {mail.LastError}"));
        Assert.Equal(Replies, notice.Outbound.Count(mail => mail.Kind == "receipt"));
        var verify = await cli.RunJsonNodeAsync("store", "verify", "--json");
        Assert.True(verify["ok"]!.GetValue<bool>(), verify.ToJsonString());
    }

    /// <summary>
    /// Hostile finding h14h G14: the DataDirectory moved away and an empty folder made at its path during a
    /// <c>run --once</c>. The once path never pinned the folder's identity (only <c>run</c> did): its intake pass stopped,
    /// but its send phase read the outbox at the path, found the new empty folder, and gave up every queued mail as
    /// 「待寄郵件檔遺失…請由備份還原此檔」 though the files were whole in the moved store. A gone DataDirectory is an error
    /// for the send phase too: every queued mail stays queued, and the store put back sends it.
    /// </summary>
    [Fact]
    public async Task RunOnce_DataDirectoryMovedAwayMidPassWithAnEmptyFolderInItsPlace_LeavesEveryQueuedMailQueuedAndTheStorePutBackSendsIt()
    {
        const int Replies = 6;
        const int Notices = 3;
        var cli = MailIntakeCli.ForDropFolder(Workspace, Output);
        cli.Environment["MailIntake__Mailbox__DropQuietPeriod"] = "00:00:00";
        cli.Environment["MailIntake__Receipts__MaxPerSenderPerHour"] = "100"; // every reply its receipt
        await cli.ImportOrgsAsync(Orgs.Csv);
        // Queued before the run: notices whose sending failed (the SMTP server away), due again.
        var closed = TcpRelay.StartNew(MailStack.Settings.SmtpPort);
        var closedPort = closed.Port;
        await closed.DisposeAsync();
        cli.UseSmtp(closedPort);
        var references = new List<string>();
        for (var index = 0; index < Notices; index++)
            references.Add(await cli.IssueNoticeAsync(Orgs.TestGuild, send: true));
        cli.Environment["MailIntake__Smtp__Kind"] = "Folder";
        cli.Environment["MailIntake__Smtp__PickupFolder"] = Workspace.Outbox;
        using (var database = new SqliteConnection($"Data Source={Path.Combine(Workspace.DataDirectory, "mailintake.db")};Pooling=False"))
        {
            database.Open();
            Assert.Equal(Notices, database.Execute("UPDATE outbound SET next_attempt_at = '2000-01-01T00:00:00.0000000Z' WHERE status = 'queued'"));
        }

        var attemptsBefore = ProgramDatabase.Outbound(Workspace.DataDirectory).ToDictionary(row => row.Id, row => row.Attempts);
        var drop = Path.Combine(Workspace.Root, "drop");
        Directory.CreateDirectory(drop);
        for (var index = 0; index < Replies; index++)
        {
            File.WriteAllBytes(Path.Combine(drop, $"reply-{index}.eml"), TestMessages.NumberedReply(references[0], index, fromSecondOrg: false,
                $"說明_{index}.txt", System.Text.Encoding.UTF8.GetBytes($"第 {index} 封回覆的說明。\r\n")));
        }

        var aside = Workspace.DataDirectory + ".old";
        var rawFolder = Path.Combine(Workspace.DataDirectory, "raw");
        var pidFile = Path.Combine(Workspace.DataDirectory, "worker.pid");
        await using var once = WorkerProcess.Start(cli, Output, "run --once", "run", "--once");
        // worker.pid names it once it holds the DataDirectory (its database prepared): from then on, holding the
        // database's write lock stops it at its next write — recording a reply, or claiming a queued mail to send.
        for (var look = 0; look < 1200 && !once.HasExited && !PidFileNames(pidFile, once.Pid); look++)
            await Task.Delay(10);
        Assert.True(PidFileNames(pidFile, once.Pid), $"run --once takes the DataDirectory:\n{once.Tail()}");
        using (var holder = new SqliteConnection($"Data Source={Path.Combine(Workspace.DataDirectory, "mailintake.db")};Pooling=False"))
        {
            holder.Open();
            holder.Execute("BEGIN IMMEDIATE");
            for (var look = 0; look < 1200 && !RawFileWritten(rawFolder); look++)
                await Task.Delay(100);
            Assert.True(RawFileWritten(rawFolder), $"the pass writes a raw file:\n{once.Tail()}");
            Assert.Empty(PickedUp());
            Directory.Move(Workspace.DataDirectory, aside);
            Directory.CreateDirectory(Workspace.DataDirectory);
            holder.Execute("ROLLBACK");
        }

        for (var look = 0; look < 1200 && !once.HasExited; look++)
            await Task.Delay(100);
        Assert.True(once.HasExited && once.ExitCode == 1, $"run --once ends with exit 1:\n{once.Tail()}");
        Assert.Contains(once.Lines, line => line.Contains("已不在原處", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Workspace.DataDirectory, "*", SearchOption.AllDirectories));

        // The admin puts the store back: nothing was given up or counted as a failed attempt; all of it goes out now.
        Directory.Delete(Workspace.DataDirectory);
        Directory.Move(aside, Workspace.DataDirectory);
        foreach (var reference in references)
        {
            var notice = await cli.ShowNoticeAsync(reference);
            Assert.All(notice.Outbound, mail => Assert.True(mail.Status == "queued",
                $"{reference} {mail.Kind}: {mail.Status} (attempts {mail.Attempts}) {mail.LastError}\n{once.Tail()}"));
        }

        // No attempt counted against them either, and none left claimed: due now.
        Assert.All(ProgramDatabase.Outbound(Workspace.DataDirectory).Where(row => attemptsBefore.ContainsKey(row.Id)), row =>
            Assert.True(row.Attempts == attemptsBefore[row.Id] && row.NextAttemptAt <= DateTimeOffset.UtcNow, $"#{row.Id}: attempts {row.Attempts}, next {row.NextAttemptAt:O}"));

        await cli.RunOnceAsync();
        foreach (var reference in references)
        {
            var notice = await cli.ShowNoticeAsync(reference);
            Assert.All(notice.Outbound, mail => Assert.True(mail.Status == "sent", $"{reference} {mail.Kind}: {mail.Status} {mail.LastError}"));
        }

        var first = await cli.ShowNoticeAsync(references[0]);
        Assert.Equal(Replies, first.Replies.Count);
        Assert.Equal(Replies, first.Outbound.Count(mail => mail.Kind == "receipt"));
        var verify = await cli.RunJsonNodeAsync("store", "verify", "--json");
        Assert.True(verify["ok"]!.GetValue<bool>(), verify.ToJsonString());
    }

    /// <summary>
    /// Hostile finding h14h G1: the database deleted (<c>rm -rf data/*</c>) or replaced by <c>mv</c> under a running worker.
    /// The worker went on filing mail and sending receipts into the unlinked file it held open — drop files moved to
    /// processed/, receipts mailed — and all of it vanished when it stopped. The worker notes which file the database
    /// is when it starts: a path that no longer names it is an error, never a place to write. Nothing is filed, moved
    /// or sent, and the worker stops (exit 1) naming the database file.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_DatabaseDeletedOrReplacedUnderTheWorker_FilesAndSendsNothingAndStopsNamingIt(bool replacedByACopy)
    {
        var cli = await BriskDropFolderCliAsync();
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        var drop = Path.Combine(Workspace.Root, "drop");
        await using var worker = WorkerProcess.Start(cli, Output, "worker");
        await worker.WaitForLineAsync(line => line.Contains("new mail(s)", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "the first pass");
        var sentBefore = PickedUp().Length;

        var database = Path.Combine(Workspace.DataDirectory, "mailintake.db");
        if (replacedByACopy)
        {
            // An older copy put back by hand: copied beside it, moved over it, its -wal and -shm removed.
            var copy = Path.Combine(Workspace.DataDirectory, "copy.db");
            File.Copy(database, copy);
            File.Move(copy, database, overwrite: true);
        }
        else
        {
            File.Delete(database);
        }

        File.Delete(database + "-wal");
        File.Delete(database + "-shm");
        File.WriteAllBytes(Path.Combine(drop, "reply.eml"), TestMessages.NumberedReply(reference, 1, fromSecondOrg: false,
            "說明.txt", System.Text.Encoding.UTF8.GetBytes("回覆的說明。\r\n")));

        await worker.WaitForLineAsync(line => line.Contains("was deleted or replaced while the worker ran; stopping", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "the stop");
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 1, $"the worker stops with exit 1:\n{worker.Tail()}");
        Assert.Contains(worker.Lines, line => line.Contains(database, StringComparison.Ordinal) && line.Contains("was deleted or replaced", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(drop, "reply.eml")), $"the reply stays in the drop folder:\n{worker.Tail()}");
        Assert.False(Directory.Exists(Path.Combine(drop, "processed")) && Directory.EnumerateFiles(Path.Combine(drop, "processed")).Any(file => file.EndsWith("reply.eml", StringComparison.Ordinal)),
            "nothing is moved to processed/");
        Assert.Equal(sentBefore, PickedUp().Length);
        Assert.DoesNotContain(worker.Lines, line => line.Contains("filed under", StringComparison.Ordinal) || line.Contains("(receipt) sent", StringComparison.Ordinal));
    }

    /// <summary>
    /// Hostile finding h15h K3: an older copy of the database put back with <c>cp</c> (written over the file: the same
    /// inode, the worker's pin still holds) under a running worker. The worker went on filing mail and mailing receipts
    /// into a file that, with its WAL, was now malformed (integrity_check failed), and exited 0 at its stop. The worker
    /// notes how far the database file has come (its header); a file that goes back is an older copy: nothing is filed,
    /// moved or sent after it, and the worker stops (exit 1) naming the database file.
    /// </summary>
    [Fact]
    public async Task Run_OlderCopyWrittenOverTheDatabaseUnderTheWorker_FilesAndSendsNothingAfterItAndStopsNamingIt()
    {
        var cli = await BriskDropFolderCliAsync();
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        var drop = Path.Combine(Workspace.Root, "drop");
        var database = Path.Combine(Workspace.DataDirectory, "mailintake.db");
        await using var worker = WorkerProcess.Start(cli, Output, "worker");
        await worker.WaitForLineAsync(line => line.Contains("new mail(s)", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "the first pass");

        // The "older copy": the file as it is now (what `cp data/mailintake.db old.db` takes, the WAL left behind).
        var older = Path.Combine(Workspace.Root, "old.db");
        File.Copy(database, older);

        // Mail filed and receipted after the copy, and written into the file by a checkpoint (what SQLite does on its
        // own once the WAL is long: 150 replies in the finding), then one more reply the worker files after it.
        await DropAndWaitForReceiptAsync(1);
        Checkpoint(database, "PASSIVE");

        await DropAndWaitForReceiptAsync(2);
        var identity = MailIntake.Storage.UnixFiles.Identity(database);
        var sentBefore = PickedUp().Length;
        var filedBefore = worker.CountLines(line => line.Contains("filed under", StringComparison.Ordinal));

        // `cp old.db data/mailintake.db`: truncated and written in place, the same inode; -wal and -shm stay.
        File.WriteAllBytes(database, File.ReadAllBytes(older));
        Assert.Equal(identity, MailIntake.Storage.UnixFiles.Identity(database));
        File.WriteAllBytes(Path.Combine(drop, "reply-3.eml"), TestMessages.NumberedReply(reference, 3, fromSecondOrg: false,
            "說明.txt", System.Text.Encoding.UTF8.GetBytes("回覆的說明。\r\n")));

        await worker.WaitForLineAsync(line => line.Contains(database, StringComparison.Ordinal) && line.Contains("older copy", StringComparison.Ordinal)
            && line.Contains("stopping", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "the stop");
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 1, $"the worker stops with exit 1:\n{worker.Tail()}");
        Assert.True(File.Exists(Path.Combine(drop, "reply-3.eml")), $"the reply after the copy stays in the drop folder:\n{worker.Tail()}");
        Assert.Equal(sentBefore, PickedUp().Length);
        Assert.Equal(filedBefore, worker.CountLines(line => line.Contains("filed under", StringComparison.Ordinal)));

        Task DropAndWaitForReceiptAsync(int index) => DropReplyAndWaitForReceiptAsync(worker, reference, index);
    }

    /// <summary>
    /// Hostile finding h19h H6: after the K3 stop, <c>status</c> read the older copy as a quiet store (「收件：尚無紀錄」,
    /// the notice already sent shown queued, exit 0), and a start would have sent it again. The stop is kept beside the
    /// database (the database is the older copy): status and status --json say the worker stopped on an older copy and to
    /// restore first (exit 1); run --once and jobs run refuse and send nothing; a backup restored into the moved-aside
    /// DataDirectory runs again.
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Run_OlderCopyWrittenOverTheDatabaseUnderTheWorker_StatusSaysSoAndToRestore_NothingRunsOnTheCopyUntilRestored()
    {
        var cli = await BriskDropFolderCliAsync();
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        var backup = Path.Combine(Workspace.Root, "before.backup");
        await cli.RunOkAsync("backup", backup);
        var drop = Path.Combine(Workspace.Root, "drop");
        var database = Path.Combine(Workspace.DataDirectory, "mailintake.db");
        await using (var worker = WorkerProcess.Start(cli, Output, "worker"))
        {
            await worker.WaitForLineAsync(line => line.Contains("new mail(s)", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "the first pass");
            // The copy taken while the notice was still queued; the worker sends it, files a reply, and checkpoints.
            var older = Path.Combine(Workspace.Root, "old.db");
            File.Copy(database, older);
            await DropAndWaitForReceiptAsync(worker, 1);
            Checkpoint(database, "PASSIVE");

            await DropAndWaitForReceiptAsync(worker, 2); // the worker notes the header the checkpoint moved on
            File.WriteAllBytes(database, File.ReadAllBytes(older));
            File.WriteAllBytes(Path.Combine(drop, "reply-3.eml"), TestMessages.NumberedReply(reference, 3, fromSecondOrg: false,
                "說明.txt", System.Text.Encoding.UTF8.GetBytes("回覆的說明。\r\n")));
            // The stop is seen by its exit and its mark (what this test is about), not by its log line: a console logger
            // may not flush its last line before the process ends on a loaded machine (the line is another test's).
            Assert.Equal(1, await worker.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        }

        var sent = PickedUp().Length;
        var status = await cli.RunAsync("status");
        var json = await cli.RunAsync("status", "--json");
        var once = await cli.RunAsync("run", "--once");
        var job = await cli.RunAsync("jobs", "run", "outbox");
        var verify = await cli.RunAsync("store", "verify");
        // h20h J1: a command that records and sends — its outbox is the older copy's, the notice already sent among it —
        // and a backup of the copy (beside the good ones) are refused too; reading is not.
        var followUp = await cli.RunAsync("notice", "follow-up", reference, "--result", "other", "--by", "王小明", "--note", "電話追蹤");
        var copied = await cli.RunAsync("backup", Path.Combine(Workspace.Root, "of-the-copy.backup"));
        var list = await cli.RunAsync("mail", "list");

        Assert.True(followUp.ExitCode == 1 && followUp.StderrLines[^1].Contains("較舊之副本覆寫", StringComparison.Ordinal), followUp.Describe());
        Assert.True(copied.ExitCode == 1 && copied.StderrLines[^1].Contains("較舊之副本覆寫", StringComparison.Ordinal), copied.Describe());
        Assert.False(File.Exists(Path.Combine(Workspace.Root, "of-the-copy.backup")));
        Assert.True(list.ExitCode == 0, list.Describe());
        Assert.True(status.ExitCode == 1 && status.StderrLines.Length == 1 && status.StderrLines[0].Contains("停止", StringComparison.Ordinal)
            && status.StderrLines[0].Contains("較舊之副本覆寫", StringComparison.Ordinal) && status.StderrLines[0].Contains("由備份還原", StringComparison.Ordinal)
            && status.StderrLines[0].Contains(database, StringComparison.Ordinal), $"status names the stop and what to do: {status.Describe()}");
        Assert.True(json.ExitCode == 1, json.Describe());
        var stopped = System.Text.Json.Nodes.JsonNode.Parse(json.Stdout)!["workerStopped"]!;
        Assert.Equal("older-database-copy", stopped["reason"]!.GetValue<string>());
        Assert.Contains("由備份還原", stopped["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(once.ExitCode == 1 && once.StderrLines[^1].Contains("較舊之副本覆寫", StringComparison.Ordinal), once.Describe());
        Assert.True(job.ExitCode == 1 && job.StderrLines[^1].Contains("較舊之副本覆寫", StringComparison.Ordinal), job.Describe());
        Assert.True(verify.ExitCode == 1 && verify.Stdout.Contains("較舊之副本覆寫", StringComparison.Ordinal), verify.Describe());
        Assert.Equal(sent, PickedUp().Length);
        var mark = Path.Combine(Workspace.DataDirectory, "worker-stopped-older-database.txt");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(mark));

        // What the README says to do: the DataDirectory moved aside, a backup restored into its place.
        Directory.Move(Workspace.DataDirectory, Workspace.DataDirectory + ".older");
        await cli.RunOkAsync("restore", backup, "--to", Workspace.DataDirectory);
        await cli.RunOkAsync("status");
        await cli.RunOnceAsync();

        Task DropAndWaitForReceiptAsync(WorkerProcess worker, int index) => DropReplyAndWaitForReceiptAsync(worker, reference, index);
    }

    /// <summary>
    /// Hostile finding h21h L2: the refusal of h20h J1 keyed on the stop mark, which only the worker writes once it has
    /// seen the older copy. A <c>notice follow-up</c> run in the seconds before that worked on the copy as on a good store:
    /// it sent a notice the worker had sent already a second time, and an extension notice saying 「本中心尚未收到貴單位之
    /// 回覆」 after three receipts had gone out. The worker keeps how far it has seen the database come beside it; a
    /// command compares the file with it first, and refuses (and records the stop) on an older copy the worker has not
    /// got to yet. The worker is held still (SIGSTOP) so that it certainly has not.
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task NoticeFollowUp_OlderCopyWrittenOverTheDatabaseBeforeTheWorkerSawIt_RefusedAndSendsNothing()
    {
        var cli = await BriskDropFolderCliAsync();
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        var queued = await cli.IssueNoticeAsync(Orgs.SecondOrg);
        var database = Path.Combine(Workspace.DataDirectory, "mailintake.db");
        // The older copy: the whole store while the second notice was still queued (`cp` after a checkpoint).
        Checkpoint(database, "TRUNCATE");

        var older = Path.Combine(Workspace.Root, "old.db");
        File.Copy(database, older);
        await using var worker = WorkerProcess.Start(cli, Output, "worker");
        await worker.WaitForLineAsync(line => line.Contains("(notice) sent", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "the queued notice sent");
        await DropAndWaitForReceiptAsync(1);
        Checkpoint(database, "PASSIVE");

        await DropAndWaitForReceiptAsync(2); // the worker notes the header the checkpoint moved on
        worker.Pause();
        var sent = PickedUp().Length;
        File.WriteAllBytes(database, File.ReadAllBytes(older));
        var followUp = await cli.RunAsync("notice", "follow-up", reference, "--result", "extended", "--until", "115/12/24", "--by", "林書記");
        var status = await cli.RunAsync("status");
        var list = await cli.RunAsync("notice", "list");
        worker.Resume();

        Assert.True(followUp.ExitCode == 1 && followUp.StderrLines[^1].Contains("較舊之副本覆寫", StringComparison.Ordinal), followUp.Describe());
        Assert.Equal(sent, PickedUp().Length);
        // The stop is recorded as the worker's would be: status names it; reading still works.
        Assert.True(status.ExitCode == 1 && status.StderrLines[0].Contains("較舊之副本覆寫", StringComparison.Ordinal), status.Describe());
        Assert.True(list.ExitCode == 0 && list.Stdout.Contains(queued, StringComparison.Ordinal), list.Describe());
        Assert.Equal(1, await worker.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        Assert.Equal(sent, PickedUp().Length);

        Task DropAndWaitForReceiptAsync(int index) => DropReplyAndWaitForReceiptAsync(worker, reference, index);
    }

    /// <summary>
    /// Hostile finding h22h M3: a stop a command recorded beside the database (h21h L2) did not stop a worker whose own
    /// check saw nothing: status said 「收件服務已於…停止」 and every command refused while the worker went on filing and
    /// sending. The worker honours a recorded stop as its own: it stops (exit 1) and files nothing more.
    /// </summary>
    [Fact]
    public async Task Run_StopRecordedBesideTheDatabaseByACommand_TheWorkerStopsToo()
    {
        var cli = await BriskDropFolderCliAsync();
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        await using var worker = WorkerProcess.Start(cli, Output, "worker");
        await worker.WaitForLineAsync(line => line.Contains("new mail(s)", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "the first pass");

        File.WriteAllText(Path.Combine(Workspace.DataDirectory, "worker-stopped-older-database.txt"),
            $"stopped-at={TestClock.Now:O}\ndatabase={Path.Combine(Workspace.DataDirectory, "mailintake.db")}\n");
        File.WriteAllBytes(Path.Combine(Workspace.Root, "drop", "reply-1.eml"), TestMessages.NumberedReply(reference, 1, fromSecondOrg: false,
            "說明.txt", System.Text.Encoding.UTF8.GetBytes("回覆的說明。\r\n")));

        Assert.Equal(1, await worker.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains(worker.Lines, line => line.Contains("recorded the stop", StringComparison.Ordinal));
        Assert.DoesNotContain(worker.Lines, line => line.Contains("filed under", StringComparison.Ordinal));
    }

    /// <summary>The drop-folder CLI the worker scenarios here share: no quiet period, a pass every 2 s, the organisations imported.</summary>
    private async Task<MailIntakeCli> BriskDropFolderCliAsync()
    {
        var cli = MailIntakeCli.ForDropFolder(Workspace, Output);
        cli.Environment["MailIntake__Mailbox__DropQuietPeriod"] = "00:00:00";
        cli.Environment["MailIntake__Mailbox__PollInterval"] = "00:00:02";
        await cli.ImportOrgsAsync(Orgs.Csv);
        return cli;
    }

    /// <summary>A reply dropped for the running worker; returns once its receipt went out.</summary>
    private async Task DropReplyAndWaitForReceiptAsync(WorkerProcess worker, string reference, int index)
    {
        var from = worker.Lines.Count;
        File.WriteAllBytes(Path.Combine(Workspace.Root, "drop", $"reply-{index}.eml"), TestMessages.NumberedReply(reference, index, fromSecondOrg: false,
            "說明.txt", System.Text.Encoding.UTF8.GetBytes("回覆的說明。\r\n")));
        await worker.WaitForLineAsync(line => line.Contains("(receipt) sent", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, $"the receipt for reply {index}", from);
    }

    /// <summary>A checkpoint by another process (<paramref name="mode"/> PASSIVE or TRUNCATE), as SQLite's own auto-checkpoint or a CLI command would make.</summary>
    private static void Checkpoint(string database, string mode)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        connection.Execute($"PRAGMA busy_timeout = 30000; PRAGMA wal_checkpoint({mode});");
    }

    private string[] PickedUp() =>
        Directory.Exists(Workspace.Outbox) ? Directory.GetFiles(Workspace.Outbox, "*", SearchOption.AllDirectories) : [];

    private static bool PidFileNames(string pidFile, int pid)
    {
        try
        {
            return File.Exists(pidFile) && File.ReadAllText(pidFile).Trim() == pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return false; // being written
        }
    }

    private static bool RawFileWritten(string rawFolder) =>
        Directory.Exists(rawFolder) && Directory.EnumerateFiles(rawFolder, "*.eml", SearchOption.AllDirectories)
            .Any(path => !Path.GetRelativePath(rawFolder, path).StartsWith("tmp", StringComparison.Ordinal));

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Commands_ThatSendNothing_CreateNoPickupFolderAndTheFirstMailWrittenCreatesItOwnerOnly()
    {
        await Cli.ImportOrgsAsync(Orgs.Csv);
        await Cli.RunOkAsync("status");
        await Cli.RunOkAsync("store", "verify");

        // `store verify` "checks and never creates": run from another working directory with the default relative
        // pickup folder, it left ./data/outbox there (h11x F6).
        Assert.False(Directory.Exists(Workspace.Outbox), "a command that sends nothing must not create the pickup folder");

        await Cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        await Cli.RunOnceAsync();

        Assert.Equal(OwnerFolder, File.GetUnixFileMode(Workspace.Outbox));
        Assert.Single(Directory.EnumerateFiles(Workspace.Outbox, "*.eml"));
    }

    [Fact]
    public async Task FirstCommands_SixAtOnceOnNewDataDirectory_AllSucceedAndEachMigrationIsAppliedOnce()
    {
        var registry = Workspace.WriteInput("orgs.csv", Orgs.Csv);
        for (var round = 0; round < 3; round++)
        {
            if (Directory.Exists(Workspace.DataDirectory))
                Directory.Delete(Workspace.DataDirectory, recursive: true);

            // A bound on work, not time: six processes starting at once on a loaded CI machine may each take a minute.
            var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Cli.RunAsync(TimeSpan.FromMinutes(5), "orgs", "import", registry)));

            foreach (var result in results)
                Assert.True(result.ExitCode == 0, $"round {round}: every first command must succeed: {result.Describe()}");
            using var connection = new SqliteConnection($"Data Source={Path.Combine(Workspace.DataDirectory, "mailintake.db")};Mode=ReadOnly;Pooling=False");
            var versions = connection.Query<long>("SELECT version FROM schema_migrations").ToList();
            Assert.True(versions.Count > 0 && versions.Count == versions.Distinct().Count(), $"round {round}: each migration once: {string.Join(",", versions)}");
        }
    }

    /// <summary>
    /// Hostile finding h11x F2: <c>status</c>, <c>mail list</c> and the other commands that only use a store silently made
    /// a new empty one (mailintake.db, action-link.key) in a DataDirectory that did not exist (a typo, a disk that failed
    /// to mount) or held no database (an empty mount point), exit 0; a restore onto that disk was then refused as not
    /// empty. Each now refuses with one line naming the DataDirectory, exit 1, and creates nothing; a first command that
    /// sets a store up (<c>orgs list</c>, as six at once above, <c>orgs import</c>, <c>run</c>) still creates it.
    /// </summary>
    [Fact]
    public async Task CommandsThatUseAStore_OnAMissingOrEmptyDataDirectory_RefuseWithOneLineAndCreateNothing()
    {
        var unmounted = Path.Combine(Workspace.Root, "unmounted");
        var missing = Path.Combine(unmounted, "data");
        var empty = Path.Combine(Workspace.Root, "empty-mount");
        Directory.CreateDirectory(empty);
        var backupFile = Path.Combine(Workspace.Input, "nothing.zip");
        string[][] commands =
        [
            ["status"], ["status", "--json"], ["mail", "list"], ["mail", "show", "1"], ["notice", "list"], ["notice", "show", "TN-115-0001"],
            ["notice", "export", "TN-115-0001", "--format", "html", "-o", Path.Combine(Workspace.Input, "n.html")], ["backup", backupFile],
            ["store", "repair"], ["notice", "confirm-phone", "TN-115-0001", "--by", "王承辦"], ["mail", "dismiss", "1", "--by", "王承辦", "--reason", "垃圾郵件"],
            // h11y N3: the registry listed, and a cron'd job, on a disk that failed to mount.
            ["orgs", "list"], ["orgs", "list", "--json"], ["jobs", "run", "outbox"], ["jobs", "run", "digest"],
        ];

        foreach (var (dataDirectory, says) in new[] { (missing, "不存在"), (empty, "沒有資料庫") })
        {
            Cli.Environment["MailIntake__DataDirectory"] = dataDirectory;
            foreach (var command in commands)
            {
                var result = await Cli.RunAsync(command);
                Assert.True(result.ExitCode == 1 && result.StderrLines.Length == 1 && result.StderrLines[0].Contains($"資料目錄 {dataDirectory} {says}", StringComparison.Ordinal),
                    $"a command that uses a store refuses one that is not there, with one line: {result.Describe()}");
            }
        }

        Assert.False(Directory.Exists(unmounted), "nothing is created where the DataDirectory should be");
        Assert.Empty(Directory.GetFileSystemEntries(empty));
        Assert.False(File.Exists(backupFile));

        Cli.Environment["MailIntake__DataDirectory"] = empty;
        await Cli.ImportOrgsAsync(Orgs.Csv);
        Assert.True(File.Exists(Path.Combine(empty, "mailintake.db")), "a first command that sets a store up still creates it");
        await Cli.RunOkAsync("status");
    }

    /// <summary>
    /// Hostile finding h11y N9: a 0-byte mailintake.db (a failing disk, an interrupted copy, <c>&gt; mailintake.db</c>)
    /// counted as a database: <c>status</c> silently wrote a new empty store into it (and action-link.key), verify said
    /// 完好, and beside raw mail the 「有原始郵件，但沒有資料庫」 guard was bypassed — a worker then ran on an empty registry.
    /// Every command now refuses it with one line saying it is empty and to restore, creating nothing; verify lists it.
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Commands_OnAnEmptyDatabaseFile_RefuseWithOneLineSayingItIsEmptyAndCreateNothing()
    {
        var bare = Path.Combine(Workspace.Root, "z0");
        Directory.CreateDirectory(bare);
        var withRaw = Path.Combine(Workspace.Root, "z1");
        Directory.CreateDirectory(Path.Combine(withRaw, "raw", "ab"));
        await File.WriteAllTextAsync(Path.Combine(withRaw, "raw", "ab", "ab12cd.eml"), "Subject: kept\r\n\r\nbody\r\n");
        string[][] commands = [["status"], ["status", "--json"], ["orgs", "list"], ["run", "--once"], ["mail", "list"], ["store", "repair"]];

        foreach (var dataDirectory in new[] { bare, withRaw })
        {
            var database = Path.Combine(dataDirectory, "mailintake.db");
            await File.WriteAllBytesAsync(database, []);
            var before = Directory.GetFileSystemEntries(dataDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            var mode = File.GetUnixFileMode(dataDirectory);
            Cli.Environment["MailIntake__DataDirectory"] = dataDirectory;
            foreach (var command in commands)
            {
                var result = await Cli.RunAsync(command);
                Assert.True(result.ExitCode == 1 && result.StderrLines.Length == 1
                    && result.StderrLines[0].Contains($"資料庫檔案 {database} 是空的（0 位元組）", StringComparison.Ordinal)
                    && result.StderrLines[0].Contains("請由備份還原", StringComparison.Ordinal), result.Describe());
            }

            var verify = await Cli.RunAsync("store", "verify");
            Assert.True(verify.ExitCode == 1 && verify.Stdout.Contains($"資料庫檔案 {database} 是空的（0 位元組）", StringComparison.Ordinal)
                && !verify.Stdout.Contains("資料目錄完好", StringComparison.Ordinal), verify.Describe());

            Assert.Equal(0, new FileInfo(database).Length);
            Assert.Equal(mode, File.GetUnixFileMode(dataDirectory));
            Assert.Equal(before, Directory.GetFileSystemEntries(dataDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList());
        }
    }

    /// <summary>
    /// Hostile finding h14h G15: a folder where <c>mailintake.db-shm</c> belongs (a failing file system, a copy tool)
    /// stopped every command with a false 「資料庫檔案唯讀，無法寫入」, and <c>store verify</c> advised restoring the intact
    /// database from a backup — throwing away everything since. It is now named as what it is (a folder, not SQLite's
    /// file), with no restore advice; removing it is all it needs.
    /// </summary>
    [Theory]
    [InlineData("-shm")]
    [InlineData("-wal")]
    public async Task FolderWhereTheDatabasesSideFileBelongs_NamedAsAFolderToRemoveNeverARestore(string suffix)
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var database = Path.Combine(Workspace.DataDirectory, "mailintake.db");
        foreach (var side in new[] { "-wal", "-shm" })
        {
            File.Delete(database + side);
        }

        var folder = database + suffix;
        Directory.CreateDirectory(folder);

        foreach (var command in new[] { new[] { "status" }, ["mail", "list"], ["run", "--once"], ["notice", "show", reference] })
        {
            var result = await Cli.RunAsync(command);
            Assert.True(result.ExitCode == 1 && result.StderrLines.Length == 1
                && result.StderrLines[0].Contains($"{folder} 是資料夾", StringComparison.Ordinal)
                && result.StderrLines[0].Contains("不需還原", StringComparison.Ordinal)
                && !result.StderrLines[0].Contains("由備份還原", StringComparison.Ordinal), result.Describe());
        }

        var verify = await Cli.RunAsync("store", "verify", "--json");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains(JsonNode.Parse(verify.Stdout)!["problems"]!.AsArray(), problem =>
            problem!["kind"]!.GetValue<string>() == "foreign" && problem["path"]!.GetValue<string>() == "mailintake.db" + suffix);
        var verifyText = await Cli.RunAsync("store", "verify");
        Assert.DoesNotContain("由備份還原資料庫", verifyText.Stdout, StringComparison.Ordinal);

        Directory.Delete(folder);
        await Cli.RunOkAsync("status");
        Assert.Equal(reference, (await Cli.ShowNoticeAsync(reference)).Reference);
    }

    /// <summary>
    /// Hostile finding h14h G3: a folder where <c>worker.pid</c> belongs stopped every <c>run</c> with 「…/worker.pid（無法讀寫）」
    /// while <c>store verify</c> said 資料目錄完好. Both now name it: a folder in the PID file's place, nothing damaged.
    /// </summary>
    [Fact]
    public async Task FolderWhereTheWorkersPidFileBelongs_RunAndVerifyNameIt()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var pid = Path.Combine(Workspace.DataDirectory, "worker.pid");
        File.Delete(pid);
        Directory.CreateDirectory(pid);

        var run = await Cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 1 && run.StderrLines.Length == 1 && run.StderrLines[0].Contains($"{pid} 是資料夾", StringComparison.Ordinal)
            && run.StderrLines[0].Contains("不需還原", StringComparison.Ordinal), run.Describe());
        var verify = await Cli.RunAsync("store", "verify", "--json");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains(JsonNode.Parse(verify.Stdout)!["problems"]!.AsArray(), problem =>
            problem!["kind"]!.GetValue<string>() == "foreign" && problem["path"]!.GetValue<string>() == "worker.pid");

        Directory.Delete(pid);
        await Cli.RunOnceAsync();
        await Cli.RunOkAsync("store", "verify");
        Assert.Equal("issued", (await Cli.ShowNoticeAsync(reference)).Status);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Files_UnderUmask022_AreOwnerOnly0600InFolders0700()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply().Message);
        // The program is started by a shell that sets systemd's default umask, so nothing here depends on the test host's.
        Cli.CommandPrefix = ["/bin/sh", "-c", "umask 022; exec \"$0\" \"$@\""];

        await Cli.RunOnceAsync();
        await Cli.RunOkAsync("notice", "issue", "--org", Orgs.TestGuild, "--host-ip", "10.1.2.3", "--malicious-ip", "203.0.113.9",
            "--from", "115/11/01", "--to", "115/11/15", "--deadline", "115/12/10", "--again");
        await Cli.RunOnceAsync();

        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Replies.Single().Evidence.Count > 0, "the reply's evidence must be stored, for its files to be checked");
        var checkedFiles = 0;
        foreach (var root in new[] { Workspace.DataDirectory, Workspace.Outbox })
        {
            Assert.Equal(OwnerFolder, File.GetUnixFileMode(root));
            foreach (var folder in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories))
                Assert.True(File.GetUnixFileMode(folder) == OwnerFolder, $"{folder} is {File.GetUnixFileMode(folder)}, must be 0700");
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                Assert.True(File.GetUnixFileMode(file) == OwnerFile, $"{file} is {File.GetUnixFileMode(file)}, must be 0600");
                checkedFiles++;
            }
        }

        Assert.True(Directory.EnumerateFiles(Workspace.Outbox).Any(), "the notice must have reached the pickup folder");
        Output.WriteLine($"{checkedFiles} files checked, all 0600");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task PickupFolderSharedWithTheRelaysGroup_KeepsItsModeAndItsMailIsGroupReadable()
    {
        // Made by the administrator for a relay that picks mail up under another account of the folder's group.
        const UnixFileMode shared = OwnerFolder | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.SetGroup;
        Directory.CreateDirectory(Workspace.Outbox);
        File.SetUnixFileMode(Workspace.Outbox, shared);

        await Cli.ImportOrgsAsync(Orgs.Csv);
        await Cli.RunOkAsync("notice", "issue", "--org", Orgs.TestGuild, "--host-ip", "10.1.2.3", "--malicious-ip", "203.0.113.9",
            "--from", "115/11/01", "--to", "115/11/15", "--deadline", "115/12/10");
        await Cli.RunOnceAsync();

        Assert.Equal(shared, File.GetUnixFileMode(Workspace.Outbox));
        var mail = Assert.Single(Directory.EnumerateFiles(Workspace.Outbox, "*.eml"));
        Assert.Equal(OwnerFile | UnixFileMode.GroupRead, File.GetUnixFileMode(mail));
    }
}
