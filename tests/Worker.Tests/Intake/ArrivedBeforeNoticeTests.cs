using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Intake;

namespace MailIntake.Worker.Tests.Intake;

/// <summary>
/// A mail that reached the center before a notice was issued is never told to the organisation as its reply to that
/// notice at that time (h22h M1/M2, h23h N1/N2).
/// </summary>
public sealed class ArrivedBeforeNoticeTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    /// <summary>h23h N1: matched by its sender alone, the night's mail became the morning's notice's reply, receipted.</summary>
    [Fact]
    public async Task IngestAsync_MailNamingNoNoticeThatArrivedBeforeTheNotice_HeldForStaffNotFiled()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));

        await _harness.ReceiveReplyAsync("請問資安事件處理方式", arrived: _harness.Time.GetUtcNow().AddHours(-10));

        var mail = _harness.Get<MailRepository>().List(null).Single();
        Assert.Equal(MailKind.Unmatched, mail.Kind);
        Assert.Contains($"早於限期改善單 {notice.Reference} 之開立", mail.Reason, StringComparison.Ordinal);
        Assert.Empty(_harness.Get<ReplyRepository>().ListForNotice(notice.Id));
        Assert.Empty(_harness.Outbound(OutboundKind.Receipt));
    }

    /// <summary>
    /// h30h P12: the lost store had held such a mail; a restore's re-read could not take its file's time and dated it by
    /// the re-read, after the notice. The time it carried still says it came before: held for staff, as before.
    /// </summary>
    [Fact]
    public async Task IngestAsync_MailNamingNoNoticeReadAgainWithACarriedTimeBeforeTheNotice_HeldForStaffNotFiled()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        _harness.Time.Advance(TimeSpan.FromDays(2));

        await _harness.ReceiveReplyAsync("防火牆設定回報（另案）", carried: notice.IssuedAt.AddHours(-3));

        var mail = _harness.Get<MailRepository>().List(null).Single();
        Assert.Equal(MailKind.Unmatched, mail.Kind);
        Assert.StartsWith($"本郵件所記收到時間中華民國115年12月1日 07:00，早於限期改善單 {notice.Reference} 之開立", mail.Reason, StringComparison.Ordinal);
        Assert.Empty(_harness.Outbound(OutboundKind.Receipt));
    }

    /// <summary>h22h M1/M2: a mail naming the notice was written after it; the time it carries is the doubtful part.</summary>
    [Fact]
    public async Task IngestAsync_MailNamingTheNoticeCarryingAnArrivalBeforeIt_FiledAndDatedByItsFiling()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        _harness.Time.Advance(TimeSpan.FromHours(1));

        var carried = _harness.Time.GetUtcNow().AddDays(-3);

        await _harness.ReceiveReplyAsync($"回覆：限期改善單 {notice.Reference}", arrived: carried);

        var mail = _harness.Get<MailRepository>().List(null).Single();
        Assert.Equal((MailKind.Reply, notice.Reference), (mail.Kind, mail.NoticeRef));
        Assert.Equal((_harness.Time.GetUtcNow(), carried), (mail.ReceivedAt, mail.CarriedArrival));
        Assert.Equal(carried, Assert.Single(_harness.Get<ReplyRepository>().ListForNotice(notice.Id)).CarriedArrival);
        // h23h N6: a second receipt for the same mail (a restore's re-read) states another filing time: each says it is one.
        var receipt = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Receipt))).TextBody;
        Assert.Contains(
            $"本中心已於中華民國115年12月1日 11:00歸檔貴單位對限期改善單 {notice.Reference} 之回覆郵件（寄件者 org1@intake.test）；"
            + "該郵件所記收到時間中華民國115年11月28日 11:00早於本限期改善單之開立，非其實際收到時間，故以歸檔時間記錄。",
            receipt,
            StringComparison.Ordinal);
        Assert.DoesNotContain("收到貴單位對限期改善單", receipt, StringComparison.Ordinal);
    }

    /// <summary>h23h N2: staff may file an earlier mail; its receipt says it came before the notice, not that it answered it then.</summary>
    [Fact]
    public async Task AssignMail_MailThatArrivedBeforeTheNotice_ReceiptSaysItCameBeforeTheNotice()
    {
        await _harness.ReceiveReplyAsync("改善回覆", from: "someone@elsewhere.example", arrived: _harness.Time.GetUtcNow().AddMinutes(-30));
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var mailId = _harness.Get<MailRepository>().List(null).Single().MailId;

        var assigned = _harness.Run(_harness.Get<AssignMail>().ExecuteAsync(new AssignMailCommand(mailId, notice.Reference), CancellationToken.None));

        // The staff member who assigned it is told too, in the command's line (and a staff action's reply).
        Assert.EndsWith(
            $"；注意：本郵件於中華民國115年12月1日 09:30收到，早於本限期改善單之開立（中華民國115年12月1日 10:00），回執已如實告知機關",
            assigned.Text(WorkerHarness.Taipei),
            StringComparison.Ordinal);

        var receipt = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Receipt))).TextBody;
        Assert.Contains($"本中心於中華民國115年12月1日 09:30收到貴單位之郵件（寄件者 someone@elsewhere.example），早於限期改善單 {notice.Reference} 之開立", receipt, StringComparison.Ordinal);
        Assert.DoesNotContain("收到貴單位對限期改善單", receipt, StringComparison.Ordinal);
        // notice show, mail show and the export give its time with the same remark (h30h P6).
        var reply = Assert.Single(_harness.Get<ReplyRepository>().ListForNotice(notice.Id));
        Assert.Equal("中華民國115年12月1日 09:30（早於本限期改善單開立，經承辦人員確認後歸入）", Labels.Arrival(reply.ReceivedAt, reply.CarriedArrival, WorkerHarness.Taipei, notice.IssuedAt));
    }

    /// <summary>h31h Q5: 「10:00收到，早於…開立（10:00）」 — two times in one minute are told with their seconds.</summary>
    [Fact]
    public async Task AssignMail_MailThatCameInTheSameMinuteBeforeTheNotice_LineTellsTheSeconds()
    {
        _harness.Time.Advance(TimeSpan.FromSeconds(10));
        await _harness.ReceiveReplyAsync("改善回覆", from: "someone@elsewhere.example", arrived: _harness.Time.GetUtcNow());
        _harness.Time.Advance(TimeSpan.FromSeconds(20));
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        var mailId = _harness.Get<MailRepository>().List(null).Single().MailId;

        var assigned = _harness.Run(_harness.Get<AssignMail>().ExecuteAsync(new AssignMailCommand(mailId, notice.Reference), CancellationToken.None));

        Assert.EndsWith("；注意：本郵件於中華民國115年12月1日 10:00:10收到，早於本限期改善單之開立（中華民國115年12月1日 10:00:30），回執已如實告知機關",
            assigned.Text(WorkerHarness.Taipei), StringComparison.Ordinal);
    }

    public void Dispose() => _harness.Dispose();
}
