using MailIntake.Storage;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Tests.Outbound;

/// <summary>
/// The organisation's mails that wait in the outbox (the notice, an extension, a suspension notice, a reminder) are
/// checked when they finally go: withdrawn when the case closed or a later extension replaced them, written again from
/// the replies and calls of then, and addressed to the registry's addresses of then.
/// </summary>
public sealed class QueuedOrganisationMailTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    /// <summary>
    /// Hostile finding h10u B: a notice completed while its own mail still waited was mailed afterwards, asking a closed
    /// case to improve by the deadline, send files and call. The waiting notice mail is withdrawn; the timeline says why.
    /// </summary>
    [Fact]
    public void SendDue_NoticeMailQueuedThenCaseCompleted_WithdrawnAndTimelineSaysWhy()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 14), send: true);
        _harness.FollowUp(notice, RoundResult.Completed);

        var result = _harness.Deliver();

        Assert.Equal(0, result.Sent);
        Assert.Equal(OutboundStatus.Withdrawn, Assert.Single(_harness.Get<OutboundRepository>().ListForNotice(notice.Id)).Status);
        Assert.Empty(SentFiles());
        Assert.Contains(_harness.Get<TimelineRepository>().List(notice.Id),
            entry => entry.Event == TimelineEvent.Withdrawn && entry.Detail?.Contains("限期改善單", StringComparison.Ordinal) == true
                     && entry.Detail.Contains("本案已結案（改善完成）", StringComparison.Ordinal));
    }

    /// <summary>
    /// Hostile finding h10u F: an extension mail queued while sending failed went out as written after the organisation
    /// replied: 「本中心尚未收到貴單位之回覆」. It is written again from the replies of when it goes.
    /// </summary>
    [Fact]
    public async Task SendDue_ExtensionQueuedThenReplyFiled_SaysTheReplyArrived()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 14));
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 21));
        var queued = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Extension))).TextBody;
        Assert.Contains("本中心尚未收到貴單位之回覆", queued, StringComparison.Ordinal);
        await _harness.ReceiveReplyAsync($"RE: {notice.Reference}");

        _harness.Deliver();

        var extension = Assert.Single(_harness.Outbound(OutboundKind.Extension));
        Assert.Equal(OutboundStatus.Sent, extension.Status);
        var text = _harness.Rendered(extension).TextBody;
        Assert.Contains("本中心已收到貴單位之回覆 1 封", text, StringComparison.Ordinal);
        Assert.Contains("展延至中華民國115年12月21日", text, StringComparison.Ordinal);
        Assert.DoesNotContain("尚未收到貴單位之回覆", text, StringComparison.Ordinal);
        Assert.Contains(_harness.Get<TimelineRepository>().List(notice.Id),
            entry => entry.Event == TimelineEvent.Rewritten && entry.Detail?.Contains("展延通知", StringComparison.Ordinal) == true);
    }

    /// <summary>Hostile finding h10u F: an extension mail still waiting when the case was completed is withdrawn, never sent to a closed case.</summary>
    [Fact]
    public async Task SendDue_ExtensionQueuedThenCaseCompleted_WithdrawnAndTimelineSaysWhy()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 14));
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 21));
        await _harness.ReceiveReplyAsync($"RE: {notice.Reference}");
        _harness.Call(notice);
        _harness.FollowUp(notice, RoundResult.Completed);

        _harness.Deliver();

        Assert.Equal(OutboundStatus.Withdrawn,
            Assert.Single(_harness.Get<OutboundRepository>().ListForNotice(notice.Id), mail => mail.Kind == OutboundKind.Extension).Status);
        Assert.Contains(_harness.Get<TimelineRepository>().List(notice.Id),
            entry => entry.Event == TimelineEvent.Withdrawn && entry.Detail?.Contains("展延通知", StringComparison.Ordinal) == true
                     && entry.Detail.Contains("本案已結案（改善完成）", StringComparison.Ordinal));
    }

    /// <summary>
    /// Hostile finding h10u G: two extensions recorded while sending failed both went out, the first announcing a deadline
    /// the second had already replaced. The first is withdrawn (the timeline names the round that replaced it).
    /// </summary>
    [Fact]
    public void SendDue_TwoExtensionsQueued_OnlyTheLaterIsSentTheFirstWithdrawn()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 14));
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 21));
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 28));

        _harness.Deliver();

        var extensions = _harness.Get<OutboundRepository>().ListForNotice(notice.Id).Where(mail => mail.Kind == OutboundKind.Extension).ToList();
        Assert.Equal([OutboundStatus.Withdrawn, OutboundStatus.Sent], extensions.Select(mail => mail.Status));
        Assert.Contains("展延至中華民國115年12月28日", _harness.Rendered(extensions[1]).TextBody, StringComparison.Ordinal);
        Assert.Contains(_harness.Get<TimelineRepository>().List(notice.Id),
            entry => entry.Event == TimelineEvent.Withdrawn && entry.Detail?.Contains("第 2 次追蹤已再展延改善期限至中華民國115年12月28日", StringComparison.Ordinal) == true);
    }

    /// <summary>
    /// Hostile finding h10u K: an extension mail queued while sending failed went to the address the registry dropped
    /// meanwhile. It goes to the registry's addresses of when it is sent; the timeline says so.
    /// </summary>
    [Fact]
    public void SendDue_ExtensionQueuedThenRegistryAddressChanged_SentToTheNewAddress()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 14));
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 21));
        _harness.Get<OrganisationRepository>().Upsert([new Organisation("XC12345678", "台南市測試公會", ["neworg1@intake.test"], "06-1234567", "李大同")], _harness.Time.GetUtcNow());

        _harness.Deliver();

        var extension = Assert.Single(_harness.Outbound(OutboundKind.Extension));
        Assert.Equal(["neworg1@intake.test"], extension.To);
        var sent = Assert.Single(SentFiles(), file => MimeKit.MimeMessage.Load(file).MessageId == extension.MessageId);
        Assert.Equal(["neworg1@intake.test"], MimeKit.MimeMessage.Load(sent).To.Mailboxes.Select(mailbox => mailbox.Address));
        Assert.Contains(_harness.Get<TimelineRepository>().List(notice.Id),
            entry => entry.Event == TimelineEvent.Rewritten && entry.Detail?.Contains("改寄至現登記之 neworg1@intake.test", StringComparison.Ordinal) == true);
    }

    /// <summary>
    /// Hostile finding h10u H: an extension mailed to an address registered after the notice went out said 「本中心於…以
    /// 限期改善單…通知貴單位」 to a mailbox that never received it. It names where the notice went, and the day it left (a
    /// notice sent two days late was not told on the day it was written).
    /// </summary>
    [Fact]
    public void Extension_ToAnAddressRegisteredAfterTheLateNoticeWent_SaysWhereAndWhenTheNoticeWent()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 14), send: true);
        _harness.SetLocal(2026, 12, 3, 9, 0);
        _harness.Deliver();
        _harness.Get<OrganisationRepository>().Upsert([new Organisation("XC12345678", "台南市測試公會", ["neworg1@intake.test"], "06-1234567", "李大同")], _harness.Time.GetUtcNow());
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 28));

        var text = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Extension))).TextBody;

        Assert.Contains("本中心於中華民國115年12月3日以限期改善單 ", text, StringComparison.Ordinal);
        Assert.Contains("通知貴單位限期改善（寄至 org1@intake.test；貴單位登記之電子郵件其後已變更", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hostile finding h10x F7: a try on 12-03 that failed after the late notice was rewritten moved its deadline, and the
    /// try that went out on 12-04 moved it again from that never-told date (12-15, not 12-14), the timeline calling the
    /// never-told one 「原」. Counted from when it was first written and the deadline it was first written with: 12-10
    /// plus 3 days, a Sunday, so Monday 12-14.
    /// </summary>
    [Fact]
    public void SendDue_LateNoticeWhoseFirstTryFailedAfterItWasRewritten_MovesItsDeadlineOnceFromWhenItWasWritten()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10), send: true);
        // A folder where the pickup file goes: the try fails as a disk error would, and is tried again.
        var messageId = Assert.Single(_harness.Outbound(OutboundKind.Notice)).MessageId;
        var blocker = Path.Combine(_harness.Folder, "sent",
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(messageId)))[..24] + ".eml");
        Directory.CreateDirectory(blocker);
        _harness.SetLocal(2026, 12, 3, 9, 0);
        var first = _harness.Deliver();
        Assert.True(first.Failed == 1, $"the first try must fail: sent {first.Sent}, failed {first.Failed}");
        Directory.Delete(blocker);

        _harness.SetLocal(2026, 12, 4, 9, 0);
        Assert.Equal(1, _harness.Deliver().Sent);

        Assert.Equal(new DateOnly(2026, 12, 14), _harness.Get<NoticeRepository>().Get(notice.Reference)!.Deadline);
        var sent = MimeKit.MimeMessage.Load(Assert.Single(SentFiles()));
        Assert.Contains("應於中華民國115年12月14日前改善完竣", sent.TextBody, StringComparison.Ordinal);
        Assert.Contains("至中華民國115年12月4日始寄出", sent.TextBody, StringComparison.Ordinal);
        Assert.Contains(_harness.Get<TimelineRepository>().List(notice.Id),
            entry => entry.Event == TimelineEvent.Rewritten && entry.Detail?.Contains("（中華民國115年12月1日排入寄送）", StringComparison.Ordinal) == true
                     && entry.Detail.Contains("順延 3 日為中華民國115年12月14日（開立時中華民國115年12月10日）", StringComparison.Ordinal));
    }

    /// <summary>
    /// Hostile finding h10x F15: an extension decided 12-01 and held until 12-04 went out as if on time, leaving the
    /// organisation less of its extension without a word. It says when it was decided and when sent.
    /// </summary>
    [Fact]
    public void SendDue_ExtensionHeldDays_SaysWhenItWasDecidedAndWhenSent()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 14));
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 21));
        _harness.SetLocal(2026, 12, 4, 9, 0);

        _harness.Deliver();

        var extension = Assert.Single(_harness.Outbound(OutboundKind.Extension));
        var sent = MimeKit.MimeMessage.Load(Assert.Single(SentFiles(), file => MimeKit.MimeMessage.Load(file).MessageId == extension.MessageId));
        Assert.Contains("本通知於中華民國115年12月1日發文，因本中心郵件系統延誤，至中華民國115年12月4日始寄出；改善期限仍為中華民國115年12月21日", sent.TextBody, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hostile finding h10x F6: a receipt rewritten in the run that withdrew an extension mail (its deadline came while it
    /// waited) told the organisation 「改善期限（the extension's）已屆滿」, a deadline it was never given. It names the one told.
    /// </summary>
    [Fact]
    public async Task SendDue_ReceiptBesideAnExtensionWithdrawnUnsent_NamesTheDeadlineTheOrganisationWasTold()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 14));
        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 21));
        _harness.SetLocal(2026, 12, 22, 9, 0);

        _harness.Deliver();

        var receipt = Assert.Single(_harness.Outbound(OutboundKind.Receipt));
        var text = MimeKit.MimeMessage.Load(Assert.Single(SentFiles(), file => MimeKit.MimeMessage.Load(file).MessageId == receipt.MessageId)).TextBody;
        Assert.Contains("改善期限中華民國115年12月14日已屆滿", text, StringComparison.Ordinal);
        Assert.DoesNotContain("12月21日", text, StringComparison.Ordinal);
    }

    private string[] SentFiles() =>
        Directory.Exists(Path.Combine(_harness.Folder, "sent")) ? Directory.GetFiles(Path.Combine(_harness.Folder, "sent")) : [];

    public void Dispose() => _harness.Dispose();
}
