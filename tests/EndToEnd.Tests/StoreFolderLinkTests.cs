using System.Text.Json.Nodes;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// A store folder moved to a bigger disk and linked back (<c>data/raw -> /big/raw</c>), the admin's usual fix for a full
/// disk. README: a symbolic link where the store keeps its files is <c>foreign</c>: reported, never followed.
/// </summary>
public sealed class StoreFolderLinkTests(ITestOutputHelper output) : EndToEndTest(output)
{
    /// <summary>
    /// Hostile finding h14h G4: intake wrote through the link and <c>store verify</c> said 資料目錄完好, but <c>backup</c>
    /// called every raw mail (evidence file) 「損壞」, carried none and advised restoring raw mail from an older backup.
    /// Now verify, intake (and status) and backup all name the link, where it points, that nothing is damaged and what to
    /// do; intake takes nothing through it, repair sets no mail <c>damaged</c>, and the mail is taken once the folder is a
    /// folder again.
    /// </summary>
    [Theory]
    [InlineData("raw")]
    [InlineData("evidence")]
    [InlineData("outbound")]
    public async Task StoreFolderMovedAndLinkedBack_NamedAsALinkByVerifyIntakeAndBackup_NeverWrittenThroughNorCalledDamaged(string folder)
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆").Message);
        await Cli.RunOnceAsync();
        var inStore = Path.Combine(Workspace.DataDirectory, folder);
        var big = Path.Combine(Workspace.Root, "big", folder);
        Directory.CreateDirectory(Path.GetDirectoryName(big)!);
        Directory.Move(inStore, big);
        File.CreateSymbolicLink(inStore, big);
        var filesBehind = Directory.GetFiles(big, "*", SearchOption.AllDirectories).Length;

        var verify = await Cli.RunAsync("store", "verify", "--json");

        Assert.Equal(1, verify.ExitCode);
        var problems = JsonNode.Parse(verify.Stdout)!["problems"]!.AsArray();
        var linked = Assert.Single(problems, problem => problem!["path"]!.GetValue<string>() == folder);
        Assert.Equal("foreign", linked!["kind"]!.GetValue<string>());
        AssertNamesTheLink(linked["detail"]!.GetValue<string>(), inStore, big);
        Assert.DoesNotContain(problems, problem => problem!["kind"]!.GetValue<string>() is var kind && (kind.EndsWith("-damaged", StringComparison.Ordinal) || kind.EndsWith("-missing", StringComparison.Ordinal)));
        var verifyText = await Cli.RunAsync("store", "verify");
        Assert.True(verifyText.ExitCode == 1 && verifyText.Stdout.Contains("是符號連結", StringComparison.Ordinal)
            && !verifyText.Stdout.Contains("請由備份還原", StringComparison.Ordinal) && !verifyText.Stdout.Contains("資料目錄完好", StringComparison.Ordinal), verifyText.Describe());

        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆 補件").Message);
        var run = await Cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 1 && run.StderrLines.Length == 1, run.Describe());
        AssertNamesTheLink(run.StderrLines[0], inStore, big);
        Assert.Single(await Cli.ListMailAsync());
        Assert.Equal(filesBehind, Directory.GetFiles(big, "*", SearchOption.AllDirectories).Length);
        var status = await Cli.RunAsync("status");
        Assert.True(status.Stdout.Contains($"{inStore} 是符號連結", StringComparison.Ordinal), status.Describe());

        var backup = await Cli.RunAsync("backup", Path.Combine(Workspace.Input, "linked.zip"));

        Assert.True(backup.ExitCode == 1 && backup.Stdout.Contains($"備份時發現：非本系統寫入之檔案或連結（不予處理）\t{folder}\t", StringComparison.Ordinal), backup.Describe());
        AssertNamesTheLink(backup.Stdout, inStore, big);
        Assert.False(backup.Stdout.Contains("損壞\t", StringComparison.Ordinal) || backup.Stdout.Contains("遺失\t", StringComparison.Ordinal)
            || backup.Stderr.Contains("較早之備份", StringComparison.Ordinal) || backup.Stderr.Contains("請由備份還原", StringComparison.Ordinal), backup.Describe());

        var repair = await Cli.RunAsync("store", "repair");
        Assert.True(repair.ExitCode == 1, repair.Describe());
        AssertNamesTheLink(repair.Stdout, inStore, big);
        Assert.Equal(["reply"], (await Cli.ListMailAsync()).Select(mail => mail.Kind));

        // The admin does as told: the folder back in place of the link. The mail left waiting is taken, once.
        File.Delete(inStore);
        Directory.Move(big, inStore);
        await Cli.RunOnceAsync();
        Assert.Equal(2, (await Cli.ListMailAsync()).Count(mail => mail.Kind == "reply"));
        await Cli.RunOkAsync("store", "verify");
        await Cli.RunOkAsync("backup", Path.Combine(Workspace.Input, "whole.zip"));
    }

    private static void AssertNamesTheLink(string text, string link, string target) =>
        Assert.True(text.Contains($"{link} 是符號連結（指向 {target}）", StringComparison.Ordinal)
            && text.Contains("未損壞", StringComparison.Ordinal) && text.Contains("不需由備份還原", StringComparison.Ordinal)
            && text.Contains("MailIntake:DataDirectory", StringComparison.Ordinal) && text.Contains("掛載", StringComparison.Ordinal), text);
}
