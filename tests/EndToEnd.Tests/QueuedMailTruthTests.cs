using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Mail that waits in the outbox (the mail server away) tells the truth when it finally goes, not what was true when it
/// was queued: through a relay in front of the real Postfix, stopped and started again.
/// </summary>
public sealed class QueuedMailTruthTests(ITestOutputHelper output) : ScheduledJobTest(output), IAsyncDisposable
{
    private readonly TcpRelay _relay = TcpRelay.StartNew(MailStack.Settings.SmtpPort);

    protected override void ConfigureProgram(MailIntakeCli cli)
    {
        base.ConfigureProgram(cli);
        cli.UseSmtp(_relay.Port);
    }

    /// <summary>
    /// Hostile finding h10z F: a reminder and a receipt queued while sending failed were delivered after the case was
    /// completed, as first written: 「本中心尚未收到貴單位之回覆」 and 「請來電…確認本次回覆」; the timeline said the reminder
    /// was sent while it was still waiting. Now the reminder says 排入 when queued and is withdrawn unsent (the timeline says
    /// why); the receipt is written again from the closed case and says so, with nothing asked and no phone step.
    /// </summary>
    [Fact]
    public async Task ReminderAndReceiptQueuedWhileSmtpDownThenCaseCompleted_ReminderWithdrawnReceiptSaysTheCaseIsClosed()
    {
        var (reference, delivered, _) = await IssueAndDeliverNoticeAsync(); // deadline 2026-12-10
        await _relay.StopAsync();

        await RunJobAsync("reminders", "2026-12-07T09:00:00+08:00");
        var queued = await Cli.ShowNoticeAsync(reference);
        Assert.True(SingleOutbound(queued, "reminder").Status == "queued", $"with SMTP down the reminder waits: {Dump(queued.Outbound)}");
        var reminderEvent = Assert.Single(queued.Timeline, entry => entry.Event == "reminder");
        Assert.True(reminderEvent.Detail?.Contains("提醒已排入寄送", StringComparison.Ordinal) == true && !reminderEvent.Detail.Contains("已寄給", StringComparison.Ordinal),
            $"while it waits, the timeline must say queued, not sent: {Dump(reminderEvent)}");

        await Mailbox.AppendAsync(AnswersToOurMail.ThreadReply(Org1Address, delivered.MessageId!));
        await Cli.RunOnceAsync();
        Assert.True(SingleOutbound(await Cli.ShowNoticeAsync(reference), "receipt").Status == "queued", "with SMTP down the receipt waits");
        await Cli.RunOkAsync("notice", "confirm-phone", reference, "--by", "林書記");
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "completed", "--by", "林書記");

        _relay.Start();
        var send = await Cli.RunOutboxJobAsync(new DateTimeOffset(2026, 12, 7, 11, 0, 0, TimeSpan.FromHours(8)));
        Assert.True(send.ExitCode == 0, send.Describe());

        var receipt = Assert.Single(await Delivered.WaitForAsync(Org1Address, 2, $"notice and receipt of {reference}"),
            mail => mail.Subject?.Contains("收件回執", StringComparison.Ordinal) == true);
        AssertBodiesContain(receipt, "the receipt sent after the case was completed", "追蹤評估為改善完成", "已結案", "無須以電話確認");
        var (text, _) = Bodies(receipt, "the receipt");
        Assert.True(!text.Contains("尚待補充", StringComparison.Ordinal) && !text.Contains("請來電", StringComparison.Ordinal),
            $"a receipt of a closed case asks for nothing and no call:\n{text}");
        await SettledCountAsync(Org1Address, "期限提醒", expected: 0, "the reminder of a case completed before it could be sent");

