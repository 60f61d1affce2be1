using System.Text;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MailIntake.Parsing.StaffActions;
using MimeKit;
using MimeKit.Utils;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Links used after the state they were made for has passed, links in the wrong hands, and what a staff mail about a
/// refused action carries (found by a hostile try of the staff actions): refused with the reason, nothing changed.
/// </summary>
public sealed class StaffActionStaleAndForgedTests(ITestOutputHelper output) : StaffActionTest(output)
{
    [Fact]
    public async Task FollowUpLink_AfterItsRoundIsRecorded_IsRefusedAsStaleAndOnlyAdminsGetSuspension()
    {
        var reference = await NoticeWithReplyAsync();
        await Cli.RunOkAsync("notice", "confirm-phone", reference, "--by", "王承辦");
        Cli.Environment["MailIntake__Staff__DigestRecipients__1"] = OtherMemberAddress;
        await RunJobAsync("digest", AsOf(DigestMorning()));
        var digest = Assert.Single(await Delivered.WaitForAsync(StaffAddress, 1, "the admin's daily digest"));
        var staffDigest = Assert.Single(await Delivered.WaitForAsync(OtherMemberAddress, 1, "the staff member's daily digest"));
        Assert.Contains(StaffMailClient.Links(digest), l => l.Text == "中止交換服務");
        Assert.DoesNotContain(StaffMailClient.Links(staffDigest), l => l.Text == "中止交換服務");
        Assert.Contains(StaffMailClient.Links(staffDigest), l => l.Text == "改善完成");

        await ActAsync(StaffMailClient.Link(digest, "展延至", contains: true).WithLine("新改善期限", "115/12/31"));
        Assert.Single((await Cli.ShowNoticeAsync(reference)).FollowUps);

        // The same digest's round-1 "其他" link, used after round 1 was recorded: it must not become round 2.
        await ActAsync(StaffMailClient.Link(digest, "其他").WithLine("說明", "機關說明下週處理"));

        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.FollowUps.Count == 1, $"a stale round-1 link must record nothing: {Dump(notice)}");
        var refusal = Assert.Single(await AnswersAsync("無法處理", 1));
        AssertBodiesContain(refusal, "the stale link's refusal", reference, "第 1 次追蹤", "動作未執行");
        Assert.DoesNotContain("請直接回覆本郵件", refusal.TextBody ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task PhoneLink_AfterALaterReply_IsRefusedAndTheLaterReplyStillAwaitsTheCall()
    {
        var reference = await NoticeWithReplyAsync();
        var prompt = await PhonePromptAsync(reference);
        await Mailbox.AppendAsync(OrganisationMail($"Re: 限期改善單 {reference} 補充", "補充說明。\n填寫人：陳三 / 06-7654321\n"));
        await Cli.RunOnceAsync();

        await ActAsync(StaffMailClient.Link(prompt, "已電話確認"));

        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Status == "replied" && notice.PhoneConfirmations.Count == 0,
            $"a call prompted for the first reply must not confirm the later one unseen: {Dump(notice)}");
        var refusal = Assert.Single(await AnswersAsync("無法處理", 1));
        AssertBodiesContain(refusal, "the stale phone link's refusal", reference, "其後又收到郵件", "動作未執行");
    }

    [Fact]
    public async Task ActionLinkSentByAnOrganisation_NoteHasNoTokenNorAssignLink_AndCannotBeFiledOrTriggeredByReplyingToTheNote()
    {
        var reference = await NoticeWithReplyAsync();
        var prompt = await PhonePromptAsync(reference);
        var confirm = StaffMailClient.Link(prompt, "已電話確認");

        // The organisation got hold of the member's link and sends it.
        await SendToCenterAsync(StaffMailClient.Compose(confirm, Org1Address), login: "org1@intake.test");
        await Cli.RunOnceAsync();
        var suspicious = Assert.Single(await Cli.ListMailAsync("suspicious"));
        var note = Assert.Single(await Delivered.WaitForAsync(StaffAddress, 2, "the phone prompt and the note"),
            m => (m.Subject ?? "").StartsWith("【待處理郵件】", StringComparison.Ordinal));
        Assert.Empty(ActionToken.FindAll(note.Subject ?? ""));
        Assert.Empty(ActionToken.FindAll(note.TextBody ?? ""));
        Assert.Equal(["不需處理"], StaffMailClient.Links(note).Select(l => l.Text));

        var assign = await Cli.RunAsync("mail", "assign", suspicious.MailId, reference);
        Assert.True(assign.ExitCode == 1 && assign.StderrLines.Length == 1 && assign.Stderr.Contains("動作識別碼", StringComparison.Ordinal),
            $"a mail carrying an action token is never filed as a reply: {assign.Describe()}");

        // The member answers the note as Outlook does; the member never clicked the link: nothing is carried out.
        await SendToCenterAsync(ReplyTo(note, "這封是誰寄的？請先不要處理。"));
        await Cli.RunOnceAsync();
        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Status == "replied" && notice.PhoneConfirmations.Count == 0, $"replying to the note must not confirm: {Dump(notice)}");
        Assert.DoesNotContain(await Delivered.ToAsync(StaffAddress), m => (m.Subject ?? "").StartsWith("【已處理】", StringComparison.Ordinal));

