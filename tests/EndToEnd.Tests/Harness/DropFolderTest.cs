using System.Text;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// A scenario on the folder mailbox: the program reads this test's drop folder, and a store that took replies from it
/// can be backed up and restored into a new workspace that reads the same folder again.
/// </summary>
public abstract class DropFolderTest(ITestOutputHelper output) : EndToEndTest(output)
{
    protected string DropFolder => Path.Combine(Workspace.Root, "drop");

    protected MailIntakeCli DropFolderCli(string quietPeriod = "00:00:01")
    {
        var cli = MailIntakeCli.ForDropFolder(Workspace, Output);
        cli.Environment["MailIntake__Mailbox__DropQuietPeriod"] = quietPeriod;
        return cli;
    }

    /// <summary>
    /// Reply <paramref name="index"/> to <paramref name="reference"/>, its subject numbered, attaching 補充說明_INDEX.txt
    /// that reads 「第 INDEX 封<paramref name="says"/>。」.
    /// </summary>
    protected static byte[] Reply(string reference, int index, string says = "回覆") => TestMessages.NumberedReply(
        reference, index, fromSecondOrg: false, $"補充說明_{index}.txt", Encoding.UTF8.GetBytes($"第 {index} 封{says}。\r\n"));

    /// <summary>Writes <see cref="Reply"/> into the drop folder as <c>NAME.eml</c> (<c>reply-INDEX.eml</c> unless named) and returns its path.</summary>
    protected string DropReply(string reference, int index, string? name = null, string says = "回覆")
    {
        var path = Path.Combine(DropFolder, $"{name ?? $"reply-{index}"}.eml");
        File.WriteAllBytes(path, Reply(reference, index, says));
        return path;
    }

    /// <summary>A drop-folder CLI with no quiet period, the organisations imported, a notice issued (not sent) and the drop folder made.</summary>
    protected async Task<(MailIntakeCli Cli, string Reference)> DropFolderWithNoticeAsync()
    {
        var cli = DropFolderCli(quietPeriod: "00:00:00");
        await cli.ImportOrgsAsync(Orgs.Csv);
        var reference = await cli.IssueNoticeAsync(Orgs.TestGuild);
        Directory.CreateDirectory(DropFolder);
        return (cli, reference);
    }

    /// <summary><c>backup</c> of <paramref name="cli"/>'s store into the input folder as <c>older.zip</c>, which must succeed; returns its path.</summary>
    protected async Task<string> BackUpAsync(MailIntakeCli cli)
    {
        var backup = Path.Combine(Workspace.Input, "older.zip");
        await cli.RunOkAsync("backup", backup);
        return backup;
    }

    /// <summary>
    /// A store with a notice (<see cref="DropFolderWithNoticeAsync"/>) that took replies 0 to <paramref name="before"/> - 1 from
    /// the drop folder, was backed up (the older backup), then took replies up to <paramref name="total"/> - 1, now in
    /// <c>processed/</c>: the replies a restore of the older backup lacks.
    /// </summary>
    protected async Task<(MailIntakeCli Cli, string Reference, string Backup)> OlderBackupAsync(int before, int total, string says = "回覆")
    {
        var (cli, reference) = await DropFolderWithNoticeAsync();
        for (var index = 0; index < before; index++)
            DropReply(reference, index, says: says);
        await cli.RunOnceAsync();
        var backup = await BackUpAsync(cli);
        for (var index = before; index < total; index++)
            DropReply(reference, index, says: says);
        await cli.RunOnceAsync();
        return (cli, reference, backup);
    }

    /// <summary>
    /// <c>restore <paramref name="backup"/> --to</c> <paramref name="copy"/>'s data directory, which must succeed; returns the
    /// restored store's CLI on this test's drop folder (<see cref="RestoredCli"/>).
    /// </summary>
    protected async Task<MailIntakeCli> RestoreIntoAsync(TestWorkspace copy, MailIntakeCli cli, string backup)
    {
        var restore = await cli.RunAsync("restore", backup, "--to", copy.DataDirectory);
        Assert.True(restore.ExitCode == 0, restore.Describe());
        return RestoredCli(copy);
    }

    /// <summary>The CLI of the store in <paramref name="copy"/>, reading <paramref name="dropFolder"/> (this test's drop folder unless given) with no quiet period.</summary>
    protected MailIntakeCli RestoredCli(TestWorkspace copy, string? dropFolder = null)
    {
        var restored = MailIntakeCli.ForDropFolder(copy, Output);
        restored.Environment["MailIntake__Mailbox__DropFolder"] = dropFolder ?? DropFolder;
        restored.Environment["MailIntake__Mailbox__DropQuietPeriod"] = "00:00:00";
        return restored;
    }
}
