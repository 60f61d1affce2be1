using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary><c>jobs run reminders</c> against the real Postfix: the organisation is reminded of its deadline, once.</summary>
public sealed class DeadlineReminderJobTests(ITestOutputHelper output) : ScheduledJobTest(output)
{
    private const string RocDeadline = "中華民國115年12月10日";

    [Fact]
    public async Task RemindersRunOneDayBeforeDeadlineTwice_OneReminderArrivesInOrgMailboxWithReferenceRocDeadlineAndPhone()
    {
        // Deadline 115/12/10 is a Thursday: its 1-day reminder falls on Wednesday 2026-12-09, a working day.
        var (reference, _, _) = await IssueAndDeliverNoticeAsync();

        await RunJobAsync("reminders", "2026-12-09T09:30");

        var reminder = Assert.Single(await Delivered.WaitForAsync(Org1Address, 2, $"reminder for {reference} after the notice"),
            m => m.Subject?.Contains("提醒", StringComparison.Ordinal) == true);
        Assert.Contains(reference, reminder.Subject, StringComparison.Ordinal);
        AssertBodiesContain(reminder, $"the reminder for {reference}", reference, RocDeadline, CenterPhone);
        Assert.Equal("auto-generated", HeaderOf(reminder, "Auto-Submitted").Trim());

        await RunJobAsync("reminders", "2026-12-09T09:30");

        await SettledCountAsync(Org1Address, reference, expected: 2, "the notice and one reminder after running reminders twice");
        var notice = await Cli.ShowNoticeAsync(reference);
        var sent = SingleOutbound(notice, "reminder");
        Assert.True(sent.Status == "sent", $"the reminder's outbound entry must be sent: {Dump(sent)}");
        Assert.True(notice.Timeline.Count(e => e.Event == "reminder") == 1, $"one reminder event on the timeline: {Dump(notice.Timeline)}");
    }
}
