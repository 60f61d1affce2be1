using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests.Truth;

/// <summary>
/// A reply naming the notice from an address the organisation never registered (a colleague answering for the contact)
/// is held for staff as 比對不明. While it waits unsettled, nothing the center sends may say no reply came, and staff are
/// not let decide the suspension past it unseen.
/// </summary>
public sealed class HeldReplyTruthTests(ITestOutputHelper output) : TruthTest(output)
{
    /// <summary>
    /// Hostile finding h10x F17 (scenario P): the reminder told the organisation 「本中心尚未收到貴單位之回覆」, the 【逾期】
    /// note told staff 「未收到回覆」 without a word of the held mail naming the notice, and the suspension was taken with
    /// no warning. Now the reminder says a mail naming the notice came and is being confirmed; the note names the mail
    /// (id, sender, day received) and asks staff to assign or dismiss it; the suspension is refused in one line naming
    /// the mail, and taken only with --despite-waiting-mail.
    /// </summary>
    [Fact]
    public async Task ReplyNamingTheNoticeFromAnUnregisteredColleagueHeld_ReminderAndOverdueNoteNameItAndSuspensionIsRefusedUntilOverridden()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var reference = await Cli.IssueNoticeAsync(Orgs.TestGuild, send: true); // deadline 2026-12-10
        await Cli.RunOnceAsync();
        await Delivered.WaitForAsync(Org1Address, 1, "the notice");
        var colleague = Org2Address; // registered to nobody here: the organisation's IT staff
        await Mailbox.AppendAsync(Reply(colleague, $"RE: 【限期改善單】{reference} 回覆", "我是該協會資訊人員（代李先生回覆），已完成改善，附上掃毒結果。", "附件2_scan.txt"));
        await Cli.RunOnceAsync();
        var held = Assert.Single(await Cli.ListMailAsync());
        Assert.True(held.Kind == "ambiguous", $"the colleague's mail is held for staff: {Dump(held)}");

        await RunJobAsync("reminders", "2026-12-07T09:05:00+08:00");
        var reminder = Single(await Delivered.WaitForAsync(Org1Address, 2, "the notice and the reminder"), "期限提醒");
        AssertBodiesContain(reminder, "the reminder while the colleague's mail is held", $"收到主旨載有本限期改善單編號（{reference}）之來信", "正在確認是否為貴單位之回覆");
        AssertBodiesLack(reminder, "the reminder while the colleague's mail is held", "尚未收到貴單位之回覆");

        await RunJobAsync("overdue", "2026-12-11T00:30:00+08:00");
        var note = Assert.Single(await SettledCountAsync(StaffAddress, "【逾期】", expected: 1, "the overdue note"));
        AssertBodiesContain(note, "the overdue note", $"郵件 #{held.MailId}", $"寄件者 {colleague}", "中華民國115年12月1日", "「歸入」", "「不需處理」");
        AssertBodiesLack(note, "the overdue note", "未收到回覆", "mail assign");

        string[] suspend = ["notice", "follow-up", reference, "--result", "suspended", "--suspend-from", "2026-12-21", "--by", "林書記", "--note", "逾期未回覆"];
        var refused = await Cli.RunAsync(suspend);
        Assert.True(refused.ExitCode == 1 && refused.StderrLines.Length == 1
                    && refused.StderrLines[0].Contains($"郵件 #{held.MailId}", StringComparison.Ordinal)
                    && refused.StderrLines[0].Contains("mail assign", StringComparison.Ordinal) && refused.StderrLines[0].Contains("mail dismiss", StringComparison.Ordinal)
                    && refused.StderrLines[0].Contains("--despite-waiting-mail", StringComparison.Ordinal),
            $"the suspension is refused in one line naming the held mail: {refused.Describe()}");
        var unchanged = await Cli.ShowNoticeAsync(reference);
        Assert.True(unchanged.FollowUps.Count == 0 && unchanged.Status == "issued" && unchanged.Outbound.All(mail => mail.Kind is "notice" or "reminder" or "overdue"),
            $"nothing recorded or queued: {Dump(unchanged.FollowUps)}, {Dump(unchanged.Outbound)}");

        await Cli.RunOkAsync([.. suspend, "--despite-waiting-mail"]);
        Assert.Equal("suspended", (await Cli.ShowNoticeAsync(reference)).Status);
    }
}
