using System.Text;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MimeKit;
using MimeKit.Utils;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// <c>jobs run phone-prompts</c> against the real Postfix: an email reply not confirmed by phone gets staff a prompt,
/// once per working day, until <c>notice confirm-phone</c> records the call.
/// </summary>
public sealed class PhonePromptJobTests(ITestOutputHelper output) : ScheduledJobTest(output)
{
    private const string FillerName = "王小華";
    private const string FillerPhone = "0912-345-678";
    private const string RegisteredPhone = "06-2345678";

    [Fact]
    public async Task UnconfirmedReplyPromptedTwiceThenConfirmed_StaffGetOnePromptNamingReferenceFillerAndPhonesThenNone()
    {
        var (reference, _, _) = await IssueAndDeliverNoticeAsync();
        await Mailbox.AppendAsync(Reply(reference));
        await Cli.RunOnceAsync();
        var replied = await Cli.ShowNoticeAsync(reference);
        var filed = Assert.Single(replied.Replies);
        Assert.True(replied.Status == "replied" && filed.Filler?.Name == FillerName && filed.Filler?.Phone == FillerPhone,
            $"the reply must be filed with its filler {FillerName} / {FillerPhone} and the notice replied: status {replied.Status}, {Dump(filed)}");

        var promptAt = WorkingDayAtOrAfter(DateTimeOffset.Parse(filed.ReceivedAt, System.Globalization.CultureInfo.InvariantCulture) + TimeSpan.FromHours(5));
        await RunJobAsync("phone-prompts", AsOf(promptAt));

        var prompt = Assert.Single(await Delivered.WaitForAsync(StaffAddress, 1, $"phone prompt for {reference}"));
        Assert.Contains(reference, prompt.Subject, StringComparison.Ordinal);
        AssertBodiesContain(prompt, $"the phone prompt for {reference}", reference, Orgs.TestGuildName, FillerName, FillerPhone, RegisteredPhone);

        await RunJobAsync("phone-prompts", AsOf(promptAt));
        await SettledCountAsync(StaffAddress, reference, expected: 1, "phone prompt after running phone-prompts twice on one day");

        await Cli.RunOkAsync("notice", "confirm-phone", reference, "--by", "王承辦");
        var nextWorkingDay = WorkingDayAtOrAfter(new DateTimeOffset(TimeZoneInfo.ConvertTime(promptAt, Taipei).Date.AddDays(1).AddHours(10), TimeSpan.FromHours(8)));
        await RunJobAsync("phone-prompts", AsOf(nextWorkingDay));

        await SettledCountAsync(StaffAddress, reference, expected: 1, $"no new prompt on {AsOf(nextWorkingDay)} after confirm-phone");
        var confirmed = await Cli.ShowNoticeAsync(reference);
        Assert.True(confirmed.Status == "confirmed", $"after confirm-phone the notice must be confirmed: {Dump(confirmed.Status)}");
        var call = Assert.Single(confirmed.PhoneConfirmations);
        Assert.Equal("王承辦", call.By);
        Assert.True(confirmed.Timeline.Count(e => e.Event == "phone-prompt") == 1, $"one phone-prompt event on the timeline: {Dump(confirmed.Timeline)}");
    }

    /// <summary><paramref name="instant"/> if it falls on a weekday in Taipei, else 10:00 on the next Monday (no holiday file is configured).</summary>
    private static DateTimeOffset WorkingDayAtOrAfter(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Taipei);
        if (local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            return local;
        var days = local.DayOfWeek == DayOfWeek.Saturday ? 2 : 1;
        return new DateTimeOffset(local.Date.AddDays(days).AddHours(10), local.Offset);
    }

    /// <summary>The organisation's email reply naming the reference, with its filler on a 填寫人 line.</summary>
    private MimeMessage Reply(string reference)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(Encoding.UTF8, Orgs.TestGuildName, Org1Address));
        message.To.Add(new MailboxAddress(Encoding.UTF8, "臺南市政府智慧發展中心", MailStack.Settings.CenterUser));
        message.Headers.Replace(HeaderId.Subject, Encoding.UTF8, $"Re: 限期改善單 {reference} 改善回覆");
        message.Date = TestClock.Now;
        message.MessageId = MimeUtils.GenerateMessageId("org1.example.tw");
        message.Body = new TextPart("plain")
        {
            Text = $"臺南市政府智慧發展中心 您好：\n\n本會已完成改善，說明如下。\n填寫人：{FillerName} / {FillerPhone} / {Org1Address}\n",
        };
        return message;
    }
}
