using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Intake;

namespace MailIntake.Worker.Tests.Notices;

public sealed class AssignMailTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    private NoticeRuleException Refused(long mailId, Notice notice) =>
        Assert.Throws<NoticeRuleException>(() => _harness.Run(_harness.Get<AssignMail>().ExecuteAsync(new AssignMailCommand(mailId, notice.Reference), CancellationToken.None)));

    private long LatestMail() => _harness.Get<MailRepository>().List(null).Max(mail => mail.MailId);

    /// <summary>
    /// h30h P9: staff filed a mail from an address another organisation registered under this notice; the line said
    /// nothing and the receipt told this organisation 「貴單位…之回覆郵件」 about the other's mail.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_MailFromAnAddressAnotherOrganisationRegistered_LineAndReceiptSaySo()
    {
        _harness.Get<OrganisationRepository>().Upsert(
            [new Organisation("XC87654321", "台南市範例協會", ["contact@org2.example.tw"], "06-7654321", "陳小明")], _harness.Time.GetUtcNow());
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        await _harness.ReceiveReplyAsync("改善回報", from: "Contact@org2.example.tw");
        var mailId = LatestMail();
        Assert.Equal(MailKind.Unmatched, _harness.Get<MailRepository>().List(null).Single(mail => mail.MailId == mailId).Kind);

        var assigned = _harness.Run(_harness.Get<AssignMail>().ExecuteAsync(new AssignMailCommand(mailId, notice.Reference), CancellationToken.None));

        Assert.EndsWith("；注意：寄件者登記於機關 XC87654321 台南市範例協會，非本限期改善單之機關，回執已如實告知為該寄件者之郵件", assigned.Text(WorkerHarness.Taipei), StringComparison.Ordinal);
        var rendered = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Receipt)));
        var receipt = rendered.TextBody;
        // Its subject and phone step do not call it the organisation's reply either (h31h Q3).
        Assert.Equal($"【收件回執】{notice.Reference} 已收到經本中心歸入貴單位限期改善單之郵件", rendered.Subject);
        Assert.Contains("本郵件非由貴單位登記之信箱寄出；如非貴單位所委託寄送，請來電", receipt, StringComparison.Ordinal);
        Assert.DoesNotContain("確認本次回覆", receipt, StringComparison.Ordinal);
        Assert.Contains(
            $"收到寄件者 contact@org2.example.tw（登記於機關 XC87654321 台南市範例協會）之郵件，經本中心承辦人員確認後歸入貴單位之限期改善單 {notice.Reference}。",
            receipt,
            StringComparison.Ordinal);
        Assert.DoesNotContain("收到貴單位對限期改善單", receipt, StringComparison.Ordinal);
        // h31h Q4: notice show and the tracking form listed it as the notice's reply with no remark once the line was gone.
        var detail = _harness.Get<NoticeDetailQuery>().Get(notice.Reference);
        const string Remark = "寄件者登記於機關 XC87654321 台南市範例協會，非本限期改善單之機關，經承辦人員確認後歸入";
        Assert.Equal(Remark, detail.SenderElsewhere(Assert.Single(detail.Replies)));
        using var shown = new StringWriter();
        Cli.NoticeText.Write(shown, detail, WorkerHarness.Taipei);
        Assert.Contains($"來自 contact@org2.example.tw（{Remark}）", shown.ToString(), StringComparison.Ordinal);
        var form = Documents.ExportText.OfHtml(MailIntake.Worker.Documents.NoticeExportHtml.Create(Documents.SampleExport.Full with { Detail = detail }));
        Assert.Contains($"寄件者：contact@org2.example.tw（{Remark}）".Replace(" ", "", StringComparison.Ordinal), form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_MailFromTheCentersOwnAddress_IsRefusedAndFilesNothing()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        await _harness.ReceiveReplyAsync("轉寄：請查收", from: "center@intake.test");
        var mailId = LatestMail();

        var refusal = Refused(mailId, notice);

        Assert.Equal(NoticeRuleCode.MailFromCenter, refusal.Code);
        Assert.False(refusal.IsBadRequest);
        Assert.Empty(_harness.Get<ReplyRepository>().ListForNotice(notice.Id));
        Assert.Equal(MailKind.Unmatched, _harness.Get<MailRepository>().List(null).Single(mail => mail.MailId == mailId).Kind);
    }

    [Fact]
    public async Task ExecuteAsync_MailThatIsNoMimeMessage_IsRefusedAsUnreadable()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        using var raw = new MemoryStream(Array.Empty<byte>());
        await _harness.Get<IntakeProcessor>().IngestAsync(raw, "test", checkpoint: null, CancellationToken.None);
        var mailId = LatestMail();

        var refusal = Refused(mailId, notice);

        Assert.Equal(NoticeRuleCode.MailUnreadable, refusal.Code);
        Assert.Empty(_harness.Get<ReplyRepository>().ListForNotice(notice.Id));
    }

    [Fact]
    public async Task ExecuteAsync_MailFiledUnderAnotherNotice_RefusalSaysUnderWhichNoticeHowAndWhen()
    {
        var first = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var second = _harness.IssueNotice(new DateOnly(2026, 12, 21), orgCode: "XC87654321");
        await _harness.ReceiveReplyAsync("請查收", from: "someone@elsewhere.example");
        var mailId = LatestMail();
        _harness.Run(_harness.Get<AssignMail>().ExecuteAsync(new AssignMailCommand(mailId, second.Reference), CancellationToken.None));

        var refusal = Refused(mailId, first);

        Assert.Equal(NoticeRuleCode.MailNotSettleable, refusal.Code);
        Assert.Equal($"已於中華民國115年12月1日 10:00歸入限期改善單 {second.Reference}（比對方式：承辦人指定）", refusal.Value);
        Assert.Empty(_harness.Get<ReplyRepository>().ListForNotice(first.Id));
    }

    [Fact]
    public async Task ExecuteAsync_DismissedMail_RefusalSaysWhoDismissedItWhenAndWhy()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        await _harness.ReceiveReplyAsync("請查收", from: "someone@elsewhere.example");
        var mailId = LatestMail();
        _harness.SetLocal(2026, 12, 1, 13, 8);
        _harness.Run(_harness.Get<DismissMail>().ExecuteAsync(new DismissMailCommand(mailId, "林書記", "誤按"), CancellationToken.None));

        var assign = Refused(mailId, notice);
        var dismissAgain = Assert.Throws<NoticeRuleException>(() =>
            _harness.Run(_harness.Get<DismissMail>().ExecuteAsync(new DismissMailCommand(mailId, "陳專員", "垃圾郵件"), CancellationToken.None)));

        Assert.Equal(NoticeRuleCode.MailAlreadySettled, assign.Code);
        Assert.Equal("已由 林書記 於中華民國115年12月1日 13:08註記不需處理（原因：誤按）", assign.Value);
        Assert.Equal(assign.Value, dismissAgain.Value);
        Assert.Empty(_harness.Get<ReplyRepository>().ListForNotice(notice.Id));
    }

    public void Dispose() => _harness.Dispose();
}
