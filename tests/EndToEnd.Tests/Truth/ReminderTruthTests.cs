using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests.Truth;

/// <summary>
/// 【期限提醒】 through the real Postfix: never for a notice the organisation was never sent, never for a reminder day that
/// came before the notice was sent, and the days left counted from the day it goes out.
/// </summary>
public sealed class ReminderTruthTests(ITestOutputHelper output) : TruthTest(output)
{
    [Fact]
    public async Task Reminders_NoticeIssuedWithNoSend_NoReminderReachesTheOrganisationAndOverdueTellsStaffItWasNeverMailed()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var deadline = ProgramToday.AddDays(6);
        var reference = await IssueAsync(deadline, send: false);

        foreach (var days in new[] { 3, 1 })
            await RunJobAsync("reminders", At(WorkingDayOnOrBefore(deadline.AddDays(-days)), "09:30"));
        await RunJobAsync("overdue", At(deadline.AddDays(1), "00:30"));

        await SettledCountAsync(Org1Address, reference, expected: 0, "mail to the organisation about a notice issued with --no-send");
        var overdue = Single(await Delivered.WaitForAsync(StaffAddress, 1, "the overdue note"), "逾期");
        AssertBodiesContain(overdue, "the overdue note", reference, "未曾以電子郵件寄送該機關");
        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Timeline.All(entry => entry.Event != "reminder"), $"no reminder on the timeline: {Dump(notice.Timeline)}");
    }

    [Fact]
    public async Task Reminders_ReminderDayBeforeTheNoticeWasSent_NoneThenOneOnTheNextDayWithTheDaysReallyLeft()
    {
        // Deadline six days on: its 7-day reminder day was yesterday or earlier, before the notice existed.
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var deadline = ProgramToday.AddDays(6);
        var reference = await IssueAsync(deadline, send: true);
        await Cli.RunOnceAsync();
        await Delivered.WaitForAsync(Org1Address, 1, $"notice {reference}");

        await RunJobAsync("reminders", AsOf(ProgramNow.AddMinutes(2)));
        await SettledCountAsync(Org1Address, "期限提醒", expected: 0, "reminders right after the notice was sent");

        var day = WorkingDayOnOrBefore(deadline.AddDays(-3));
        await RunJobAsync("reminders", At(day, "09:30"));

        var reminder = Single(await Delivered.WaitForAsync(Org1Address, 2, "the 3-day reminder"), "期限提醒");
        var left = deadline.DayNumber - day.DayNumber;
        AssertBodiesContain(reminder, "the reminder", reference, $"（尚餘 {left} 日）");
        if (left != 7)
            AssertBodiesLack(reminder, "the reminder", "尚餘 7 日");
    }
}
