using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The DataDirectory's own disk in trouble — remounted read-only after a disk error, or full — on a small tmpfs: what
/// only reads (staff looking at mail, an admin's verify and backup to another disk) still works, and what cannot work
/// says why in the disk's words, never sending anyone to restore a database that is not damaged.
/// </summary>
public sealed class DiskTroubleTests(ITestOutputHelper output) : EndToEndTest(output)
{
    [SmallDiskFact]
    public async Task ReadOnlyDataDirectory_ReadingCommandsAndBackupWorkRunSaysTheFileSystemIsReadOnly()
    {
        using var disk = SmallDisk.Mount(Path.Combine(Workspace.Root, "disk"), megabytes: 16);
        var (cli, reference) = await StoreWithTwoRepliesAsync(disk);

        disk.ReadOnly();
        try
        {
            var status = await cli.RunAsync("status");
            Assert.True(status.ExitCode == 0 && status.Stdout.Contains("檔案系統為唯讀", StringComparison.Ordinal), status.Describe());
            Assert.Equal(2, (await cli.ListMailAsync()).Count);
            await cli.RunOkAsync("mail", "show", "1");
            Assert.Equal(reference, (await cli.ShowNoticeAsync(reference)).Reference);
            var verify = await cli.RunJsonNodeAsync("store", "verify", "--json");
            Assert.True(verify["ok"]!.GetValue<bool>(), verify.ToJsonString());
            var backup = Path.Combine(Workspace.Input, "backup.zip");
            await cli.RunOkAsync("backup", backup);

            var run = await cli.RunAsync("run", "--once");

            Assert.True(run.ExitCode == 1 && run.StderrLines[^1].Contains("資料目錄所在之檔案系統為唯讀", StringComparison.Ordinal), run.Describe());

            using var copy = new TestWorkspace();
            await cli.RunOkAsync("restore", backup, "--to", copy.DataDirectory);
            var restored = MailIntakeCli.ForDropFolder(copy, Output);
            await restored.RunOkAsync("store", "verify");
            Assert.Equal(2, (await restored.ListMailAsync()).Count);
        }
        finally
        {
            disk.ReadWrite();
        }
    }

    /// <summary>
    /// Hostile finding h11u #7: after an ext4 error (errors=remount-ro) this kernel refuses every write but leaves the
    /// mount's read-only flag unset; status said the disk was writable and, with no worker, every command failed with
    /// 「無法開啟資料庫檔案」 and verify advised restoring the database from a backup.
    /// </summary>
    [LoopDiskFact]
    public async Task ExtFourDiskError_StatusSaysReadOnlyVerifyReadsAndRunNamesTheReadOnlyFileSystem()
    {
        using var disk = LoopDisk.Mount(Path.Combine(Workspace.Root, "images"), Path.Combine(Workspace.Root, "ext4"));
        var (cli, _) = await StoreWithTwoRepliesAsync(Path.Combine(Workspace.Root, "ext4", "data"));
        Assert.True(disk.CanFailLikeADiskError, "this kernel has no ext4 trigger_fs_error");

        disk.FailLikeADiskError();

        var status = await cli.RunJsonNodeAsync("status", "--json");
        Assert.False(status["disk"]!["writable"]!.GetValue<bool>(), status.ToJsonString());
        var verify = await cli.RunAsync("store", "verify");
        Assert.DoesNotContain("由備份還原", verify.Stdout + verify.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, (await cli.ListMailAsync()).Count);
        var run = await cli.RunAsync("run", "--once");
        Assert.True(run.ExitCode == 1 && run.StderrLines[^1].Contains("資料目錄所在之檔案系統為唯讀", StringComparison.Ordinal), run.Describe());
    }

