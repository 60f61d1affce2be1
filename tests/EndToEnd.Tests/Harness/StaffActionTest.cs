using System.Diagnostics;
using System.Text;
using MailIntake.EndToEnd.Tests.TestData;
using MimeKit;
using MimeKit.Utils;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// A scenario where staff act by mail: the test's staff address is a member of Staff:Members (王小明, admin), the
/// center's address (Center:Email, where action links point) is <c>center+FOLDER@</c>, so what a member sends through
/// Postfix lands in the folder the program reads.
/// </summary>
public abstract class StaffActionTest(ITestOutputHelper output) : ScheduledJobTest(output)
{
    protected const string MemberName = "王小明";

    /// <summary>Another member, for "a link used by someone else than its member".</summary>
    protected string OtherMemberAddress => $"staff+lin-{Tag}@{MailStack.Settings.Domain}";

    protected string CenterActionAddress => $"{MailStack.Settings.CenterUser.Split('@')[0]}+{Mailbox.Folder}@{MailStack.Settings.Domain}";

    protected override void ConfigureProgram(MailIntakeCli cli)
    {
        base.ConfigureProgram(cli);
        cli.Environment["MailIntake__Center__Email"] = CenterActionAddress;
        cli.Environment["MailIntake__Staff__Members__0__Email"] = StaffAddress;
        cli.Environment["MailIntake__Staff__Members__0__Name"] = MemberName;
        cli.Environment["MailIntake__Staff__Members__0__Role"] = "admin";
        cli.Environment["MailIntake__Staff__Members__1__Email"] = OtherMemberAddress;
        cli.Environment["MailIntake__Staff__Members__1__Name"] = "林小華";
    }

    /// <summary>Sends <paramref name="message"/> through Postfix as <paramref name="login"/> and waits until it is in the center's folder.</summary>
    protected Task SendToCenterAsync(MimeMessage message, string login = "staff@intake.test") =>
        SendToCenterAsync(() => StaffMailClient.SendAsync(message, login), $"the mail 「{message.Subject}」 to {message.To}");

    /// <summary>Sends by <paramref name="send"/> and waits until one more mail is in the center's folder.</summary>
    protected async Task SendToCenterAsync(Func<Task> send, string what)
    {
        var before = await Mailbox.CountAsync();
        await send();
        var clock = Stopwatch.StartNew();
        while (await Mailbox.CountAsync() <= before)
        {
            if (clock.Elapsed > DeliveredMail.DeliveryTimeout)
                throw new XunitException($"{what} did not reach folder {Mailbox.Folder} within {DeliveredMail.DeliveryTimeout.TotalSeconds:0} s");
            await Task.Delay(300);
        }
    }

    /// <summary>The member clicks <paramref name="link"/> in Outlook, edits nothing or what <paramref name="edit"/> says, sends; the worker runs once.</summary>
    protected async Task ActAsync(Mailto link, string? from = null, bool htmlOnly = false)
    {
        await SendToCenterAsync(StaffMailClient.Compose(link, from ?? StaffAddress, htmlOnly));
        await Cli.RunOnceAsync();
    }

    /// <summary>Issues a notice with its mail to org1, files the organisation's email reply (notice replied); returns the reference.</summary>
    protected async Task<string> NoticeWithReplyAsync()
    {
        var (reference, _, _) = await IssueAndDeliverNoticeAsync();
        await Mailbox.AppendAsync(OrganisationMail($"Re: 限期改善單 {reference} 改善回覆", "本會已完成改善。\n填寫人：李大同 / 06-2345678\n"));
        await Cli.RunOnceAsync();
        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Status == "replied", $"the reply must be filed: {Dump(notice)}");
        return reference;
    }

    /// <summary>The phone prompt for <paramref name="reference"/>, run five hours after now (a working day in Taipei).</summary>
    protected async Task<MimeMessage> PhonePromptAsync(string reference)
    {
        await RunJobAsync("phone-prompts", AsOf(WorkingDayAtOrAfter(TestClock.Now.AddHours(5))));
        return Assert.Single(await Delivered.WaitForAsync(StaffAddress, 1, $"the phone prompt for {reference}"),
            m => (m.Subject ?? "").Contains(reference, StringComparison.Ordinal));
    }

    /// <summary>The answers the program mailed the member, whose subject starts with 【<paramref name="verdict"/>】.</summary>
    protected async Task<IReadOnlyList<MimeMessage>> AnswersAsync(string verdict, int expected)
    {
        var found = await Delivered.WaitForAsync(StaffAddress, 1, $"an answer 【{verdict}】");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var answers = (await Delivered.ToAsync(StaffAddress)).Where(m => (m.Subject ?? "").StartsWith($"【{verdict}】", StringComparison.Ordinal)).ToList();
            if (answers.Count >= expected)
                return answers;
            if (clock.Elapsed > DeliveredMail.DeliveryTimeout)
                throw new XunitException($"expected {expected} answer(s) 【{verdict}】 to {StaffAddress}, found {answers.Count}: {DeliveredMail.Subjects(found)}");
            await Task.Delay(500);
        }
    }

    protected MimeMessage OrganisationMail(string subject, string body, string? from = null)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(Encoding.UTF8, Orgs.TestGuildName, from ?? Org1Address));
        message.To.Add(new MailboxAddress(Encoding.UTF8, "臺南市政府智慧發展中心", MailStack.Settings.CenterUser));
        message.Headers.Replace(HeaderId.Subject, Encoding.UTF8, subject);
        message.Date = TestClock.Now;
        message.MessageId = MimeUtils.GenerateMessageId("org1.example.tw");
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    /// <summary><paramref name="instant"/> if it falls on a weekday in Taipei, else 10:00 on the next Monday.</summary>
    protected static DateTimeOffset WorkingDayAtOrAfter(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Taipei);
        if (local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            return local;
        var days = local.DayOfWeek == DayOfWeek.Saturday ? 2 : 1;
        return new DateTimeOffset(local.Date.AddDays(days).AddHours(10), local.Offset);
    }

    /// <summary>The mail as <c>mail list --json</c> shows it, found by its subject.</summary>
    protected async Task<MailJson> MailWithSubjectAsync(string subjectPart)
    {
        var mails = await Cli.ListMailAsync();
        var found = mails.Where(m => (m.Subject ?? "").Contains(subjectPart, StringComparison.Ordinal)).ToList();
        return found.Count == 1 ? found[0] : throw new XunitException($"expected one mail with 「{subjectPart}」, found {found.Count}: {Dump(mails)}");
    }
}
