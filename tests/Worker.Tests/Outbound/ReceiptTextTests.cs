using MailIntake.Storage;

namespace MailIntake.Worker.Tests.Outbound;

public sealed class ReceiptTextTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    private string ReceiptBody(int index) => _harness.Rendered(_harness.Outbound(OutboundKind.Receipt)[index]).TextBody ?? "";

    /// <summary>
    /// h10x #16: the organisation's fourth reply within an hour, which delivered what the receipts still asked for, got
    /// no receipt (the loop limit), so its last receipt stayed wrong. A reply that adds nothing is still held back.
    /// </summary>
    [Fact]
    public async Task Receipt_OverTheHourlyLimit_OnlyAReplyThatGivesSomethingMissingStillGetsOne()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        for (var i = 0; i < 4; i++)
        {
            await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}", body: "填寫人：李大同");
        }

        Assert.Equal(3, _harness.Outbound(OutboundKind.Receipt).Count);

        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}", body: "填寫人：李大同 / 06-2345678 / lee@org1.example.tw\n本用戶已於115年12月01日完成以下改善事項。");

        var receipts = _harness.Outbound(OutboundKind.Receipt);
        Assert.Equal(4, receipts.Count);
        var last = _harness.Rendered(receipts[^1]).TextBody ?? "";
        Assert.DoesNotContain("完成改善日期", last[last.IndexOf("尚待補充", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    /// <summary>h10u L: after a receipt past the limit (a reply that gave something), the held-back line said 「已達 3 封」 with 4 sent.</summary>
    [Fact]
    public async Task Receipt_HeldBackAfterOnePastTheLimit_TimelineStatesTheTrueCount()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        for (var i = 0; i < 3; i++)
        {
            await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}", body: "填寫人：李大同");
        }

        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}", body: "填寫人：李大同 / 06-2345678 / lee@org1.example.tw");
        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}", body: "填寫人：李大同");

        Assert.Equal(4, _harness.Outbound(OutboundKind.Receipt).Count);
        var held = Assert.Single(_harness.Get<TimelineRepository>().List(notice.Id), entry => entry.Event == TimelineEvent.ReceiptSuppressed);
        Assert.Contains("一小時內寄給 org1@intake.test 之回執已有 4 封（上限 3 封）", held.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receipt_ReplyWithoutFiles_SaysSoAndNeverThatEverythingArrived()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));

        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");

        var text = ReceiptBody(0);
        Assert.Contains("本次回覆未附任何檔案", text);
        Assert.DoesNotContain("0 個", text);
        Assert.DoesNotContain("均已收到", text);
        Assert.DoesNotContain("bytes", text);
    }

    [Fact]
    public async Task Receipt_StillMissing_AsksForTheStampedFormEachAnswerAndTheCompletionDate()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));

        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}", body: "填寫人：李大同 / 06-2345678 / lee@org1.example.tw");

        var text = ReceiptBody(0);
        Assert.Contains("蓋印信之限期改善單", text);
        Assert.Contains("改善事項1、2、3、4之處理情形與說明", text);
        Assert.Contains("完成改善日期", text);
        Assert.DoesNotContain("填寫人姓名", text[text.IndexOf("尚待補充", StringComparison.Ordinal)..]);
        Assert.Contains("填寫人：李大同", text);
    }

    [Fact]
    public async Task Receipt_ReplyToASuspendedNotice_SaysTheCaseIsClosedAndAsksForNothing()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        _harness.FollowUp(notice, RoundResult.Suspended, suspendFrom: new DateOnly(2026, 12, 15), note: "因事態嚴重");
        // The suspension notice has left: the organisation writes knowing of it (before that, see h10x F13).
        _harness.Deliver();

        await _harness.ReceiveReplyAsync($"RE: {notice.Reference} 再補件");

        var text = ReceiptBody(0);
        Assert.Contains("自中華民國115年12月15日起中止貴單位之公文電子交換服務", text);
        Assert.Contains("已結案", text);
        Assert.Contains("作為貴單位申請恢復交換服務之資料審核", text);
        Assert.DoesNotContain("不再列為補件", text);
        Assert.DoesNotContain("均已收到", text);
        Assert.DoesNotContain("尚待補充", text);
        Assert.DoesNotContain("應再以電話確認之", text);
    }

    [Fact]
    public async Task Receipt_ReplyToACompletedNotice_SaysItWasCompletedAndClosed()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        _harness.FollowUp(notice, RoundResult.Completed);

        await _harness.ReceiveReplyAsync($"RE: {notice.Reference}");

        var text = ReceiptBody(0);
        Assert.Contains("追蹤評估為改善完成", text);
        Assert.Contains("已結案", text);
        Assert.DoesNotContain("尚待補充", text);
        Assert.DoesNotContain("應再以電話確認之", text);
    }

    [Theory]
    [InlineData("本用戶已於115年12月3日完成以下改善事項。", "晚於本中心收件日")]
    [InlineData("本用戶已於115年11月20日完成以下改善事項。", "早於限期改善單開立日")]
    public async Task Receipt_CompletionDateThatCannotBeTrue_IsRepeatedAsWrittenAndCalledDoubtful(string body, string why)
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));

        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}", body: "填寫人：李大同 / 06-2345678 / lee@org1.example.tw\n" + body);

        var text = ReceiptBody(0);
        Assert.Contains(why, text);
        Assert.Contains("日期有疑義，請確認", text);
        Assert.DoesNotContain("完成改善日期：中華民國", text);
    }

    [Fact]
    public async Task Receipt_NoticeWithItsOwnTwoItems_AsksOnlyForThoseItemsAndTheirEvidence()
    {
        _harness.IssueNotice(new DateOnly(2026, 12, 10)); // registers the organisation
        var notice = (await _harness.Get<MailIntake.Worker.Application.IssueNotice>().ExecuteAsync(
            new MailIntake.Worker.Application.IssueNoticeCommand("XC12345678", "10.1.2.3", ["203.0.113.9"], new DateOnly(2026, 11, 1),
                new DateOnly(2026, 11, 15), new DateOnly(2026, 12, 10), ["請說明連線原因", "請提供掃毒紀錄"], Send: false, Again: true),
            CancellationToken.None)).Notice;
        Assert.True(notice.CustomItems);

        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");

        var text = ReceiptBody(0);
        Assert.Contains("改善事項1、2之處理情形與說明", text);
        Assert.Contains("附件1（改善事項1之佐證資料）", text);
        Assert.Contains("附件2（改善事項2之佐證資料）", text);
        Assert.DoesNotContain("附件3", text);
        Assert.DoesNotContain("附件4", text);
        Assert.DoesNotContain("防火牆阻擋規則", text);
    }

    public void Dispose() => _harness.Dispose();
}
