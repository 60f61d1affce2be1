using MailIntake.EndToEnd.Tests.TestData;
using MailIntake.Parsing;
using MailIntake.Worker.Documents;
using MailIntake.Worker.Tests.Documents;
using MimeKit;
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

    /// <summary>
    /// h10x #2: a partial reply during an extension made the notice "replied", which ended the extension's reminders and
    /// the overdue step while most of what the form asks was still missing. The organisation is still reminded of the
    /// extended deadline (with what arrived and what is missing), and staff are told when it passes.
    /// </summary>
    [Fact]
    public async Task Reminders_PartialReplyDuringAnExtension_StillRemindOfTheNewDeadlineAndOverdueTellsStaff()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var deadline = ProgramToday.AddDays(8);
        var reference = await IssueAsync(deadline, send: true);
        await Cli.RunOnceAsync();
        await Delivered.WaitForAsync(Org1Address, 1, $"notice {reference}");
        var until = deadline.AddDays(14);
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "extended", "--until", $"{until:yyyy-MM-dd}", "--by", "王承辦");
        await Delivered.WaitForAsync(Org1Address, 2, $"the extension notice for {reference}");
        await Mailbox.AppendAsync(Reply(Org1Address, $"RE: {reference}", "填寫人：李大同 / 06-2345678 / lee@org1.example.tw\n先寄附件1，其餘補寄。", "附件1_防火牆.txt"));
        await Cli.RunOnceAsync();
        await Delivered.WaitForAsync(Org1Address, 3, $"the receipt for the partial reply to {reference}");
        Assert.Equal("replied", (await Cli.ShowNoticeAsync(reference)).Status);

        await RunJobAsync("reminders", At(WorkingDayOnOrBefore(until.AddDays(-3)), "09:30"));

        var reminder = Single(await Delivered.WaitForAsync(Org1Address, 4, "the reminder of the extended deadline"), "期限提醒");
        AssertBodiesContain(reminder, "the reminder", reference, $"展延至{RocDate.Format(until)}", "已收到貴單位之回覆 1 封", "尚待補充", "附件2");
        AssertBodiesLack(reminder, "the reminder", "尚未收到貴單位之回覆");

        await RunJobAsync("overdue", At(until.AddDays(1), "00:30"));

        var overdue = Single(await Delivered.WaitForAsync(StaffAddress, 1, "the overdue note"), "逾期");
        AssertBodiesContain(overdue, "the overdue note", reference, RocDate.Format(until), "已收到回覆 1 封", "尚待補充");
    }

    /// <summary>
    /// Hostile finding h10y #12: with everything the form asks received, a reminder during an extension said so and then
    /// asked the organisation to fill in the form and send all the evidence again. It asks only for what is still open:
    /// the phone call.
    /// </summary>
    [Fact]
    public async Task Reminders_EverythingReceivedDuringAnExtension_AskOnlyForTheCallNotForEverythingAgain()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var deadline = ProgramToday.AddDays(8);
        var reference = await IssueAsync(deadline, send: true, Workspace.WriteInput("items.txt", "請說明連線原因\n"));
        await Cli.RunOnceAsync();
        var notice = Single(await Delivered.WaitForAsync(Org1Address, 1, $"notice {reference}"), reference);
        using var blank = new MemoryStream();
        await notice.Attachments.OfType<MimePart>().Single(part => part.FileName!.EndsWith(".docx", StringComparison.Ordinal)).Content!.DecodeToAsync(blank);
        var filled = FormFiller.FillDocx(blank.ToArray(), new Dictionary<string, string>
        {
            [NoticeFormText.FillerBlankLine] = "姓名：李大同　電話：06-2345678　郵件信箱：lee@org1.example.tw",
            [NoticeFormText.CompletionBlankLine] = $"本用戶已於{ProgramToday.Year - 1911}年{ProgramToday.Month}月{ProgramToday.Day}日完成以下改善事項：",
            ["1."] = "1. 係瀏覽器外掛所致，已移除（附件1）。",
        });
        var reply = Reply(Org1Address, $"RE: {reference}", "如附件。", "附件1_說明.txt");
        var body = new BodyBuilder { TextBody = "如附件。" };
        body.Attachments.Add("附件1_說明.txt", "evidence"u8.ToArray());
        body.Attachments.Add("限期改善單.docx", filled);
        reply.Body = body.ToMessageBody();
        await Mailbox.AppendAsync(reply);
        await Cli.RunOnceAsync();
        var receipt = Single(await Delivered.WaitForAsync(Org1Address, 2, $"the receipt for {reference}"), "收件回執");
        AssertBodiesContain(receipt, "the receipt (everything received, the test's premise)", "限期改善單所列資料均已收到");
        var until = deadline.AddDays(14);
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "extended", "--until", $"{until:yyyy-MM-dd}", "--by", "王承辦", "--note", "待查核");
        await Delivered.WaitForAsync(Org1Address, 3, $"the extension notice for {reference}");

        await RunJobAsync("reminders", At(WorkingDayOnOrBefore(until.AddDays(-3)), "09:30"));

        var reminder = Single(await Delivered.WaitForAsync(Org1Address, 4, "the reminder of the extended deadline"), "期限提醒");
        AssertBodiesContain(reminder, "the reminder", reference, "本中心已收到限期改善單所列資料，尚待貴單位來電確認", "尚未以電話確認", CenterPhone);
        AssertBodiesLack(reminder, "the reminder", "回覆方式", "請於期限內完成改善並回覆本中心", "並附上佐證資料", "尚待補充");
    }

    /// <summary>
    /// h10x #22: a delivery report for one of an organisation's addresses marked the notice undelivered to all of them,
    /// stopped its reminders, and the overdue note said the notice had never been mailed. Only the failed address is
    /// recorded as bounced; the organisation is still reminded (it received the notice at its other address).
    /// </summary>
    [Fact]
    public async Task Reminders_BounceForOneOfTheOrganisationsAddresses_MarksOnlyThatAddressAndTheReminderStillGoes()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith($"{Org1Address};{Org2Address}"));
        var deadline = ProgramToday.AddDays(8);
        var reference = await IssueAsync(deadline, send: true);
        await Cli.RunOnceAsync();
        var notice = Assert.Single(await Delivered.WaitForAsync(Org1Address, 1, $"notice {reference}"));
        await Mailbox.AppendAsync(AnswersToOurMail.PostfixBounce(notice, Org2Address));

        await Cli.RunOnceAsync();

        var bounce = Assert.Single(await Cli.ListMailAsync("bounce"));
        Assert.True(bounce.NoticeRef == reference && bounce.Reason!.Contains($"寄給 {Org2Address} 無法投遞", StringComparison.Ordinal)
                    && bounce.Reason.Contains($"寄給 {Org1Address} 者未退信", StringComparison.Ordinal),
            $"the bounce names the failed address only and says the other was not bounced: {Dump(bounce)}");
        var shown = await Cli.ShowNoticeAsync(reference);
        Assert.True(shown.Outbound.Single(mail => mail.Kind == "notice").Status == "sent", $"the notice mail reached org1, it stays sent: {Dump(shown.Outbound)}");
        var bounced = Assert.Single(shown.Timeline, entry => entry.Event == "bounced");
        Assert.True(bounced.Detail!.Contains(Org2Address, StringComparison.Ordinal) && bounced.Detail.Contains("未退信", StringComparison.Ordinal),
            $"the timeline names the bounced address and says the others were not: {Dump(bounced)}");

        await RunJobAsync("reminders", At(WorkingDayOnOrBefore(deadline.AddDays(-3)), "09:30"));

        var reminder = Single(await Delivered.WaitForAsync(Org1Address, 2, "the 3-day reminder"), "期限提醒");
        AssertBodiesContain(reminder, "the reminder", reference);
    }

    /// <summary>
    /// h10x #7: a report naming an address that got two notices' mails, with nothing of our mail returned, was
    /// 「找不到對應之寄出郵件」 and vanished from the digest (「沒有寄送問題」). It names both notices, ties neither, and the
    /// digest lists it so staff learn the address may be dead.
    /// </summary>
    [Fact]
    public async Task Digest_BounceForAnAddressThatGotTwoNotices_NamesBothAndIsListedForStaff()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var deadline = ProgramToday.AddDays(8);
        var first = await IssueAsync(deadline, send: true);
        var second = await IssueAsync(deadline, send: true);
        await Cli.RunOnceAsync();
        var notices = await Delivered.WaitForAsync(Org1Address, 2, $"notices {first} and {second}");
        await Mailbox.AppendAsync(AnswersToOurMail.PostfixBounceWithoutReturnedHeaders(notices[0], Org1Address));

        await Cli.RunOnceAsync();

        var bounce = Assert.Single(await Cli.ListMailAsync("bounce"));
        Assert.True(bounce.NoticeRef is null && bounce.Reason!.Contains(first, StringComparison.Ordinal) && bounce.Reason.Contains(second, StringComparison.Ordinal)
                    && !bounce.Reason.Contains("找不到對應之寄出郵件", StringComparison.Ordinal),
            $"the bounce ties neither notice but names both, never 'no mail of ours': {Dump(bounce)}");
        await RunJobAsync("digest", At(WorkingDayAfter(ProgramToday), "08:30"));
        var digest = Single(await Delivered.WaitForAsync(StaffAddress, 1, "the digest"), "每日摘要");
        AssertBodiesContain(digest, "the digest", "無法對應寄出郵件之退信", $"#{bounce.MailId}", first, second);
    }
}
