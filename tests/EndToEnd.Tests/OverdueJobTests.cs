using System.Text;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MimeKit;
using MimeKit.Utils;
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

    [Fact]
    public async Task WorkerBackAfterDowntimeOverTheDeadline_ReplyThatReachedTheServerInTime_NoOverdueAndArrivalKept()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        // Issued twenty days ago with a deadline ten days ago; the reply reached the server fifteen days ago, in time,
        // while the worker was down. The worker comes back today.
        Cli.Environment["MailIntake__Clock__Offset"] = (TestClock.Now - TimeSpan.FromDays(20) - DateTimeOffset.UtcNow).ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        var deadline = TimeZoneInfo.ConvertTime(TestClock.Now - TimeSpan.FromDays(10), Taipei);
        var issued = await Cli.RunAsync("notice", "issue", "--org", Orgs.TestGuild, "--host-ip", "10.1.2.4", "--malicious-ip", "203.0.113.10",
            "--from", "115/11/01", "--to", "115/11/05", "--deadline", $"{deadline.Year - 1911}/{deadline.Month}/{deadline.Day}");
        Assert.True(issued.ExitCode == 0, issued.Describe());
        var reference = issued.Stdout.Split('\n').Select(line => line.Trim()).Last(line => line.Length > 0);
        Cli.Environment["MailIntake__Clock__Offset"] = TestClock.Offset;
        var arrived = TestClock.Now - TimeSpan.FromDays(15);
        var reply = new MimeMessage();
        reply.From.Add(new MailboxAddress(Encoding.UTF8, Orgs.TestGuildName, Org1Address));
        reply.To.Add(new MailboxAddress("", MailStack.Settings.CenterUser));
        reply.Headers.Replace(HeaderId.Subject, Encoding.UTF8, $"Re: 限期改善單 {reference} 改善回覆");
        reply.Date = arrived;
        reply.MessageId = MimeUtils.GenerateMessageId("org1.example.tw");
        reply.Body = new TextPart("plain") { Text = $"已完成改善。\n填寫人：李大同 / 06-2345678 / {Org1Address}\n" };
        await Mailbox.AppendArrivedAtAsync(reply, arrived);

        await using (var worker = WorkerProcess.Start(Cli, Output, "worker"))
        {
            await worker.WaitForLineAsync(line => line.Contains("Job overdue:", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "the overdue sweep at start");
            await worker.StopAsync(TimeSpan.FromSeconds(60));
        }

        var mail = Assert.Single(await Cli.ListMailAsync());
        Assert.True(mail.Kind == "reply" && (DateTimeOffset.Parse(mail.ReceivedAt, System.Globalization.CultureInfo.InvariantCulture) - arrived).Duration() < TimeSpan.FromSeconds(2),
            $"the reply is filed as arriving when the server got it ({arrived:O}): {Dump(mail)}");
        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Timeline.All(e => e.Event != "overdue"), $"no overdue for a reply that came in time: {Dump(notice.Timeline)}");
        await Delivered.SettleAsync(StaffAddress);
        var toStaff = await Delivered.ToAsync(StaffAddress);
        Assert.True(toStaff.All(m => !(m.Subject ?? "").Contains($"【逾期】{reference}", StringComparison.Ordinal)),
            $"staff get no overdue note for a reply that came in time: {DeliveredMail.Subjects(toStaff)}");
        var digest = Assert.Single(toStaff, m => (m.Subject ?? "").Contains("每日摘要", StringComparison.Ordinal));
        Assert.True((digest.TextBody ?? "").Contains("已逾期・未收到回覆（0）", StringComparison.Ordinal),
            $"the digest at start, after the first pass, lists no notice as unanswered:\n{digest.TextBody}");
    }
}
