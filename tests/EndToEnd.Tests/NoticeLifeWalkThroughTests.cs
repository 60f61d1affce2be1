using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MailIntake.Worker.Documents;
using MailIntake.Worker.Tests.Documents;
using MimeKit;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Issue 10's walk-through: one notice through its whole life on the real Dovecot and Postfix — issue, a reply with the
/// returned form, an extension, a reminder, a phone call not answered, one that reached, round 2 other, round 3
/// suspended — with every mail's text checked against what is true at the moment it is sent.
/// </summary>
public sealed class NoticeLifeWalkThroughTests(ITestOutputHelper output) : ScheduledJobTest(output)
{
    private const string Tracker = "王承辦";

    private static readonly Dictionary<string, string> Answers = new()
    {
        [NoticeFormText.FillerBlankLine] = "姓名：李大同　電話：06-2345678　郵件信箱：lee@org1.example.tw",
        [NoticeFormText.CompletionBlankLine] = "本用戶已於115年12月01日完成以下改善事項：",
        ["1."] = "1. 經查係瀏覽器外掛造成，已由防火牆設定阻擋規則（附件1）。",
    };

    [Fact]
    public async Task IssueReplyExtendRemindCallFollowUpSuspend_EveryMailTellsTheTruthOfItsMoment()
    {
        // 1. Issued and delivered, deadline 115/12/10.
        var (reference, notice, _) = await IssueAndDeliverNoticeAsync();
        AssertBodiesContain(notice, "the notice", reference, "中華民國115年12月10日");

        // 2. The organisation returns the filled form with one piece of evidence; the receipt lists exactly that.
        var form = notice.Attachments.OfType<MimePart>().Single(part => part.FileName!.EndsWith(".docx", StringComparison.Ordinal));
        using var blank = new MemoryStream();
        await form.Content!.DecodeToAsync(blank);
        var reply = new MimeMessage { Subject = $"RE: {notice.Subject}", MessageId = $"walk-{Guid.NewGuid():N}@org1.example.tw" };
        reply.From.Add(MailboxAddress.Parse(Org1Address));
        reply.To.Add(MailboxAddress.Parse("center@intake.test"));
        var body = new BodyBuilder { TextBody = "如附件，請查收。" };
        body.Attachments.Add($"限期改善單_{reference}_回覆.docx", FormFiller.FillDocx(blank.ToArray(), Answers));
        body.Attachments.Add("附件1_防火牆阻擋規則.txt", "deny 203.0.113.9"u8.ToArray());
        reply.Body = body.ToMessageBody();
        await Mailbox.AppendAsync(reply);
        await Cli.RunOnceAsync();
        var receipt = Single(await Delivered.WaitForAsync(Org1Address, 2, "the receipt"), "收件回執");
        AssertBodiesContain(receipt, "the receipt", "本次收到之檔案（共 2 件）", "附件1", "限期改善單表單：已附", "填寫人：李大同",
            "改善事項2、3、4之處理情形與說明", "附件2（防毒軟體掃描結果）", "應再以電話確認之");
        AssertBodiesLack(receipt, "the receipt", "均已收到", "0 個", "bytes", "蓋印信之限期改善單");

        // 3. Round 1 extends to 115/12/24: the organisation is told at once, with what came and what is missing.
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "extended", "--until", "115/12/24", "--by", Tracker);
        var extension = Single(await Delivered.WaitForAsync(Org1Address, 3, "the extension notice"), "展延通知");
        AssertBodiesContain(extension, "the extension notice", "展延至中華民國115年12月24日", "原改善期限中華民國115年12月10日",
            "已收到貴單位之回覆 1 封", "尚待補充", "尚未以電話確認", CenterPhone);
        AssertBodiesLack(extension, "the extension notice", "尚未收到貴單位");
        var extended = await Cli.ShowNoticeAsync(reference);
        Assert.True(extended is { Status: "extended", Deadline: "2026-12-24", DeadlineIssued: "2026-12-10" },
            $"after the extension: status {extended.Status}, deadline {extended.Deadline}, deadlineIssued {extended.DeadlineIssued}");

