using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary><c>jobs run overdue</c> against the real Postfix: the day after an unanswered deadline, staff are told once.</summary>
public sealed class OverdueJobTests(ITestOutputHelper output) : ScheduledJobTest(output)
{
    [Fact]
    public async Task OverdueRunDayAfterUnansweredDeadlineTwice_TimelineHasOneOverdueAndStaffGetOneMail()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var reference = await Cli.IssueNoticeAsync(Orgs.TestGuild); // deadline 115/12/10, no reply

        await RunJobAsync("overdue", "2026-12-11T00:30");

        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Timeline.Count(e => e.Event == "overdue") == 1, $"the notice's timeline must have one overdue event: {Dump(notice.Timeline)}");
        var mail = Assert.Single(await Delivered.WaitForAsync(StaffAddress, 1, $"overdue note for {reference}"));
        Assert.Contains(reference, mail.Subject, StringComparison.Ordinal);
        AssertBodiesContain(mail, $"the overdue note for {reference}", reference, Orgs.TestGuildName, "中華民國115年12月10日");

        await RunJobAsync("overdue", "2026-12-11T00:30");

        await SettledCountAsync(StaffAddress, reference, expected: 1, "overdue note after running overdue twice");
        var again = await Cli.ShowNoticeAsync(reference);
        Assert.True(again.Timeline.Count(e => e.Event == "overdue") == 1, $"a second run must add no overdue event: {Dump(again.Timeline)}");
        Assert.True(again.Status == "issued", $"overdue is an event, not a status: {Dump(again.Status)}");
    }
}
