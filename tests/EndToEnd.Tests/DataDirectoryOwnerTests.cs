using System.Text.Json.Nodes;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Hostile finding h11u #2: the service runs as its own user (here <c>nobody</c>); an admin's <c>sudo mailintake run
/// --once</c> left root-owned 0700 folders in its DataDirectory, and the service then called the filed reply's raw mail
/// and evidence missing, advised a restore from backup, and <c>store repair</c> set the reply <c>damaged</c>.
/// </summary>
public sealed class DataDirectoryOwnerTests(ITestOutputHelper output) : EndToEndTest(output)
{
    private const string ServiceUser = "nobody";

    [ServiceUserFact]
    public async Task RunOnceAsRoot_OnTheServicesDataDirectory_EverythingItWritesIsTheServicesAndVerifyIsClean()
    {
        var (root, service) = ServiceOwnedStore();
        await service.ImportOrgsAsync(Orgs.Csv);
        var reference = await service.IssueNoticeAsync(Orgs.TestGuild, send: true);
        await DropReplyAsync();

        await root.RunOnceAsync();

        var notServices = OwnedByOthers(Workspace.DataDirectory).Concat(OwnedByOthers(Workspace.Outbox)).ToList();
        Assert.True(notServices.Count == 0, $"a command run as root left files the service cannot own: {string.Join(", ", notServices)}");
        var verify = await service.RunAsync("store", "verify");
        Assert.True(verify.ExitCode == 0, verify.Describe());
        var mail = Assert.Single(await service.ListMailAsync());
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference, Dump(mail));
    }

    /// <summary>
    /// Hostile finding h14h G10: <c>orgs import FILE</c> run as root on the service's store could not read root's own 0600
    /// CSV (「…沒有存取權限：屬於 root，本程式以 nobody 執行」), while <c>notice issue --items-file</c> read its file: the program
    /// acts as the store's owner, and read the file only after. A file named on the command line is read with the caller's
    /// rights; what the import writes is still the service's.
    /// </summary>
    [ServiceUserFact]
    public async Task OrgsImportAsRoot_OfRootsOwnPrivateCsv_IsReadAndWhatItWritesIsTheServices()
    {
        var (root, service) = ServiceOwnedStore();
        var csv = Path.Combine(Workspace.Root, "orgs.csv");
        await File.WriteAllTextAsync(csv, Orgs.Csv);
        Run("chmod", "0600", csv);

        var dryRun = await root.RunAsync("orgs", "import", csv, "--dry-run");
        var import = await root.RunAsync("orgs", "import", csv);

        Assert.True(dryRun.ExitCode == 0, dryRun.Describe());
        Assert.True(import.ExitCode == 0, import.Describe());
        var listed = await service.RunOkAsync("orgs", "list");
        Assert.Contains(Orgs.TestGuild, listed, StringComparison.Ordinal);
        Assert.Empty(OwnedByOthers(Workspace.DataDirectory));
    }

    [ServiceUserFact]
    public async Task CommandRunAsAnotherUser_IsRefusedNamingTheOwner()
    {
        var (_, service) = ServiceOwnedStore();
        await service.ImportOrgsAsync(Orgs.Csv);
        var other = ProgramAs(["setpriv", "--reuid=daemon", "--regid=daemon", "--clear-groups"]);

        var refused = await other.RunAsync("run", "--once");

        Assert.True(refused.ExitCode == 1 && refused.StderrLines[^1].Contains($"請以 {ServiceUser} 身分執行", StringComparison.Ordinal), refused.Describe());
        Assert.Empty(OwnedByOthers(Workspace.DataDirectory));
    }

    [ServiceUserFact]
    public async Task FilesBehindAFolderOnlyRootMayEnter_VerifySaysUnreadableNamingTheOwnerAndRepairLeavesTheReplyFiled()
    {
        var (_, service) = ServiceOwnedStore();
        await service.ImportOrgsAsync(Orgs.Csv);
        var reference = await service.IssueNoticeAsync(Orgs.TestGuild);
        await DropReplyAsync();
        await service.RunOnceAsync();
        // What an older version's run as root left: the reply's raw mail and one evidence file in root's 0700 folders,
        // and a queued notice's message file root's alone.
        var sent = Directory.GetFiles(Path.Combine(Workspace.DataDirectory, "outbound"));
        var queued = await service.IssueNoticeAsync(Orgs.TestGuild, send: true);
        var message = Assert.Single(Directory.GetFiles(Path.Combine(Workspace.DataDirectory, "outbound")).Except(sent));
        Run("chown", "root:root", message);
        var rawFolder = Assert.Single(Directory.GetDirectories(Path.Combine(Workspace.DataDirectory, "raw")), folder => Path.GetFileName(folder) != "tmp");
        var evidenceFolder = Directory.GetDirectories(Path.Combine(Workspace.DataDirectory, "evidence")).First(folder => Path.GetFileName(folder) != "tmp");
        foreach (var folder in new[] { rawFolder, evidenceFolder })
        {
            Run("chmod", "0700", folder);
            Run("chown", "root:root", folder);
        }

        var verified = await service.RunAsync("store", "verify", "--json");
        Assert.True(verified.ExitCode == 1, verified.Describe());
        var verify = JsonNode.Parse(verified.Stdout)!;
        var problems = verify["problems"]!.AsArray().Select(problem => problem!).ToList();
        Assert.True(problems.Count >= 3 && problems.All(problem => problem["kind"]!.GetValue<string>() == "unreadable"), verify.ToJsonString());
        Assert.Contains(problems, problem => problem["path"]!.GetValue<string>().StartsWith("raw/", StringComparison.Ordinal)
                                             && problem["detail"]!.GetValue<string>().Contains("屬於 root", StringComparison.Ordinal));
        var text = await service.RunAsync("store", "verify");
        Assert.True(!text.Stdout.Contains("由備份還原", StringComparison.Ordinal) && text.Stdout.Contains("非遺失", StringComparison.Ordinal), text.Describe());

        var repair = await service.RunAsync("store", "repair");

        Assert.Equal(1, repair.ExitCode);
        Assert.DoesNotContain("遺失", repair.Stdout + repair.Stderr, StringComparison.Ordinal);
        var mail = Assert.Single(await service.ListMailAsync());
        Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference, $"a file out of reach is not a damaged mail: {Dump(mail)}");
        await service.RunAsync("jobs", "run", "outbox");
        var notice = await service.ShowNoticeAsync(queued);
        var outbound = Assert.Single(notice.Outbound);
        Assert.True(outbound.Status == "queued" && outbound.LastError?.Contains("屬於 root", StringComparison.Ordinal) == true, Dump(notice.Outbound));
        var status = await service.RunJsonNodeAsync("status", "--json");
        Assert.False(status["send"]!["ok"]!.GetValue<bool>(), status.ToJsonString());

        Run("chown", "-R", ServiceUser, Workspace.DataDirectory);
        Assert.Equal(0, (await service.RunAsync("store", "verify")).ExitCode);
    }

    /// <summary>
    /// Hostile finding N1: <c>restore FILE --to DIR</c> run as root into the service's empty DataDirectory (or a new one in
    /// a folder the service user owns) left a store of root's 0600 files and 0700 folders: the service could not start.
    /// The archive is root's alone (0600, as root's backup writes it). Restored beside a root-owned folder, the store is
    /// root's, and restore's line says so.
    /// </summary>
    [ServiceUserFact]
    public async Task RestoreAsRoot_IntoTheServicesEmptyFolderOrAFolderInsideOneItOwns_EverythingRestoredIsTheServicesAndItRuns()
    {
        var (root, service) = ServiceOwnedStore();
        await service.ImportOrgsAsync(Orgs.Csv);
        var reference = await service.IssueNoticeAsync(Orgs.TestGuild);
        await DropReplyAsync();
        await service.RunOnceAsync();
        var backup = Path.Combine(Workspace.Root, "backup.zip");
        await root.RunOkAsync("backup", backup);
        Assert.Equal("root 600", Run("stat", "-c", "%U %a", backup).Trim());
        // The disk failed: the DataDirectory is made again, empty, the service's (as a packager's postinst would).
        Directory.Delete(Workspace.DataDirectory, recursive: true);
        Directory.CreateDirectory(Workspace.DataDirectory);
        Run("chown", ServiceUser, Workspace.DataDirectory);
        var services = Path.Combine(Workspace.Root, "service-home");
        Directory.CreateDirectory(services);
        Run("chown", ServiceUser, services);
        var rootsOwn = Path.Combine(Workspace.Root, "roots-own");

        var intoEmpty = await root.RunAsync("restore", backup, "--to", Workspace.DataDirectory);
        var intoNew = await root.RunAsync("restore", backup, "--to", Path.Combine(services, "data"));
        var intoRoots = await root.RunAsync("restore", backup, "--to", rootsOwn);

        foreach (var restore in new[] { intoEmpty, intoNew, intoRoots })
            Assert.True(restore.ExitCode == 0, restore.Describe());
        foreach (var store in new[] { Workspace.DataDirectory, Path.Combine(services, "data") })
        {
            Assert.Empty(OwnedByOthers(store));
            var notPrivate = Run("find", store, "(", "-type", "f", "!", "-perm", "600", ")", "-o", "(", "-type", "d", "!", "-perm", "700", "!", "-path", store, ")");
            Assert.True(notPrivate.Length == 0, $"restored files not 0600 / folders not 0700: {notPrivate}");
            Assert.DoesNotContain("root", intoEmpty.Stdout + intoNew.Stdout, StringComparison.Ordinal);
            var restored = ProgramAs(["setpriv", $"--reuid={ServiceUser}", "--regid=nogroup", "--clear-groups"]);
            restored.Environment["MailIntake__DataDirectory"] = store;
            await restored.RunOkAsync("store", "verify");
            await restored.RunOnceAsync();
            var mail = Assert.Single(await restored.ListMailAsync());
            Assert.True(mail.Kind == "reply" && mail.NoticeRef == reference, Dump(mail));
        }

        Assert.Empty(Run("find", rootsOwn, "!", "-user", "root").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("屬於 root", intoRoots.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hostile finding N5 (a): a backup by the service user called the files behind a folder only root may enter 「遺失」
    /// while store verify calls them unreadable (「檔案無法讀取」, naming the folder and its owner).
    /// </summary>
    [ServiceUserFact]
    public async Task BackupAsTheService_FilesBehindAFolderOnlyRootMayEnter_NamedUnreadableAsVerifyNamesThemNeverMissing()
    {
        var (_, service) = ServiceOwnedStore();
        await service.ImportOrgsAsync(Orgs.Csv);
        await service.IssueNoticeAsync(Orgs.TestGuild);
        await DropReplyAsync();
        await service.RunOnceAsync();
        var rawFolder = Assert.Single(Directory.GetDirectories(Path.Combine(Workspace.DataDirectory, "raw")), folder => Path.GetFileName(folder) != "tmp");
        Run("chown", "root:root", rawFolder);
        var backups = Path.Combine(Workspace.Root, "backups");
        Directory.CreateDirectory(backups);
        Run("chown", ServiceUser, backups);

        var backup = await service.RunAsync("backup", Path.Combine(backups, "store.zip"));
        var verify = await service.RunAsync("store", "verify");

        var rawPath = Path.GetRelativePath(Workspace.DataDirectory, Directory.GetFiles(rawFolder).Single()).Replace('\\', '/');
        var verifyLine = verify.Stdout.Split('\n').Single(line => line.Contains(rawPath, StringComparison.Ordinal));
        Assert.StartsWith("檔案無法讀取", verifyLine, StringComparison.Ordinal);
        Assert.True(backup.ExitCode == 1, backup.Describe());
        var backupLine = backup.Stdout.Split('\n').Single(line => line.Contains(rawPath, StringComparison.Ordinal));
        Assert.True(backupLine.StartsWith("備份時發現：檔案無法讀取", StringComparison.Ordinal) && backupLine.Contains("屬於 root", StringComparison.Ordinal), backup.Describe());
        Assert.DoesNotContain("遺失", backup.Stdout + backup.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("由較早之備份還原", backup.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hostile finding N5 (b): a backup run as root and killed left its lock <c>.FILE.lock</c> (root's, 0600), and every
    /// later backup by the service user into FILE failed on it. Whether the service user may remove it (its own backup
    /// folder) or not (a shared folder with the sticky bit, where a lock root writes now is readable to lock), a stale lock
    /// of another user blocks no later backup; one that is held still refuses.
    /// </summary>
    [ServiceUserFact]
    public async Task BackupAsTheService_AfterABackupAsRootWasKilled_ItsStaleLockBlocksNothing()
    {
        var (_, service) = ServiceOwnedStore();
        await service.ImportOrgsAsync(Orgs.Csv);
        var own = Path.Combine(Workspace.Root, "backups");
        var shared = Path.Combine(Workspace.Root, "shared");
        Directory.CreateDirectory(own);
        Directory.CreateDirectory(shared);
        Run("chown", ServiceUser, own);
        Run("chmod", "1777", shared);
        // What a backup as root killed leaves: its lock (0600 before this fix, readable by all since) and its snapshot.
        foreach (var (folder, mode) in new[] { (own, "600"), (shared, "644") })
        {
            File.WriteAllText(Path.Combine(folder, ".store.zip.lock"), "");
            Run("chmod", mode, Path.Combine(folder, ".store.zip.lock"));
            File.WriteAllText(Path.Combine(folder, $".store.zip.{Guid.NewGuid():N}.db.tmp"), "snapshot");
        }

        var intoOwn = await service.RunAsync("backup", Path.Combine(own, "store.zip"));
        var intoShared = await service.RunAsync("backup", Path.Combine(shared, "store.zip"));

        Assert.True(intoOwn.ExitCode == 0, intoOwn.Describe());
        Assert.True(intoShared.ExitCode == 0, intoShared.Describe());
        Assert.Equal(["store.zip"], Directory.GetFiles(own).Select(Path.GetFileName));
        Assert.Contains("已清除先前中斷之備份留下之暫存檔", intoOwn.Stdout, StringComparison.Ordinal);

        // The lock root's file stays in the sticky folder (the service user may not remove it): held, it still refuses.
        Assert.Equal("root 644", Run("stat", "-c", "%U %a", Path.Combine(shared, ".store.zip.lock")).Trim());
        using (var held = new FileStream(Path.Combine(shared, ".store.zip.lock"), FileMode.Open, FileAccess.Read, FileShare.None))
        {
            var busy = await service.RunAsync("backup", Path.Combine(shared, "store.zip"));
            Assert.True(busy.ExitCode == 1 && busy.StderrLines[^1].Contains("另一個備份正在寫入", StringComparison.Ordinal), busy.Describe());
        }
    }

    /// <summary>The DataDirectory, pickup and drop folders owned by the service user; the program as root and as that user.</summary>
    /// <summary>
    /// Hostile finding h11x F5: a database file the service may not read (root's, 0600: a copy put back as root) was called
    /// damaged by store verify, with the advice to restore it from a backup — which would throw away every mail since that
    /// backup — and status, run --once and backup said only 「無法開啟資料庫檔案」. Each now names the file, its owner and
    /// mode and the user the program runs as, and says it is there, not damaged, and needs no restore, only a chown.
    /// </summary>
    [ServiceUserFact]
    public async Task DatabaseFileOnlyRootMayRead_NamedUnreadableWithOwnerAndModeAndNoRestoreAdvice()
    {
        var (root, service) = ServiceOwnedStore();
        await service.ImportOrgsAsync(Orgs.Csv);
        var database = Path.Combine(Workspace.DataDirectory, "mailintake.db");
        Run("chown", "root:root", database);
        Run("chmod", "600", database);
        var backups = Path.Combine(Workspace.Root, "backups");
        Directory.CreateDirectory(backups);
        Run("chown", ServiceUser, backups);

        var verify = await service.RunAsync("store", "verify");

        var verifyLine = verify.Stdout.Split('\n').Single(line => line.Contains("mailintake.db", StringComparison.Ordinal));
        Assert.True(verify.ExitCode == 1 && verifyLine.StartsWith("檔案無法讀取", StringComparison.Ordinal)
            && verifyLine.Contains($"{database} 屬於 root（權限 0600），本程式以 {ServiceUser} 執行", StringComparison.Ordinal)
            && verify.Stdout.Contains("不需還原", StringComparison.Ordinal) && !verify.Stdout.Contains("由備份還原", StringComparison.Ordinal), verify.Describe());
        foreach (var (cli, args) in new[]
        {
            (service, new[] { "status" }), (root, ["status"]), (service, ["run", "--once"]), (service, ["backup", Path.Combine(backups, "store.zip")]),
            (service, ["store", "repair"]),
        })
        {
            var refused = await cli.RunAsync(args);
            Assert.True(refused.ExitCode == 1 && refused.StderrLines.Length == 1, refused.Describe());
            var line = refused.StderrLines[0];
            Assert.True(line.StartsWith("資料庫檔案無法讀取：", StringComparison.Ordinal)
                && line.Contains($"{database} 屬於 root（權限 0600），本程式以 {ServiceUser} 執行", StringComparison.Ordinal)
                && line.Contains("不需還原", StringComparison.Ordinal) && !line.Contains("由備份還原", StringComparison.Ordinal), refused.Describe());
        }

        Assert.Equal("root 600", Run("stat", "-c", "%U %a", database).Trim());
    }

    /// <summary>
    /// Hostile finding h11y N5: a database file the service may read but not write (root's 0644: a copy put back as root
    /// under umask 022). SQLite opened it read-only without a word: status said 收件：正常, verify 資料目錄完好, while every
    /// intake pass failed with 「資料庫檔案唯讀，無法寫入」, unrecorded. Each now names the file, its owner and mode and the
    /// user the program runs as, says it is not damaged and needs no restore, only a chown; exit 1.
    /// </summary>
    [ServiceUserFact]
    public async Task DatabaseFileTheServiceMayReadButNotWrite_NamedUnwritableWithOwnerAndModeAndNoRestoreAdvice()
    {
        var (root, service) = ServiceOwnedStore();
        await service.ImportOrgsAsync(Orgs.Csv);
        await service.IssueNoticeAsync(Orgs.TestGuild);
        var database = Path.Combine(Workspace.DataDirectory, "mailintake.db");
        Run("chown", "root:root", database);
        Run("chmod", "644", database);
        await DropReplyAsync();

        var verify = await service.RunAsync("store", "verify");

        var verifyLine = verify.Stdout.Split('\n').Single(line => line.Contains("mailintake.db", StringComparison.Ordinal));
        Assert.True(verify.ExitCode == 1 && verifyLine.StartsWith("檔案無法寫入", StringComparison.Ordinal)
            && verifyLine.Contains($"{database} 屬於 root（權限 0644），本程式以 {ServiceUser} 執行", StringComparison.Ordinal)
            && verify.Stdout.Contains("不需還原", StringComparison.Ordinal) && !verify.Stdout.Contains("由備份還原", StringComparison.Ordinal)
            && !verify.Stdout.Contains("資料目錄完好", StringComparison.Ordinal), verify.Describe());
        // h11z F9: a cron'd job said only 「資料庫檔案唯讀，無法寫入」, naming neither the file nor the cure.
        foreach (var (cli, args) in new[]
        {
            (service, new[] { "status" }), (root, ["status"]), (service, ["run", "--once"]), (root, ["run", "--once"]),
            (service, ["jobs", "run", "outbox"]), (service, ["jobs", "run", "reminders"]),
        })
        {
            var refused = await cli.RunAsync(args);
            Assert.True(refused.ExitCode == 1 && refused.StderrLines.Length == 1, refused.Describe());
            var line = refused.StderrLines[0];
            Assert.True(line.StartsWith("資料庫檔案無法寫入：", StringComparison.Ordinal)
                && line.Contains($"{database} 屬於 root（權限 0644），本程式以 {ServiceUser} 執行", StringComparison.Ordinal)
                && line.Contains("不需還原", StringComparison.Ordinal) && line.Contains($"chown {ServiceUser} {database}", StringComparison.Ordinal)
                && !line.Contains("由備份還原", StringComparison.Ordinal), refused.Describe());
        }

        // h11z F9: a monitor reading status --json got no JSON at all; it gets the health it can read, the disk not
        // writable with the same line, and exit 1.
        var monitored = await service.RunAsync("status", "--json");
        Assert.Equal(1, monitored.ExitCode);
        using (var health = System.Text.Json.JsonDocument.Parse(monitored.Stdout))
        {
            var disk = health.RootElement.GetProperty("disk");
            Assert.False(disk.GetProperty("writable").GetBoolean());
            Assert.StartsWith("資料庫檔案無法寫入：", disk.GetProperty("warning").GetString(), StringComparison.Ordinal);
            Assert.True(health.RootElement.TryGetProperty("queues", out _), monitored.Describe());
        }

        // What only reads goes on: staff still see their notices.
        var listed = await service.RunAsync("notice", "list");
        Assert.True(listed.ExitCode == 0 && listed.Stdout.Contains("TN-115-0001", StringComparison.Ordinal), listed.Describe());
        Assert.Single(Directory.GetFiles(DropFolder, "*.eml"));
        Assert.Equal("root 644", Run("stat", "-c", "%U %a", database).Trim());
    }

    /// <summary>
    /// Hostile finding h11z F10: the store's raw/ folder root's 0755 (a copy put back as root): intake failed on every
    /// mail, yet <c>store verify</c> — the check an admin runs after fixing permissions — said 資料目錄完好, exit 0. It now
    /// lists the folder the service may read but not write, with its owner and mode, as nothing lost and no restore.
    /// </summary>
    [ServiceUserFact]
    public async Task StoreFolderTheServiceMayReadButNotWrite_VerifyNamesItUnwritableNeverWhole()
    {
        var (_, service) = ServiceOwnedStore();
        await service.ImportOrgsAsync(Orgs.Csv);
        await service.IssueNoticeAsync(Orgs.TestGuild);
        var raw = Path.Combine(Workspace.DataDirectory, "raw");
        Directory.CreateDirectory(raw);
        Run("chown", "root:root", raw);
        Run("chmod", "0755", raw);
        await DropReplyAsync();
        Assert.Equal(1, (await service.RunAsync("run", "--once")).ExitCode);

        var verify = await service.RunAsync("store", "verify");

        Assert.True(verify.ExitCode == 1 && !verify.Stdout.Contains("資料目錄完好", StringComparison.Ordinal), verify.Describe());
        var line = verify.Stdout.Split('\n').Single(line => line.StartsWith("檔案無法寫入\traw\t", StringComparison.Ordinal));
        Assert.True(line.Contains($"資料夾 {raw} 屬於 root（權限 0755），本程式以 {ServiceUser} 執行", StringComparison.Ordinal)
            && line.Contains("不需還原", StringComparison.Ordinal) && !verify.Stdout.Contains("由備份還原", StringComparison.Ordinal), verify.Describe());
        var json = JsonNode.Parse((await service.RunAsync("store", "verify", "--json")).Stdout)!;
        Assert.Contains(json["problems"]!.AsArray(), problem => problem!["kind"]!.GetValue<string>() == "unwritable" && problem["path"]!.GetValue<string>() == "raw");

        Run("chown", ServiceUser, raw);
        Assert.Equal(0, (await service.RunAsync("run", "--once")).ExitCode);
        Assert.Equal(0, (await service.RunAsync("store", "verify")).ExitCode);
    }

    private (MailIntakeCli Root, MailIntakeCli Service) ServiceOwnedStore()
    {
        Run("chmod", "0755", Workspace.Root);
        foreach (var folder in new[] { Workspace.DataDirectory, Workspace.Outbox, DropFolder })
        {
            Directory.CreateDirectory(folder);
            Run("chown", ServiceUser, folder);
        }

        return (ProgramAs([]), ProgramAs(["setpriv", $"--reuid={ServiceUser}", "--regid=nogroup", "--clear-groups"]));
    }

    private MailIntakeCli ProgramAs(IReadOnlyList<string> prefix)
    {
        var cli = MailIntakeCli.ForDropFolder(Workspace, Output);
        cli.Environment["MailIntake__Mailbox__DropQuietPeriod"] = "00:00:01";
        cli.CommandPrefix = prefix;
        return cli;
    }

    private string DropFolder => Path.Combine(Workspace.Root, "drop");

    private async Task DropReplyAsync()
    {
        var path = Path.Combine(DropFolder, "reply.eml");
        await File.WriteAllBytesAsync(path, Crlf.Serialize(TestMessages.OutlookBig5Reply().Message));
        Run("chown", ServiceUser, path);
        // Quiet for the drop folder's quiet period already: written a while "ago".
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-1));
    }

    /// <summary>Every file and folder below <paramref name="folder"/> (itself included) whose owner is not the service user.</summary>
    private static IEnumerable<string> OwnedByOthers(string folder)
    {
        var output = Run("find", folder, "!", "-user", ServiceUser);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static string Run(string file, params string[] args) => LoopDisk.Run(file, args);
}

/// <summary>A fact that runs the program as the service user <c>nobody</c> (through <c>setpriv</c>): skipped, with the reason, where that cannot be done.</summary>
public sealed class ServiceUserFactAttribute : FactAttribute
{
    public ServiceUserFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
            Skip = "running a command as another user needs Linux and root";
        else if (!File.Exists("/usr/bin/setpriv"))
            Skip = "setpriv (util-linux) is not installed";
        else if (!File.ReadLines("/etc/passwd").Any(line => line.StartsWith("nobody:", StringComparison.Ordinal)) || !File.ReadLines("/etc/passwd").Any(line => line.StartsWith("daemon:", StringComparison.Ordinal)))
            Skip = "the users nobody and daemon are not in /etc/passwd";
    }
}