    [SmallDiskFact]
    public async Task FullDisk_NamedAsAFullDiskWithoutRestoreAdviceAndStatusVerifyAndBackupStillRead()
    {
        using var disk = SmallDisk.Mount(Path.Combine(Workspace.Root, "disk"), megabytes: 16);
        var (cli, _) = await StoreWithTwoRepliesAsync(disk);
        // A known problem the full disk must not hide: one evidence file gone.
        var evidence = Directory.GetFiles(Path.Combine(cli.Environment["MailIntake__DataDirectory"], "evidence"), "*.bin", SearchOption.AllDirectories);
        File.Delete(evidence[0]);

        disk.Fill();

        var status = await cli.RunAsync("status");
        Assert.True(status.ExitCode == 0 && status.Stdout.Contains("磁碟空間不足", StringComparison.Ordinal), status.Describe());
        Assert.Contains("收到之郵件", status.Stdout, StringComparison.Ordinal);
        var verify = await cli.RunAsync("store", "verify");
        Assert.True(verify.ExitCode == 1, verify.Describe());
        Assert.Contains("佐證檔遺失", verify.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("請停止收件服務後由備份還原", verify.Stdout, StringComparison.Ordinal);
        var backup = Path.Combine(Workspace.Input, "backup.zip");
        var backedUp = await cli.RunAsync("backup", backup);
        Assert.True(backedUp.ExitCode == 1 && File.Exists(backup), $"the backup to another disk is written (incomplete: one evidence file is gone): {backedUp.Describe()}");
        Assert.DoesNotContain(Directory.GetFiles(cli.Environment["MailIntake__DataDirectory"]), file => file.Contains(".backup", StringComparison.Ordinal));

        var repair = await cli.RunAsync("store", "repair");

        Assert.True(repair.ExitCode == 1 && repair.StderrLines[^1].StartsWith("磁碟空間不足：", StringComparison.Ordinal), repair.Describe());
        Assert.DoesNotContain("請停止收件服務後由備份還原", repair.Stderr, StringComparison.Ordinal);
    }

    [SmallDiskFact]
    public async Task RestoreToAnEmptyMountPoint_RestoresIntoItAndVerifiesClean()
    {
        var (cli, _) = await StoreWithTwoRepliesAsync(Workspace.DataDirectory);
        var backup = Path.Combine(Workspace.Input, "backup.zip");
        await cli.RunOkAsync("backup", backup);
        // The disk failed; a new one is mounted where the DataDirectory is to be (empty: no lost+found on a fresh tmpfs or XFS).
        using var disk = SmallDisk.Mount(Path.Combine(Workspace.Root, "new-disk"), megabytes: 16);

        var restore = await cli.RunAsync("restore", backup, "--to", disk.MountPoint);

        Assert.True(restore.ExitCode == 0, restore.Describe());
        Assert.DoesNotContain(Directory.GetFileSystemEntries(disk.MountPoint), entry => Path.GetFileName(entry).StartsWith(".restore-", StringComparison.Ordinal));
        var restored = MailIntakeCli.ForDropFolder(Workspace, Output);
        restored.Environment["MailIntake__DataDirectory"] = disk.MountPoint;
        await restored.RunOkAsync("store", "verify");
        Assert.Equal(2, (await restored.ListMailAsync("reply")).Count);
    }

    /// <summary>
    /// Hostile finding N2: a freshly formatted ext4 disk mounted where the DataDirectory is to be holds an empty
    /// <c>lost+found</c> (mkfs.ext4 makes it; fsck needs it): restore refused it as 「不是空的」. It counts as empty, is
    /// left in place, and the restored store verifies clean beside it.
    /// </summary>
    [LoopDiskFact]
    public async Task RestoreToAFreshExtFourDisk_ItsEmptyLostAndFoundCountsAsEmptyAndIsLeftInPlace()
    {
        var (cli, _) = await StoreWithTwoRepliesAsync(Workspace.DataDirectory);
        var backup = Path.Combine(Workspace.Input, "backup.zip");
        await cli.RunOkAsync("backup", backup);
        var mountPoint = Path.Combine(Workspace.Root, "ext4");
        using var disk = LoopDisk.Mount(Path.Combine(Workspace.Root, "images"), mountPoint);
        Assert.Equal(["lost+found"], Directory.GetFileSystemEntries(mountPoint).Select(Path.GetFileName));

        var restore = await cli.RunAsync("restore", backup, "--to", mountPoint);

        Assert.True(restore.ExitCode == 0, restore.Describe());
        Assert.True(Directory.Exists(Path.Combine(mountPoint, "lost+found")), "lost+found is the file system's own: left in place");
        var restored = MailIntakeCli.ForDropFolder(Workspace, Output);
        restored.Environment["MailIntake__DataDirectory"] = mountPoint;
        await restored.RunOkAsync("store", "verify");
        Assert.Equal(2, (await restored.ListMailAsync("reply")).Count);
    }

    /// <summary>A lost+found with something in it (fsck put a file there), or one in a plain folder, is not empty.</summary>
    [LoopDiskFact]
    public async Task RestoreToAnExtFourDiskWhoseLostAndFoundHoldsAFile_RefusedAsNotEmpty()
    {
        var (cli, _) = await StoreWithTwoRepliesAsync(Workspace.DataDirectory);
        var backup = Path.Combine(Workspace.Input, "backup.zip");
        await cli.RunOkAsync("backup", backup);
        var mountPoint = Path.Combine(Workspace.Root, "ext4");
        using var disk = LoopDisk.Mount(Path.Combine(Workspace.Root, "images"), mountPoint);
        await File.WriteAllTextAsync(Path.Combine(mountPoint, "lost+found", "#12"), "found by fsck");
        var plain = Path.Combine(Workspace.Root, "plain");
        Directory.CreateDirectory(Path.Combine(plain, "lost+found"));

        foreach (var target in new[] { mountPoint, plain })
        {
            var refused = await cli.RunAsync("restore", backup, "--to", target);
            Assert.True(refused.ExitCode == 1 && refused.StderrLines[^1].Contains("不是空的", StringComparison.Ordinal), refused.Describe());
        }
    }

    /// <summary>
    /// Hostile finding N6: a restore killed before DIR existed left <c>.DIR.restore-…</c> beside it; the restore run again
    /// succeeded but left it there, as large as the store. A restore running meanwhile into the same DIR keeps its own.
    /// </summary>
    [Fact]
    public async Task RestoreKilledBeforeItsFolderExisted_RestoreRunAgainSucceedsAndRemovesTheLeftoverBesideIt()
    {
        var (cli, _) = await StoreWithTwoRepliesAsync(Workspace.DataDirectory);
        var backup = Path.Combine(Workspace.Input, "backup.zip");
        await cli.RunOkAsync("backup", backup);
        var target = Path.Combine(Workspace.Root, "new");
        var leftover = Path.Combine(Workspace.Root, $".new.restore-{Guid.NewGuid():N}");
        System.IO.Compression.ZipFile.ExtractToDirectory(backup, leftover);
        var restored = MailIntakeCli.ForDropFolder(Workspace, Output);
        restored.Environment["MailIntake__DataDirectory"] = target;
        var refused = await restored.RunAsync("status");
        Assert.True(refused.ExitCode == 1 && refused.Stderr.Contains("上次還原未完成", StringComparison.Ordinal), refused.Describe());

        var restore = await cli.RunAsync("restore", backup, "--to", target);

        Assert.True(restore.ExitCode == 0, restore.Describe());
        Assert.DoesNotContain(Directory.GetFileSystemEntries(Workspace.Root), entry => Path.GetFileName(entry).StartsWith(".new.restore-", StringComparison.Ordinal));
        await restored.RunOkAsync("store", "verify");
        Assert.Equal(2, (await restored.ListMailAsync("reply")).Count);
    }

    /// <summary>
    /// Hostile finding h11u #3: a restore into an empty mount point killed while it unpacked (or moved its entries in)
    /// left its <c>.restore-…</c> folder; the next status and store verify created a fresh empty database beside it and
    /// called the store 完好, and the restore run again was refused as 「不是空的」. The state a kill leaves is built from
    /// the real backup: every entry unpacked into the leftover, and (moving) the raw mail already moved out of it.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RestoreKilledHalfWayIntoAnEmptyFolder_CommandsRefuseCreatingNothingAndRestoreRunAgainSucceeds(bool killedWhileMovingIn)
    {
        var (cli, _) = await StoreWithTwoRepliesAsync(Workspace.DataDirectory);
        var backup = Path.Combine(Workspace.Input, "backup.zip");
        await cli.RunOkAsync("backup", backup);
        var target = Path.Combine(Workspace.Root, "new-disk");
        var leftover = Path.Combine(target, $".restore-{Guid.NewGuid():N}");
        System.IO.Compression.ZipFile.ExtractToDirectory(backup, leftover);
        if (killedWhileMovingIn)
            Directory.Move(Path.Combine(leftover, "raw"), Path.Combine(target, "raw"));
        var restored = MailIntakeCli.ForDropFolder(Workspace, Output);
        restored.Environment["MailIntake__DataDirectory"] = target;
        var before = Directory.GetFileSystemEntries(target).Order(StringComparer.Ordinal).ToList();

        foreach (var command in new[] { new[] { "status" }, ["store", "verify"], ["run", "--once"], ["mail", "list"] })
        {
            var refused = await restored.RunAsync(command);
            Assert.True(refused.ExitCode == 1 && (refused.Stdout + refused.Stderr).Contains("上次還原未完成", StringComparison.Ordinal)
                        && !refused.Stdout.Contains("完好", StringComparison.Ordinal), refused.Describe());
        }

        Assert.Equal(before, Directory.GetFileSystemEntries(target).Order(StringComparer.Ordinal).ToList());

        var restore = await cli.RunAsync("restore", backup, "--to", target);

        Assert.True(restore.ExitCode == 0, restore.Describe());
        Assert.DoesNotContain(Directory.GetFileSystemEntries(target), entry => Path.GetFileName(entry).StartsWith(".restore-", StringComparison.Ordinal));
        await restored.RunOkAsync("store", "verify");
        Assert.Equal(2, (await restored.ListMailAsync("reply")).Count);
    }

    private Task<(MailIntakeCli Cli, string Reference)> StoreWithTwoRepliesAsync(SmallDisk disk) =>
        StoreWithTwoRepliesAsync(Path.Combine(disk.MountPoint, "data"));

    /// <summary>A DataDirectory at <paramref name="dataDirectory"/> (the drop folder and pickup folder elsewhere) with a notice and two filed replies.</summary>
    private async Task<(MailIntakeCli Cli, string Reference)> StoreWithTwoRepliesAsync(string dataDirectory)
    {
        var cli = MailIntakeCli.ForDropFolder(Workspace, Output);
        cli.Environment["MailIntake__DataDirectory"] = dataDirectory;
        cli.Environment["MailIntake__Mailbox__DropQuietPeriod"] = "00:00:00";
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        var drop = Path.Combine(Workspace.Root, "drop");
        Directory.CreateDirectory(drop);
        for (var index = 0; index < 2; index++)
        {
            await File.WriteAllBytesAsync(Path.Combine(drop, $"reply-{index}.eml"),
                Crlf.Serialize(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆 {index}").Message));
        }

        await cli.RunOnceAsync();
        Assert.Equal(2, (await cli.ListMailAsync("reply")).Count);
        return (cli, reference);
    }
}
