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
}
