using System.IO.Compression;
using System.Security.Cryptography;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// A store or a backup someone altered — a raw file replaced by a device or a link, a row naming a file outside the
/// store, an archive with swapped or planted entries — and outputs that are not plain files: never read, never
/// restored, never replaced; each refused with one line.
/// </summary>
public sealed class StoreTamperingTests(ITestOutputHelper output) : EndToEndTest(output)
{
    [Fact]
    public async Task BackupAndMailShow_RawMailReplacedByCharacterDeviceOrLink_RefusedWithoutReadingIt()
    {
        var mailId = await OneReplyAsync();
        var raw = RawFiles().Single();
        var relative = Path.GetRelativePath(Workspace.DataDirectory, raw).Replace('\\', '/');
        File.Delete(raw);
        await RunToolAsync("mknod", raw, "c", "1", "5"); // /dev/zero: endless bytes
        var backupFile = Path.Combine(Workspace.Input, "device.zip");
        var shown = Path.Combine(Workspace.Input, "device.eml");

        var backup = await Cli.RunAsync("backup", backupFile);
        var show = await Cli.RunAsync("mail", "show", mailId, "--raw", "-o", shown);
        var detail = await Cli.RunAsync("mail", "show", mailId);

        Assert.True(backup.ExitCode == 1 && backup.Stdout.Contains($"原始郵件損壞\t{relative}", StringComparison.Ordinal),
            $"a device where the raw mail belongs is named, never copied: {backup.Describe()}");
        Assert.True(new FileInfo(backupFile).Length < 1_000_000, "the backup holds no endless device bytes");
        Assert.True(show.ExitCode == 1 && show.Stderr.Contains("已損壞", StringComparison.Ordinal), show.Describe());
        Assert.False(File.Exists(shown));
        Assert.True(detail.ExitCode == 0, $"mail show reads no device: {detail.Describe()}");

        File.Delete(raw);
        File.CreateSymbolicLink(raw, "/dev/zero");
        var throughLink = await Cli.RunAsync("mail", "show", mailId, "--raw", "-o", shown);
        Assert.True(throughLink.ExitCode == 1 && throughLink.Stderr.Contains("已損壞", StringComparison.Ordinal), throughLink.Describe());
        Assert.False(File.Exists(shown));
        Assert.Empty(Directory.GetFiles(Workspace.Input, ".device.*"));
    }

    [Fact]
    public async Task RowNamingAFileOutsideTheStore_NeverFollowedByBackupMailShowOrRestore()
    {
        var mailId = await OneReplyAsync();
        var raw = RawFiles().Single();
        var rawBytes = await File.ReadAllBytesAsync(raw);
        var secret = Path.Combine(Workspace.Root, "secret.txt");
        await File.WriteAllTextAsync(secret, "root:$6$secret-hash:20228:0:99999:7:::\n");
        var outside = Path.GetRelativePath(Workspace.DataDirectory, secret).Replace('\\', '/');
        Assert.StartsWith("../", outside, StringComparison.Ordinal);
        Execute(Workspace.DataDirectory, "UPDATE mails SET raw_path = @path", ("@path", "raw/../" + outside));

        var verify = await Cli.RunAsync("store", "verify");
        var backupFile = Path.Combine(Workspace.Input, "tampered.zip");
        var backup = await Cli.RunAsync("backup", backupFile);
        var shown = Path.Combine(Workspace.Input, "shown.eml");
        await Cli.RunOkAsync("mail", "show", mailId, "--raw", "-o", shown);

        Assert.True(verify.ExitCode == 1 && verify.Stdout.Contains("不是本系統存放原始郵件之位置", StringComparison.Ordinal),
            $"verify names the row, not the outside file: {verify.Describe()}");
        Assert.True(backup.ExitCode == 1, backup.Describe());
        using (var zip = ZipFile.OpenRead(backupFile))
        {
            Assert.DoesNotContain(zip.Entries, entry => entry.FullName.Contains("..", StringComparison.Ordinal));
            Assert.All(zip.Entries, entry => Assert.DoesNotContain("secret-hash", Text(entry), StringComparison.Ordinal));
        }

        Assert.Equal(rawBytes, await File.ReadAllBytesAsync(shown));

        // The same row inside an archive whose entries are all fine: refused, nothing left.
        var clean = Path.Combine(Workspace.Input, "clean.zip");
        Execute(Workspace.DataDirectory, "UPDATE mails SET raw_path = @path", ("@path", Path.GetRelativePath(Workspace.DataDirectory, raw).Replace('\\', '/')));
        await Cli.RunOkAsync("backup", clean);
        var archive = Rewrite(clean, "rowpath.zip", folder => Execute(folder, "UPDATE mails SET raw_path = 'raw/../../../../etc/hostname'"));
        await AssertRestoreRefusedAsync(archive, "不在本系統存放檔案之位置");
    }