        // A control or direction character in a line is refused naming the line; the clean line then settles the mail.
        var dismiss = StaffMailClient.Link(note, "不需處理").WithLine("原因", "機關誤寄");
        await ActAsync(dismiss.WithLine("處理人", "\u202Eevil\u001b[31m"));
        // The member's reply to the note got its own 【無法處理】 (no token); the refusal of the bad line is the second.
        AssertBodiesContain(Assert.Single(await AnswersAsync("無法處理", 2), m => (m.TextBody ?? "").Contains("控制字元", StringComparison.Ordinal)),
            "the refusal", "處理人", "控制字元");
        await ActAsync(dismiss);
        var settled = (await Cli.RunJsonNodeAsync("mail", "list", "--json")).AsArray().Single(m => m!["mailId"]!.ToString() == suspicious.MailId)!;
        Assert.True((bool?)settled["settled"] == true, $"the clean 不需處理 settles the mail: {settled.ToJsonString()}");
    }

    [Fact]
    public async Task MemberReplyToAPhonePrompt_WithoutAToken_IsNeitherFiledNorReceiptedAndTheMemberIsToldNothingWasRecorded()
    {
        var reference = await NoticeWithReplyAsync();
        var prompt = await PhonePromptAsync(reference);

        await SendToCenterAsync(ReplyTo(prompt, "已聯繫李大同，確認回覆無誤。"));
        await Cli.RunOnceAsync();

        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Replies.Count == 1 && notice.PhoneConfirmations.Count == 0,
            $"a member's note is not the organisation's reply, and records no call: {Dump(notice)}");
        // h10z E: the member, who believes the call is recorded, is told at once that it is not, and how to record it.
        var answer = Assert.Single(await AnswersAsync("無法處理", 1));
        AssertBodiesContain(answer, "the answer to the member", "沒有動作識別碼", "未記錄電話確認", "按鈕");

        var mail = await MailWithSubjectAsync("RE: 【請電話確認】");
        Assert.True(mail.Kind == "unmatched" && (mail.Reason ?? "").Contains("承辦人員", StringComparison.Ordinal), $"recorded with the reason: {Dump(mail)}");
        Assert.DoesNotContain(await Delivered.ToAsync(StaffAddress), m => (m.Subject ?? "").Contains("收件回執", StringComparison.Ordinal));

    }

    [Fact]
    public async Task IssueTemplate_RefusedThenCorrectedByReplying_KeepsEveryItemOnItsOwnLine()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        await RunJobAsync("digest", AsOf(DigestMorning()));
        var digest = Assert.Single(await Delivered.WaitForAsync(StaffAddress, 1, "the daily digest"));
        var deadline = TestClock.Today.AddDays(20);
        var template = StaffMailClient.Link(digest, "開立限期改善單", contains: true)
            .WithLine("機關代碼", Orgs.TestGuild)
            .WithLine("電腦IP", "10.9.9.999")
            .WithLine("惡意IP", "203.0.113.9")
            .WithLine("事件期間", "115/11/20至115/11/25")
            .WithLine("改善期限", $"{deadline.Year - 1911}/{deadline.Month}/{deadline.Day}")
            .WithLine("改善事項", "第一項 移除惡意程式\r\n第二項 更新防毒軟體\r\n第三項 重新設定密碼");

        await ActAsync(template);
        var refusal = Assert.Single(await AnswersAsync("無法處理", 1));
        await SendToCenterAsync(ReplyTo(refusal, "電腦IP：10.9.9.9"));
        await Cli.RunOnceAsync();

        var issued = Assert.Single(await Cli.RunJsonAsync<List<NoticeSummaryJson>>("notice", "list", "--json"));
        var mail = Assert.Single(await Delivered.WaitForAsync(Org1Address, 1, $"the notice {issued.Reference}"));
        var lines = (mail.TextBody ?? "").Split('\n');
        foreach (var item in new[] { "移除惡意程式", "更新防毒軟體", "重新設定密碼" })
            Assert.Single(lines, line => line.Contains(item, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("移除惡意程式", StringComparison.Ordinal) && line.Contains("更新防毒軟體", StringComparison.Ordinal));
    }

    /// <summary>An Outlook-style reply: the member's text on top, the original quoted below, "RE:" subject, threaded.</summary>
    private MimeMessage ReplyTo(MimeMessage original, string top)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(Encoding.UTF8, MemberName, StaffAddress));
        message.To.Add(MailboxAddress.Parse(CenterActionAddress));
        message.Headers.Replace(HeaderId.Subject, Encoding.UTF8, "RE: " + original.Subject);
        message.Date = TestClock.Now;
        message.MessageId = MimeUtils.GenerateMessageId("staff.example.tw");
        if (original.MessageId is { } id)
        {
            message.InReplyTo = id;
            message.References.Add(id);
        }

        var quoted = string.Join("\r\n", (original.TextBody ?? "").ReplaceLineEndings("\n").Split('\n').Select(line => "> " + line));
        message.Body = new TextPart("plain") { Text = $"{top}\r\n\r\n-----Original Message-----\r\n{quoted}\r\n" };
        return message;
    }

    /// <summary>09:00 Taipei on the next working day: after Staff:DigestTime (08:30).</summary>
    private static DateTimeOffset DigestMorning()
    {
        var tomorrow = TimeZoneInfo.ConvertTime(TestClock.Now, Taipei).Date.AddDays(1).AddHours(9);
        return WorkingDayAtOrAfter(new DateTimeOffset(tomorrow, TimeSpan.FromHours(8)));
    }
}