        // 4. The reminder the day before the new deadline names it and what was received — never "no reply".
        await RunJobAsync("reminders", "2026-12-23T09:30:00+08:00");
        var reminder = Single(await Delivered.WaitForAsync(Org1Address, 4, "the reminder"), "期限提醒");
        AssertBodiesContain(reminder, "the reminder", "展延至中華民國115年12月24日", "已收到貴單位之回覆 1 封", "尚待補充");
        AssertBodiesLack(reminder, "the reminder", "尚未收到貴單位");

        // 5. A call not answered: the reply still awaits its call; the prompt shows the attempt and the filler.
        await Cli.RunOkAsync("notice", "confirm-phone", reference, "--by", Tracker, "--result", "no-answer");
        await RunJobAsync("phone-prompts", AsOf(TestClock.Now.AddHours(5)));
        var prompt = Assert.Single(await Delivered.WaitForAsync(StaffAddress, 1, "the phone prompt"));
        AssertBodiesContain(prompt, "the phone prompt", reference, "李大同", "06-2345678", "無人接聽", "中華民國115年12月24日");
        AssertBodiesLack(prompt, "the phone prompt", "mailintake ", "notice confirm-phone");

        // 6. A call that reached the organisation confirms the reply; no further prompt.
        await Cli.RunOkAsync("notice", "confirm-phone", reference, "--by", Tracker, "--result", "reached", "--note", "李先生確認");
        var called = await Cli.ShowNoticeAsync(reference);
        Assert.True(called.PhoneConfirmations.Select(call => call.Result).SequenceEqual(["no-answer", "reached"]),
            $"both calls must be kept with their result: {Dump(called.PhoneConfirmations)}");
        await RunJobAsync("phone-prompts", AsOf(TestClock.Now.AddDays(1).AddHours(5)));
        await SettledCountAsync(StaffAddress, "請電話確認", expected: 1, "phone prompts after the reached call");

        // 7. Round 2 other, 8. round 3 suspended before the deadline: the round's reason, not a missed deadline.
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "other", "--note", "補件中", "--by", Tracker);
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "suspended", "--suspend-from", "115/12/28", "--note", "因事態嚴重", "--by", Tracker);
        var suspension = Single(await Delivered.WaitForAsync(Org1Address, 5, "the suspension notice"), "中止交換服務通知");
        AssertBodiesContain(suspension, "the suspension notice", "中華民國115年12月28日", "因事態嚴重", "屆至前決定中止交換服務", "依據", "發文日期");
        AssertBodiesLack(suspension, "the suspension notice", "未於改善期限", "您好");
        var report = Assert.Single(await Delivered.WaitForAsync(ArchivesAddress, 1, "the Archives report"));
        AssertBodiesContain(report, "the Archives report", Orgs.TestGuild, "中華民國115年12月28日", "因事態嚴重", "追蹤次數：3 次");
        AssertBodiesLack(report, "the Archives report", "未於改善期限", "您好");
        var final = await Cli.ShowNoticeAsync(reference);
        Assert.True(final is { Status: "suspended", FollowUps.Count: 3, Deadline: "2026-12-24", DeadlineIssued: "2026-12-10" },
            $"the end: status {final.Status}, rounds {final.FollowUps.Count}, deadline {final.Deadline}, deadlineIssued {final.DeadlineIssued}");
    }

    private static MimeMessage Single(IReadOnlyList<MimeMessage> delivered, string subjectPart) =>
        Assert.Single(delivered, mail => mail.Subject?.Contains(subjectPart, StringComparison.Ordinal) == true);

    private static void AssertBodiesLack(MimeMessage mail, string what, params string[] absent)
    {
        var (text, html) = Bodies(mail, what);
        foreach (var part in absent)
        {
            Assert.True(!text.Contains(part, StringComparison.Ordinal) && !html.Contains(part, StringComparison.Ordinal), $"{what} must not say 「{part}」:\n{text}");
        }
    }
}