    [Fact]
    public async Task Restore_ArchiveWithSwappedOrPlantedRawEntries_RefusedAndNothingLeft()
    {
        await ImportOrgsAndIssueNoticeAsync();
        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply(subject: $"Re: {Orgs.TestGuild} 第一封").Message);
        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply(subject: $"Re: {Orgs.TestGuild} 第二封").Message);
        await Cli.RunOnceAsync();
        var backupFile = Path.Combine(Workspace.Input, "clean.zip");
        await Cli.RunOkAsync("backup", backupFile);

        var swapped = Rewrite(backupFile, "swapped.zip", folder =>
        {
            var raws = Directory.GetFiles(Path.Combine(folder, "raw"), "*.eml", SearchOption.AllDirectories).Order().ToList();
            Assert.Equal(2, raws.Count);
            var first = File.ReadAllBytes(raws[0]);
            File.WriteAllBytes(raws[0], File.ReadAllBytes(raws[1]));
            File.WriteAllBytes(raws[1], first);
        });
        await AssertRestoreRefusedAsync(swapped, "與其檔名（SHA-256）不符");

        var planted = Rewrite(backupFile, "planted.zip", folder =>
        {
            var mail = "From: x@example.com\r\nTo: center@intake.test\r\nSubject: planted\r\n\r\nnever received\r\n"u8.ToArray();
            var sha = Convert.ToHexStringLower(SHA256.HashData(mail));
            Directory.CreateDirectory(Path.Combine(folder, "raw", sha[..2]));
            File.WriteAllBytes(Path.Combine(folder, "raw", sha[..2], sha + ".eml"), mail);
        });
        await AssertRestoreRefusedAsync(planted, "不是其資料庫記載之郵件或佐證檔");

        using var copy = new TestWorkspace();
        var restore = await Cli.RunAsync("restore", backupFile, "--to", copy.DataDirectory);
        Assert.True(restore.ExitCode == 0, $"the untouched backup still restores: {restore.Describe()}");
    }

    [Fact]
    public async Task BackupAndMailShow_OutputThatIsADeviceOrLink_RefusedAndLeftAsItWas()
    {
        var mailId = await OneReplyAsync();
        Directory.CreateDirectory(Workspace.Input);
        var device = Path.Combine(Workspace.Input, "null-device");
        await RunToolAsync("mknod", device, "c", "1", "3");
        var target = Path.Combine(Workspace.Input, "target.txt");
        await File.WriteAllTextAsync(target, "kept");
        var link = Path.Combine(Workspace.Input, "link.eml");
        File.CreateSymbolicLink(link, target);

        foreach (var command in new[]
        {
            new[] { "backup", device },
            new[] { "mail", "show", mailId, "--raw", "-o", link },
            new[] { "backup", link },
        })
        {
            var refused = await Cli.RunAsync(command);
            Assert.True(refused.ExitCode == 2 && refused.StderrLines.Length == 1 && refused.Stderr.Contains("不是一般檔案", StringComparison.Ordinal),
                $"an output that is a device or a link is refused with one line: {refused.Describe()}");
        }

        Assert.True(new FileInfo(device).Length == 0, "the null device is still the device (a backup written over it would be a zip)");
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.Equal("kept", await File.ReadAllTextAsync(target));
    }

    [Fact]
    public async Task QueuedMessageCutShortOrReplacedByLink_FoundByVerifyAndNeverSent()
    {
        await Cli.ImportOrgsAsync(Orgs.Csv);
        await Cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        var cut = Assert.Single(Directory.GetFiles(Path.Combine(Workspace.DataDirectory, "outbound"), "*.eml"));
        await Cli.IssueNoticeAsync(Orgs.SecondOrg, send: true);
        var linked = Assert.Single(Directory.GetFiles(Path.Combine(Workspace.DataDirectory, "outbound"), "*.eml"), path => path != cut);
        // A failing disk cuts one short (the forms attached at the end are gone); someone puts a link in place of the other.
        await using (var file = new FileStream(cut, FileMode.Open, FileAccess.Write))
            file.SetLength(1500);
        var elsewhere = Path.Combine(Workspace.Root, "elsewhere.eml");
        File.Copy(linked, elsewhere);
        File.Delete(linked);
        File.CreateSymbolicLink(linked, elsewhere);

        var verify = await Cli.RunAsync("store", "verify");
        var run = await Cli.RunAsync("run", "--once");

        Assert.True(verify.ExitCode == 1 && verify.Stdout.Split('\n').Count(line => line.Contains("待寄郵件檔損壞", StringComparison.Ordinal)) == 2,
            $"verify names both queued messages: {verify.Describe()}");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Empty(Directory.Exists(Workspace.Outbox) ? Directory.GetFiles(Workspace.Outbox, "*.eml") : []);
        var status = await Cli.RunJsonNodeAsync("status", "--json");
        Assert.True(status["queues"]!["outboundFailed"]!.GetValue<int>() == 2, $"both are given up at once, saying why: {status.ToJsonString()}");
    }

    private async Task<string> OneReplyAsync()
    {
        await ImportOrgsAndIssueNoticeAsync();
        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply().Message);
        await Cli.RunOnceAsync();
        return Assert.Single(await Cli.ListMailAsync("reply")).MailId;
    }

    private async Task AssertRestoreRefusedAsync(string archive, string reason)
    {
        using var copy = new TestWorkspace();
        var restore = await Cli.RunAsync("restore", archive, "--to", copy.DataDirectory);
        Assert.True(restore.ExitCode == 1 && restore.StderrLines.Length == 1 && restore.Stderr.Contains(reason, StringComparison.Ordinal),
            $"{Path.GetFileName(archive)} must be refused ({reason}): {restore.Describe()}");
        Assert.False(Directory.Exists(copy.DataDirectory), "a refused restore leaves nothing");
    }

    /// <summary>A copy of a backup, unpacked, changed by <paramref name="change"/> (given the folder), packed again with valid CRCs.</summary>
    private string Rewrite(string backupFile, string name, Action<string> change)
    {
        var folder = Path.Combine(Workspace.Root, "unpacked-" + Path.GetFileNameWithoutExtension(name));
        ZipFile.ExtractToDirectory(backupFile, folder);
        change(folder);
        var archive = Path.Combine(Workspace.Input, name);
        ZipFile.CreateFromDirectory(folder, archive);
        return archive;
    }

    /// <summary>Changes the database in a DataDirectory or an unpacked backup (both hold mailintake.db).</summary>
    private static void Execute(string folder, string sql, params (string Name, string Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "mailintake.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (parameter, value) in parameters)
            command.Parameters.AddWithValue(parameter, value);
        Assert.True(command.ExecuteNonQuery() > 0, sql);
    }

    private static string Text(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    private static async Task RunToolAsync(string tool, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(tool, args);
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed");
    }

    private List<string> RawFiles() =>
        Directory.EnumerateFiles(Path.Combine(Workspace.DataDirectory, "raw"), "*.eml", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(Path.GetDirectoryName(path)) != "tmp").Order().ToList();
}
