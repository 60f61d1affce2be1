using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Hostile finding h14h G11: nothing claimed the drop folder. A <c>run --once</c> from a shell lacking only the
/// DataDirectory setting made a new store in the working directory and took the service's replies into it (未比對, moved
/// to <c>processed/</c>); the real store never saw them. The store that takes mail from a drop folder now claims it (a
/// marker file naming the store's id and its DataDirectory); a store with another id takes nothing from it.
/// </summary>
public sealed class DropFolderClaimTests(ITestOutputHelper output) : EndToEndTest(output)
{
    private const string Marker = ".mailintake-store";

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task AnotherStoreOnAClaimedDropFolder_IsRefusedAndTakesNothing_TheServiceStoreReadsTheMail()
    {
        var service = DropFolderCli(Workspace);
        await service.ImportOrgsAsync(Orgs.Csv);
        var reference = await service.IssueNoticeAsync(Orgs.TestGuild);
        Directory.CreateDirectory(DropFolder);
        Drop(reference, 0);
        await service.RunOnceAsync(); // its first pass claims the folder
        var marker = Path.Combine(DropFolder, Marker);
        Assert.True(File.Exists(marker), "the store that takes the folder's mail claims it");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(marker));

        // The shell lacking the DataDirectory setting: another store, the same drop folder.
        using var elsewhere = new TestWorkspace();
        var stray = DropFolderCli(elsewhere);
        var path = Drop(reference, 1);
        var run = await stray.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 1, run.Describe());
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(line.Contains(DropFolder, StringComparison.Ordinal) && line.Contains(Workspace.DataDirectory, StringComparison.Ordinal)
            && line.Contains("MailIntake:DataDirectory", StringComparison.Ordinal) && line.Contains(Marker, StringComparison.Ordinal),
            $"one line naming the folder, the store that claimed it and what to do: {line}");
        Assert.Empty(await stray.ListMailAsync());
        Assert.True(File.Exists(path), "the reply stays in the drop folder, unmoved");
        var status = await stray.RunAsync("status");
        Assert.Contains(Workspace.DataDirectory, status.Stdout, StringComparison.Ordinal);

        await service.RunOnceAsync();
        var mails = await service.ListMailAsync();
        Assert.True(mails.Count == 2 && mails.All(mail => mail.Kind == "reply" && mail.NoticeRef == reference), Dump(mails));
    }

    [Fact]
    public async Task MarkerRemoved_AnotherStoreTakesTheFolderOnPurpose_AndTheOldStoreIsThenRefused()
    {
        var service = DropFolderCli(Workspace);
        await service.ImportOrgsAsync(Orgs.Csv);
        var reference = await service.IssueNoticeAsync(Orgs.TestGuild);
        Directory.CreateDirectory(DropFolder);
        await service.RunOnceAsync();

        using var elsewhere = new TestWorkspace();
        var moved = DropFolderCli(elsewhere);
        File.Delete(Path.Combine(DropFolder, Marker)); // moving the service to a new store on purpose
        Drop(reference, 0);
        await moved.RunOnceAsync();
        Assert.Single(await moved.ListMailAsync());
        Assert.Contains(elsewhere.DataDirectory, await File.ReadAllTextAsync(Path.Combine(DropFolder, Marker)), StringComparison.Ordinal);

        Drop(reference, 1);
        var old = await service.RunAsync("run", "--once");
        Assert.True(old.ExitCode == 1, old.Describe());
        Assert.Contains(elsewhere.DataDirectory, old.Stderr, StringComparison.Ordinal);
        Assert.Empty(await service.ListMailAsync());
        await moved.RunOnceAsync();
        Assert.Equal(2, (await moved.ListMailAsync()).Count);
    }

    private string DropFolder => Path.Combine(Workspace.Root, "drop");

    private string Drop(string reference, int index)
    {
        var path = Path.Combine(DropFolder, $"reply-{index}.eml");
        File.WriteAllBytes(path, TestMessages.NumberedReply(
            reference, index, fromSecondOrg: false, $"補充說明_{index}.txt", System.Text.Encoding.UTF8.GetBytes($"第 {index} 封回覆。\r\n")));
        return path;
    }

    private MailIntakeCli DropFolderCli(TestWorkspace workspace)
    {
        var cli = MailIntakeCli.ForDropFolder(workspace, Output);
        cli.Environment["MailIntake__Mailbox__DropFolder"] = DropFolder;
        cli.Environment["MailIntake__Mailbox__DropQuietPeriod"] = "00:00:00";
        return cli;
    }
}
