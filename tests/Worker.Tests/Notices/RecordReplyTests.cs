using MailIntake.Storage;

namespace MailIntake.Worker.Tests.Notices;

public sealed class RecordReplyTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    /// <summary>h10w #16: a completion date written that reads as no date is kept as written, not lost as 「未填」.</summary>
    [Fact]
    public async Task ExecuteAsync_CompletionDateThatIsNoDate_KeepsItAsWritten()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));

        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}", body: "填寫人：李大同 / 06-2345678\n本用戶已於115年13月1日完成以下改善事項。");

        var reply = Assert.Single(_harness.Get<ReplyRepository>().ListForNotice(notice.Id));
        Assert.Null(reply.CompletedOn);
        Assert.Equal("115年13月1日", reply.CompletedOnUnreadable);
    }

    /// <summary>The reply a receipt answers is kept in its own column where it is queued, for the check before sending.</summary>
    [Fact]
    public async Task ExecuteAsync_ReplyFiled_ItsReceiptKeepsTheReplyInItsColumn()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));

        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");

        var reply = Assert.Single(_harness.Get<ReplyRepository>().ListForNotice(notice.Id));
        var receipt = Assert.Single(_harness.Outbound(OutboundKind.Receipt));
        Assert.Equal((reply.MailId, (DateOnly?)null, (int?)null), (receipt.ReplyMailId, receipt.Deadline, receipt.DaysBefore));
    }

    public void Dispose() => _harness.Dispose();
}
