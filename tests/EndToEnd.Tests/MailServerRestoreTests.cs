using System.Text.Json.Nodes;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MimeKit;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The mail server's own store restored from an older backup on the real Dovecot, keeping its UIDVALIDITY: the UIDs
/// after the backup's are handed out again, and mail arriving under them is still read.
/// </summary>
public sealed class MailServerRestoreTests(ITestOutputHelper output) : EndToEndTest(output)
{
    [Fact]
    public async Task StoreRestoredWithTheSameUidValidity_NewMailUnderReusedUids_IsRecordedAndStatusSaysSo()
    {
        var before = new[] { Message("before 1"), Message("before 2"), Message("before 3") };
        foreach (var message in before)
            await Mailbox.AppendAsync(message);
        await Cli.RunOnceAsync();

        // Restored from a backup that held the first mail only; two new mails then take UIDs 2 and 3 again, so UIDNEXT
        // is just past the last UID read.
        await Mailbox.RestoreFolderKeepingUidValidityAsync();
        await Mailbox.AppendAsync(before[0]);
        var reused = new[] { Message("after the restore 1"), Message("after the restore 2") };
        foreach (var message in reused)
            await Mailbox.AppendAsync(message);

        var run = await Cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("handed out again", run.Stderr, StringComparison.Ordinal);
        AssertEachRecordedOnce([.. before, .. reused], await Cli.ListMailAsync());
        var status = await Cli.RunOkAsync("status");
        Assert.Contains("收件信箱已重新讀取", status, StringComparison.Ordinal);
        Assert.Contains("UID 重新使用", status, StringComparison.Ordinal);
        JsonNode json = await Cli.RunJsonNodeAsync("status", "--json");
        Assert.NotNull(json["intake"]!["rescan"]!["at"]);

        // Restored once more, and only one new mail: UIDNEXT is now behind the last UID read.
        await Mailbox.RestoreFolderKeepingUidValidityAsync();
        await Mailbox.AppendAsync(before[0]);
        var behind = Message("after the second restore");
        await Mailbox.AppendAsync(behind);

        await Cli.RunOnceAsync();

        AssertEachRecordedOnce([.. before, .. reused, behind], await Cli.ListMailAsync());
    }

    private MimeMessage Message(string label) => TestMessages.Plain(label, CenterUser);

    private static void AssertEachRecordedOnce(IReadOnlyCollection<MimeMessage> appended, IReadOnlyList<MailJson> mails)
    {
        var recorded = mails.Select(mail => BareMessageId(mail.MessageId)).ToList();
        var lost = appended.Select(message => message.MessageId).Except(recorded).ToList();
        Assert.True(lost.Count == 0, $"never recorded: {string.Join(", ", lost)}; recorded: {Dump(mails)}");
        Assert.True(recorded.Count == recorded.Distinct().Count(), $"recorded twice: {Dump(mails)}");
        Assert.Equal(appended.Count, mails.Count);
    }
}