        var after = await Cli.ShowNoticeAsync(reference);
        Assert.True(SingleOutbound(after, "reminder").Status == "withdrawn" && SingleOutbound(after, "receipt").Status == "sent",
            $"the reminder is withdrawn, the receipt sent: {Dump(after.Outbound)}");
        Assert.True(after.Timeline.Any(entry => entry.Event == "withdrawn" && entry.Detail?.Contains("本案已結案", StringComparison.Ordinal) == true),
            $"the timeline must say why the reminder was withdrawn: {Dump(after.Timeline)}");
        Assert.True(after.Timeline.Any(entry => entry.Event == "rewritten" && entry.Detail?.Contains("收件回執", StringComparison.Ordinal) == true),
            $"the timeline must say the receipt was written again: {Dump(after.Timeline)}");
        Assert.True(!after.Timeline.Any(entry => entry.Event == "sent" && entry.Detail?.Contains("期限提醒", StringComparison.Ordinal) == true),
            $"no timeline entry may say the reminder was sent: {Dump(after.Timeline)}");
    }

    /// <summary>
    /// Hostile finding h10v #1: a receipt queued while the mail server was away went out unchanged after the reply was
    /// confirmed by phone and the deadline extended — 「請來電…確認本次回覆」 and no word of the new deadline — and the
    /// staff phone prompts queued before the call went out after it (「尚未以電話確認」). Now the receipt is written
    /// again (the call done, what is missing by the new deadline) and the prompts are withdrawn unsent.
    /// </summary>
    [Fact]
    public async Task ReceiptAndPhonePromptQueuedWhileSmtpDownThenCalledAndExtended_ReceiptSaysCalledAndNewDeadlinePromptWithdrawn()
    {
        var (reference, delivered, _) = await IssueAndDeliverNoticeAsync(); // deadline 2026-12-10
        await _relay.StopAsync();

        await Mailbox.AppendAsync(AnswersToOurMail.ThreadReply(Org1Address, delivered.MessageId!));
        await Cli.RunOnceAsync();
        // The prompt is due four hours (PhoneConfirmation:PromptAfter) after the reply's arrival, which is late in the
        // suite's timeline when the machine is loaded: the job runs after that, whenever it came (a fixed 15:00 failed
        // once the suite had run an hour).
        var promptAt = TestClock.Now + TimeSpan.FromHours(4) + TimeSpan.FromMinutes(10);
        await RunJobAsync("phone-prompts", AsOf(promptAt));
        var queued = await Cli.ShowNoticeAsync(reference);
        Assert.True(SingleOutbound(queued, "receipt").Status == "queued" && SingleOutbound(queued, "phone-prompt").Status == "queued",
            $"with SMTP down the receipt and the prompt wait: {Dump(queued.Outbound)}");

        await Cli.RunOkAsync("notice", "confirm-phone", reference, "--by", "林書記");
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "extended", "--until", "2026-12-17", "--by", "林書記");

        _relay.Start();
        var send = await Cli.RunOutboxJobAsync(promptAt + TimeSpan.FromHours(1));
        Assert.True(send.ExitCode == 0, send.Describe());

        var receipt = Assert.Single(await Delivered.WaitForAsync(Org1Address, 3, $"notice, receipt and extension of {reference}"),
            mail => mail.Subject?.Contains("收件回執", StringComparison.Ordinal) == true);
        AssertBodiesContain(receipt, "the receipt sent after the call and the extension", "經電話確認，無須再來電", "尚待補充", "中華民國115年12月17日");
        var (text, _) = Bodies(receipt, "the receipt");
        Assert.True(!text.Contains("請來電", StringComparison.Ordinal) && !text.Contains("中華民國115年12月10日", StringComparison.Ordinal),
            $"a receipt of a reply confirmed by phone asks for no call, and names the deadline now (12/17), not the one before:\n{text}");
        await SettledCountAsync(StaffAddress, "請電話確認", expected: 0, "the phone prompt queued before the call that confirmed its reply");

        var after = await Cli.ShowNoticeAsync(reference);
        Assert.True(SingleOutbound(after, "phone-prompt").Status == "withdrawn" && SingleOutbound(after, "receipt").Status == "sent",
            $"the prompt is withdrawn, the receipt sent: {Dump(after.Outbound)}");
        Assert.True(after.Timeline.Any(entry => entry.Event == "withdrawn" && entry.Detail?.Contains("電話確認", StringComparison.Ordinal) == true),
            $"the timeline must say why the prompt was withdrawn: {Dump(after.Timeline)}");
        Assert.True(after.Timeline.Any(entry => entry.Event == "rewritten" && entry.Detail?.Contains("收件回執", StringComparison.Ordinal) == true),
            $"the timeline must say the receipt was written again: {Dump(after.Timeline)}");
    }

    /// <summary>
    /// Hostile finding h10v #15: an 【逾期】 note queued while the mail server was away went to staff after the reply was
    /// filed, saying 「未收到回覆」. Now it is checked like a reminder before it goes: the reply answered the deadline, so
    /// the note is withdrawn unsent and the timeline says why.
    /// </summary>
    [Fact]
    public async Task OverdueNoteQueuedWhileSmtpDownThenReplyFiled_NoteWithdrawnNotSent()
    {
        var (reference, delivered, _) = await IssueAndDeliverNoticeAsync(); // deadline 2026-12-10
        await _relay.StopAsync();

        await RunJobAsync("overdue", "2026-12-11T00:10:00+08:00");
        Assert.True(SingleOutbound(await Cli.ShowNoticeAsync(reference), "overdue").Status == "queued", "with SMTP down the overdue note waits");
        await Mailbox.AppendAsync(AnswersToOurMail.ThreadReply(Org1Address, delivered.MessageId!));
        await Cli.RunOnceAsync();

        _relay.Start();
        var send = await Cli.RunOutboxJobAsync(new DateTimeOffset(2026, 12, 11, 1, 0, 0, TimeSpan.FromHours(8)));
        Assert.True(send.ExitCode == 0, send.Describe());
        await Delivered.WaitForAsync(Org1Address, 2, $"notice and receipt of {reference}");
        await SettledCountAsync(StaffAddress, "逾期", expected: 0, "the overdue note queued before the reply was filed");

        var after = await Cli.ShowNoticeAsync(reference);
        Assert.True(SingleOutbound(after, "overdue").Status == "withdrawn", $"the overdue note is withdrawn: {Dump(after.Outbound)}");
        Assert.True(after.Timeline.Any(entry => entry.Event == "withdrawn" && entry.Detail?.Contains("已收到機關回覆", StringComparison.Ordinal) == true),
            $"the timeline must say why the note was withdrawn: {Dump(after.Timeline)}");
    }

    /// <summary>
    /// Hostile finding h10v #13: receipts queued while the mail server was away, rewritten after a suspension, called the
    /// replies that came before the decision applications to restore the service, went out before the suspension notice,
    /// and the digest asked staff to review them as such. Now such a receipt says the case was closed and the mail, sent
    /// before the decision, is kept on file; it goes after the suspension notice; the digest does not call it an application.
    /// </summary>
    [Fact]
    public async Task ReceiptQueuedWhileSmtpDownThenSuspended_SaysReplyCameBeforeTheDecisionAndGoesAfterTheSuspensionNotice()
    {
        var (reference, delivered, _) = await IssueAndDeliverNoticeAsync(); // deadline 2026-12-10
        await _relay.StopAsync();

        await Mailbox.AppendAsync(AnswersToOurMail.ThreadReply(Org1Address, delivered.MessageId!));
        await Cli.RunOnceAsync();
        await Cli.RunOkAsync("notice", "confirm-phone", reference, "--by", "林書記");
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "suspended", "--suspend-from", "2026-12-20", "--by", "林書記", "--note", "事態嚴重");

        _relay.Start();
        var send = await Cli.RunOutboxJobAsync(new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.FromHours(8)));
        Assert.True(send.ExitCode == 0, send.Describe());

        var receipt = Assert.Single(await Delivered.WaitForAsync(Org1Address, 3, $"notice, receipt and suspension notice of {reference}"),
            mail => mail.Subject?.Contains("收件回執", StringComparison.Ordinal) == true);
        AssertBodiesContain(receipt, "the receipt of a reply sent before the suspension", "中止貴單位之公文電子交換服務", "已結案", "於該決定前寄達，已收存備查");
        var (text, _) = Bodies(receipt, "the receipt");
        Assert.True(!text.Contains("申請恢復交換服務", StringComparison.Ordinal),
            $"a reply that came before the decision is no application to restore the service:\n{text}");

        var after = await Cli.ShowNoticeAsync(reference);
        var sent = after.Timeline.Where(entry => entry.Event == "sent").Select(entry => entry.Detail ?? "").ToList();
        var suspensionSent = sent.FindIndex(detail => detail.StartsWith("中止交換服務通知已寄出", StringComparison.Ordinal));
        var receiptSent = sent.FindIndex(detail => detail.StartsWith("收件回執已寄出", StringComparison.Ordinal));
        Assert.True(suspensionSent >= 0 && receiptSent > suspensionSent, $"the suspension notice goes before the receipt that refers to it: {Dump(after.Timeline)}");

        await RunJobAsync("digest", "2026-12-02T08:30:00+08:00");
        var digest = Assert.Single(await SettledCountAsync(StaffAddress, "每日摘要", expected: 1, "the digest after the suspension"));
        var (digestText, _) = Bodies(digest, "the digest");
        Assert.True(digestText.Contains("本回覆於中止決定前寄達", StringComparison.Ordinal) && !digestText.Contains("申請恢復交換服務之資料", StringComparison.Ordinal),
            $"the digest lists the reply as filed before the decision, not as an application to restore:\n{digestText}");
    }

    /// <summary>
    /// Hostile finding h10v #11: after an outage the organisation got the same reminder twice — the stale 7-day reminder,
    /// rewritten to the days left then, and the reminder due that day. A queued reminder whose later reminder has become
    /// due is withdrawn: after downtime only the latest due reminder is sent.
    /// </summary>
    [Fact]
    public async Task ReminderQueuedWhileSmtpDownUntilALaterReminderIsDue_OnlyTheLaterOneIsSent()
    {
        var (reference, _, _) = await IssueAndDeliverNoticeAsync(); // deadline 2026-12-10 (Thursday): reminders 12/3, 12/7, 12/9
        await _relay.StopAsync();
        await RunJobAsync("reminders", "2026-12-03T09:00:00+08:00");
        Assert.True(SingleOutbound(await Cli.ShowNoticeAsync(reference), "reminder").Status == "queued", "with SMTP down the 7-day reminder waits");

        _relay.Start();
        var send = await Cli.RunOutboxJobAsync(new DateTimeOffset(2026, 12, 7, 9, 5, 0, TimeSpan.FromHours(8)));
        Assert.True(send.ExitCode == 0, send.Describe());
        await RunJobAsync("reminders", "2026-12-07T09:10:00+08:00");

        var reminder = Assert.Single(await SettledCountAsync(Org1Address, "期限提醒", expected: 1, "reminders after the outage"));
        AssertBodiesContain(reminder, "the one reminder after the outage", "尚餘 3 日");
        var after = await Cli.ShowNoticeAsync(reference);
        Assert.True(after.Timeline.Any(entry => entry.Event == "withdrawn" && entry.Detail?.Contains("前 3 日提醒", StringComparison.Ordinal) == true),
            $"the timeline must say the stale reminder gave way to the one due now: {Dump(after.Timeline)}");
    }

    /// <summary>
    /// Hostile finding h10u F: an extension mail queued while the mail server was away went out as written after the
    /// organisation replied — 「本中心尚未收到貴單位之回覆」 beside the receipt of that reply. It is written again from the
    /// replies of when it goes (received, what is missing, the call asked for), and the timeline says so.
    /// </summary>
    [Fact]
    public async Task ExtensionQueuedWhileSmtpDownThenReplyFiled_ExtensionSaysTheReplyArrived()
    {
        var (reference, delivered, _) = await IssueAndDeliverNoticeAsync(); // deadline 2026-12-10
        await _relay.StopAsync();
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "extended", "--until", "2026-12-17", "--by", "林書記");
        await Mailbox.AppendAsync(AnswersToOurMail.ThreadReply(Org1Address, delivered.MessageId!));
        await Cli.RunOnceAsync();
        Assert.True(SingleOutbound(await Cli.ShowNoticeAsync(reference), "extension").Status == "queued", "with SMTP down the extension mail waits");

        _relay.Start();
        var send = await Cli.RunOutboxJobAsync(new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.FromHours(8)));
        Assert.True(send.ExitCode == 0, send.Describe());

        var extension = Assert.Single(await Delivered.WaitForAsync(Org1Address, 3, $"notice, extension and receipt of {reference}"),
            mail => mail.Subject?.Contains("展延通知", StringComparison.Ordinal) == true);
        AssertBodiesContain(extension, "the extension mail sent after the reply", "展延至中華民國115年12月17日", "本中心已收到貴單位之回覆 1 封", "尚未以電話確認，請來電");
        var (text, _) = Bodies(extension, "the extension mail");
        Assert.True(!text.Contains("尚未收到貴單位之回覆", StringComparison.Ordinal), $"the reply filed before the extension mail went is counted:\n{text}");
        var after = await Cli.ShowNoticeAsync(reference);
        Assert.True(after.Timeline.Any(entry => entry.Event == "rewritten" && entry.Detail?.Contains("展延通知", StringComparison.Ordinal) == true),
            $"the timeline must say the extension mail was written again: {Dump(after.Timeline)}");
    }

    /// <summary>
    /// Hostile finding h10t NEW-6: a notice held in the outbox past its own deadline (the mail server down for days) went
    /// out the day after, still giving the passed deadline, and a suspension for missing it was accepted at once. The
    /// notice now leaves with the period it was given counted from the day it leaves (deadline 12/10 written 12/01, sent
    /// 12/11: 10 days on, 12/20 a Sunday, so Monday 12/21), in the mail and its forms, saying why; the notice's deadline is
    /// that one, so a suspension the next day is an early one, never "未於改善期限內完成改善".
    /// </summary>
    [Fact]
    public async Task NoticeQueuedWhileSmtpDownPastItsDeadline_LeavesWithItsPeriodFromTheDayItLeavesAndSuspensionRestsOnIt()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        await _relay.StopAsync();
        var reference = await Cli.IssueNoticeAsync(Orgs.TestGuild, send: true); // deadline 2026-12-10, written 12/01
        await Cli.RunOnceAsync();
        Assert.True(SingleOutbound(await Cli.ShowNoticeAsync(reference), "notice").Status is "queued" or "failed", "with SMTP down the notice mail waits");

        _relay.Start();
        ClockDaysOn(10); // 2026-12-11
        await Cli.RunOnceAsync();

        var notice = Assert.Single(await Delivered.WaitForAsync(Org1Address, 1, $"notice {reference}"));
        AssertBodiesContain(notice, "the notice sent ten days late", "應於中華民國115年12月21日前改善完竣", "至中華民國115年12月11日始寄出");
        Assert.Contains("中華民國115年12月21日", notice.Subject, StringComparison.Ordinal);
        var form = await OdtTextAsync(notice);
        Assert.True(form.Contains("115年12月21日", StringComparison.Ordinal) && !form.Contains("115年12月10日", StringComparison.Ordinal),
            "the attached form carries the deadline the mail gives, not the passed one");

        var after = await Cli.ShowNoticeAsync(reference);
        Assert.Equal("2026-12-21", after.Deadline);
        Assert.True(after.Timeline.Any(entry => entry.Event == "rewritten" && entry.Detail?.Contains("順延 10 日", StringComparison.Ordinal) == true),
            $"the timeline must say the deadline moved with the late sending: {Dump(after.Timeline)}");

        ClockDaysOn(11); // 2026-12-12: the organisation has had the notice for a day
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "suspended", "--suspend-from", "2026-12-20", "--by", "林書記", "--note", "事態嚴重");
        await Cli.RunOnceAsync();
        var suspension = Assert.Single(await Delivered.WaitForAsync(Org1Address, 2, $"notice and suspension notice of {reference}"),
            mail => mail.Subject?.Contains("中止交換服務通知", StringComparison.Ordinal) == true);
        AssertBodiesContain(suspension, "a suspension the day after the late notice", "於改善期限（中華民國115年12月21日）屆至前決定中止交換服務");
        var (text, _) = Bodies(suspension, "the suspension notice");
        Assert.True(!text.Contains("未於改善期限", StringComparison.Ordinal), $"the organisation had not missed the deadline it was given:\n{text}");
    }

    /// <summary>
    /// Hostile finding h10t NEW-1: a queued notice mail itself was not readdressed after <c>orgs import</c> changed the
    /// organisation's address (extension, suspension and reminder were): it goes to the registered address of now.
    /// </summary>
    [Fact]
    public async Task NoticeQueuedWhileSmtpDownThenAddressChanged_GoesToTheNewAddressOnly()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        await _relay.StopAsync();
        var reference = await Cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        await Cli.RunOnceAsync();
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org2Address));

        _relay.Start();
        var send = await Cli.RunOutboxJobAsync(new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.FromHours(8)));
        Assert.True(send.ExitCode == 0, send.Describe());

        var notice = Assert.Single(await Delivered.WaitForAsync(Org2Address, 1, $"notice {reference} at the new address"));
        Assert.Contains(reference, notice.Subject, StringComparison.Ordinal);
        Assert.Empty(await SettledCountAsync(Org1Address, reference, expected: 0, "the dropped address"));
        var after = await Cli.ShowNoticeAsync(reference);
        Assert.True(after.Timeline.Any(entry => entry.Event == "rewritten" && entry.Detail?.Contains(Org2Address, StringComparison.Ordinal) == true),
            $"the timeline must name the new address: {Dump(after.Timeline)}");
    }

    /// <summary>
    /// Hostile finding h10t NEW-8 and NEW-7: an extension mail that never left the outbox (to 12/17) was cited by the
    /// suspension as the deadline missed, and then withdrawn: the organisation read of a deadline it was never given. The
    /// suspension now rests on the deadline it was told (12/10); and an extension mail whose new deadline has passed by the
    /// time it could go is withdrawn, never sent.
    /// </summary>
    [Fact]
    public async Task ExtensionQueuedWhileSmtpDownPastItsDeadlineThenSuspended_SuspensionCitesTheToldDeadlineAndExtensionIsNeverSent()
    {
        var (reference, _, _) = await IssueAndDeliverNoticeAsync(); // deadline 2026-12-10
        await _relay.StopAsync();
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "extended", "--until", "2026-12-17", "--by", "林書記");
        await Cli.RunOnceAsync();

        _relay.Start();
        ClockDaysOn(17); // 2026-12-18: the extension's deadline passed while it waited
        await Cli.RunOnceAsync();
        var withdrawn = await Cli.ShowNoticeAsync(reference);
        Assert.Equal("withdrawn", SingleOutbound(withdrawn, "extension").Status);
        Assert.True(withdrawn.Timeline.Any(entry => entry.Event == "withdrawn" && entry.Detail?.Contains("已屆至", StringComparison.Ordinal) == true),
            $"the timeline must say the extension's deadline passed before it could go: {Dump(withdrawn.Timeline)}");

        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "suspended", "--suspend-from", "2026-12-21", "--by", "林書記");
        await Cli.RunOnceAsync();
        var mails = await Delivered.WaitForAsync(Org1Address, 2, $"notice and suspension notice of {reference}");
        Assert.DoesNotContain(mails, mail => mail.Subject?.Contains("展延通知", StringComparison.Ordinal) == true);
        var suspension = Assert.Single(mails, mail => mail.Subject?.Contains("中止交換服務通知", StringComparison.Ordinal) == true);
        AssertBodiesContain(suspension, "the suspension after an extension never sent", "未於改善期限（中華民國115年12月10日）內完成改善");
        var report = Assert.Single(await Delivered.WaitForAsync(ArchivesAddress, 1, $"the Archives report of {reference}"));
        AssertBodiesContain(report, "the Archives report", "未於改善期限（中華民國115年12月10日）內完成改善");
        foreach (var (mail, what) in new[] { (suspension, "suspension notice"), (report, "Archives report") })
        {
            var (text, _) = Bodies(mail, what);
            Assert.True(!text.Contains("12月17日", StringComparison.Ordinal), $"the {what} cites no deadline the organisation was never given:\n{text}");
        }
    }

    /// <summary>
    /// Hostile finding h10t NEW-7: a suspension notice queued while the mail server was away went out days after its
    /// date as if on time. It says when it was decided and when it was finally sent.
    /// </summary>
    [Fact]
    public async Task SuspensionQueuedWhileSmtpDownForDays_SaysWhenItWasDecidedAndWhenSent()
    {
        var (reference, _, _) = await IssueAndDeliverNoticeAsync();
        await _relay.StopAsync();
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "suspended", "--suspend-from", "2026-12-03", "--by", "林書記", "--note", "事態嚴重");
        await Cli.RunOnceAsync();

        _relay.Start();
        ClockDaysOn(3); // 2026-12-04
        await Cli.RunOnceAsync();
        var suspension = Assert.Single(await Delivered.WaitForAsync(Org1Address, 2, $"notice and suspension notice of {reference}"),
            mail => mail.Subject?.Contains("中止交換服務通知", StringComparison.Ordinal) == true);
        AssertBodiesContain(suspension, "the late suspension notice", "發文日期：中華民國115年12月1日", "本通知於中華民國115年12月1日發文，因本中心郵件系統延誤，至中華民國115年12月4日始寄出");

        // h10x F4: the Archives were told the organisation was notified on the day of the decision, although its notice
        // left days later; the report itself went late without a word.
        var report = Assert.Single(await Delivered.WaitForAsync(ArchivesAddress, 1, $"the Archives report of {reference}"));
        AssertBodiesContain(report, "the late Archives report", "本通報於中華民國115年12月1日發文，因本中心郵件系統延誤，至中華民國115年12月4日始寄出");
        var xml = await OdtTextAsync(report);
        Assert.True(xml.Contains("已於中華民國115年12月4日通知改善機關", StringComparison.Ordinal),
            $"the 連線異動表 gives the day the organisation's notice left (12/4):\n{xml[..Math.Min(xml.Length, 4000)]}");
    }

    /// <summary>
    /// Hostile finding h10x F18 (scenario Q): a suspension decided while the center's own extension mail (to 12/20) still
    /// waited in the outbox was taken without a word; the Archives' tracking form then showed the extension beside a
    /// suspension "已逾改善期限". Now it is refused in one line naming the waiting extension mail; taken on purpose
    /// (--despite-waiting-mail), the extension mail is withdrawn unsent and the tracking form says the organisation was
    /// never told of it.
    /// </summary>
    [Fact]
    public async Task SuspensionWhileTheExtensionMailStillWaits_RefusedNamingItThenOverriddenTheFormSaysTheExtensionWasNeverTold()
    {
        var (reference, _, _) = await IssueAndDeliverNoticeAsync(); // deadline 2026-12-10
        await _relay.StopAsync();
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "extended", "--until", "2026-12-20", "--by", "林書記");
        Assert.Equal("queued", SingleOutbound(await Cli.ShowNoticeAsync(reference), "extension").Status);

        string[] suspend = ["notice", "follow-up", reference, "--result", "suspended", "--suspend-from", "2026-12-11", "--by", "林書記", "--note", "不配合"];
        var refused = await Cli.RunAsync(suspend);
        Assert.True(refused.ExitCode == 1 && refused.StderrLines.Length == 1
                    && refused.StderrLines[0].Contains("本案第1次追蹤之展延通知（展延至中華民國115年12月20日）尚未寄出", StringComparison.Ordinal)
                    && refused.StderrLines[0].Contains("--despite-waiting-mail", StringComparison.Ordinal),
            $"the suspension is refused in one line naming the waiting extension mail: {refused.Describe()}");
        var unchanged = await Cli.ShowNoticeAsync(reference);
        Assert.True(unchanged.FollowUps.Count == 1 && unchanged.Status == "extended" && unchanged.Outbound.All(mail => mail.Kind is "notice" or "extension"),
            $"nothing recorded or queued: {Dump(unchanged.FollowUps)}, {Dump(unchanged.Outbound)}");

        await Cli.RunOkAsync([.. suspend, "--despite-waiting-mail"]);
        _relay.Start();
        var send = await Cli.RunOutboxJobAsync(new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.FromHours(8)));
        Assert.True(send.ExitCode == 0, send.Describe());

        var mails = await Delivered.WaitForAsync(Org1Address, 2, $"notice and suspension notice of {reference}");
        Assert.DoesNotContain(mails, mail => mail.Subject?.Contains("展延通知", StringComparison.Ordinal) == true);
        Assert.Equal("withdrawn", SingleOutbound(await Cli.ShowNoticeAsync(reference), "extension").Status);
        var report = Assert.Single(await Delivered.WaitForAsync(ArchivesAddress, 1, $"the Archives report of {reference}"));
        var form = report.Attachments.OfType<MimeKit.MimePart>().Single(part => part.FileName!.StartsWith("追蹤評估表", StringComparison.Ordinal) && part.FileName.EndsWith(".docx", StringComparison.Ordinal));
        using var content = new MemoryStream();
        await form.Content!.DecodeToAsync(content);
        content.Position = 0;
        var text = MailIntake.Parsing.FormTextExtractor.ExtractText(form.FileName, content) ?? "";
        Assert.True(text.Contains("再給予改善期限至中華民國115年12月20日", StringComparison.Ordinal) && text.Contains("機關未獲告知", StringComparison.Ordinal),
            $"the tracking form says the organisation was never told of the extension:\n{text}");
    }

    /// <summary>
    /// Hostile finding h10x F13 (scenario J): a reply that came after the suspension was decided but before the suspension
    /// notice could leave (the mail server away) got a receipt calling it the organisation's application to restore the
    /// service, with no phone step — the organisation wrote to the notice, not knowing of the suspension. Now the receipt
    /// says the mail came before the center sent that notice, takes it as a reply to the notice and asks for the call;
    /// the timeline and the digest tell staff.
    /// </summary>
    [Fact]
    public async Task ReplyAfterTheSuspensionWasDecidedBeforeItsNoticeLeft_ReceiptTakesItAsAReplyWithThePhoneStepAndStaffAreTold()
    {
        var (reference, delivered, _) = await IssueAndDeliverNoticeAsync(); // deadline 2026-12-10
        await _relay.StopAsync();
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "suspended", "--suspend-from", "2026-12-20", "--by", "林書記", "--note", "事態嚴重");
        await Mailbox.AppendAsync(AnswersToOurMail.ThreadReply(Org1Address, delivered.MessageId!));
        await Cli.RunOnceAsync();
        Assert.True(SingleOutbound(await Cli.ShowNoticeAsync(reference), "suspension").Status == "queued", "with SMTP down the suspension notice waits");

        _relay.Start();
        var send = await Cli.RunOutboxJobAsync(new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.FromHours(8)));
        Assert.True(send.ExitCode == 0, send.Describe());

        var receipt = Assert.Single(await Delivered.WaitForAsync(Org1Address, 3, $"notice, suspension notice and receipt of {reference}"),
            mail => mail.Subject?.Contains("收件回執", StringComparison.Ordinal) == true);
        AssertBodiesContain(receipt, "the receipt of a reply sent before the suspension notice left", "已結案", "於本中心寄出該通知前寄達", "視為貴單位對限期改善單之回覆",
            "以電子郵件方式回復者，應再以電話確認之", "請來電");
        var (text, _) = Bodies(receipt, "the receipt");
        Assert.True(!text.Contains("申請恢復交換服務", StringComparison.Ordinal) && !text.Contains("無須以電話確認", StringComparison.Ordinal),
            $"a reply written before the organisation knew of the suspension is no application to restore, and keeps its phone step:\n{text}");

        var after = await Cli.ShowNoticeAsync(reference);
        Assert.True(after.Timeline.Any(entry => entry.Detail?.Contains("中止交換服務通知寄出前寄達", StringComparison.Ordinal) == true),
            $"the timeline tells staff the reply came before the organisation was told: {Dump(after.Timeline)}");
        await RunJobAsync("digest", "2026-12-02T08:30:00+08:00");
        var digest = Assert.Single(await SettledCountAsync(StaffAddress, "每日摘要", expected: 1, "the digest after the suspension"));
        var (digestText, _) = Bodies(digest, "the digest");
        Assert.True(digestText.Contains("中止交換服務通知寄出前寄達", StringComparison.Ordinal) && !digestText.Contains("申請恢復交換服務之資料", StringComparison.Ordinal),
            $"the digest tells staff the reply came before the organisation was told, not that it applies to restore:\n{digestText}");
    }

    /// <summary>
    /// Hostile finding h10x F3 (digest part, scenario C): an extension whose mail failed never reached the organisation, yet
    /// the digest judged the notice by the extended deadline — 「已逾期 0」, no row — while the organisation was past the
    /// deadline it was told. Now the digest judges by the deadline told (the overdue sweep's own rule,
    /// <c>OverdueNote.Passed</c>), counts it overdue from that day and names the extension that never reached it.
    /// </summary>
    [Fact]
    public async Task ExtensionMailFailedThenToldDeadlinePassed_DigestJudgesByTheToldDeadlineAndNamesTheFailedExtension()
    {
        var (reference, _, _) = await IssueAndDeliverNoticeAsync(); // deadline 2026-12-10
        await _relay.StopAsync();
        Cli.Environment["MailIntake__Smtp__MaxAttempts"] = "1"; // the one try fails: given up, 寄送失敗
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "extended", "--until", "2026-12-17", "--by", "林書記");
        await Cli.RunOnceAsync();
        Assert.Equal("failed", SingleOutbound(await Cli.ShowNoticeAsync(reference), "extension").Status);

        _relay.Start();
        await RunJobAsync("digest", "2026-12-14T08:30:00+08:00"); // past the told 12/10, before the untold 12/17
        var digest = Assert.Single(await SettledCountAsync(StaffAddress, "每日摘要", expected: 1, "the digest after the told deadline"));
        Assert.Contains("逾期 1", digest.Subject, StringComparison.Ordinal);
        var (text, html) = Bodies(digest, "the digest");
        Assert.True(text.Contains("已逾期 1", StringComparison.Ordinal) && text.Contains("逾期未回覆 1", StringComparison.Ordinal),
            $"the notice is past the deadline the organisation was told (12/10):\n{text}");
        var overdue = DigestSection(text, "■ 已逾期・未收到回覆");
        Assert.True(overdue.Contains(reference, StringComparison.Ordinal) && overdue.Contains("中華民國115年12月10日", StringComparison.Ordinal)
                    && overdue.Contains("｜4 日｜", StringComparison.Ordinal) && !overdue.Contains("中華民國115年12月17日前", StringComparison.Ordinal),
            $"its row gives the told deadline and the days since it:\n{overdue}");
        foreach (var (section, body) in new[] { ("■ 已逾期・未收到回覆", text), ("■ 待追蹤評估", text), ("■ 未結案之限期改善單", text) })
        {
            var rows = DigestSection(body, section);
            Assert.True(rows.Contains("第 1 次追蹤展延至中華民國115年12月17日之展延通知寄送失敗，機關未獲告知展延", StringComparison.Ordinal),
                $"the {section} row names the extension that never reached the organisation:\n{rows}");
        }

        Assert.Contains("機關未獲告知展延", html, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hostile finding h10x F5 (the rest): the registry changed on the day of the suspension, after it was recorded and
    /// before the Archives report could leave (the mail server away). The suspension notice went to the new address; the
    /// report's 連線異動表 must give the organisation's contact as the registry has it when the report leaves, never the
    /// address the organisation's notice no longer went to.
    /// </summary>
    [Fact]
    public async Task SuspensionQueuedThenRegistryChangedTheSameDay_ArchivesConnectionFormGivesTheContactOfNow()
    {
        var (reference, _, _) = await IssueAndDeliverNoticeAsync();
        await _relay.StopAsync();
        await Cli.RunOkAsync("notice", "follow-up", reference, "--result", "suspended", "--suspend-from", "2026-12-03", "--by", "林書記", "--note", "事態嚴重");
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org2Address));

        _relay.Start();
        var send = await Cli.RunOutboxJobAsync(new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.FromHours(8)));
        Assert.True(send.ExitCode == 0, send.Describe());
        Assert.Single(await Delivered.WaitForAsync(Org2Address, 1, $"the suspension notice of {reference} at the new address"),
            mail => mail.Subject?.Contains("中止交換服務通知", StringComparison.Ordinal) == true);
        var report = Assert.Single(await Delivered.WaitForAsync(ArchivesAddress, 1, $"the Archives report of {reference}"));
        var xml = await OdtTextAsync(report);
        Assert.True(xml.Contains(Org2Address, StringComparison.Ordinal) && !xml.Contains(Org1Address, StringComparison.Ordinal),
            $"the 連線異動表 gives the registry's address of now ({Org2Address}), not the dropped one:\n{xml[..Math.Min(xml.Length, 6000)]}");
    }

    /// <summary>The lines of the digest's plain-text section starting with <paramref name="title"/>, up to the next one.</summary>
    private static string DigestSection(string text, string title)
    {
        var start = text.IndexOf(title, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section {title}:\n{text}");
        var end = text.IndexOf("\n■ ", start + title.Length, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }

    /// <summary>The content.xml of <paramref name="mail"/>'s one .odt attachment.</summary>
    private static async Task<string> OdtTextAsync(MimeKit.MimeMessage mail)
    {
        var odt = mail.Attachments.OfType<MimeKit.MimePart>().Single(part => part.FileName?.EndsWith(".odt", StringComparison.Ordinal) == true);
        using var content = new MemoryStream();
        await odt.Content!.DecodeToAsync(content);
        content.Position = 0;
        using var zip = new System.IO.Compression.ZipArchive(content);
        using var reader = new StreamReader(zip.GetEntry("content.xml")!.Open());
        return await reader.ReadToEndAsync();
    }

    /// <summary>Moves the programs' clock <paramref name="days"/> on from the test clock (the mail server "down for days").</summary>
    private void ClockDaysOn(int days) =>
        Cli.Environment["MailIntake__Clock__Offset"] = (TimeSpan.Parse(TestClock.Offset, System.Globalization.CultureInfo.InvariantCulture) + TimeSpan.FromDays(days))
            .ToString("c", System.Globalization.CultureInfo.InvariantCulture);

    async ValueTask IAsyncDisposable.DisposeAsync() => await _relay.DisposeAsync();
}
