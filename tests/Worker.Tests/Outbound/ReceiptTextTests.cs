using MailIntake.Storage;

namespace MailIntake.Worker.Tests.Outbound;

public sealed class ReceiptTextTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    private string ReceiptBody(int index) => _harness.Rendered(_harness.Outbound(OutboundKind.Receipt)[index]).TextBody ?? "";

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

    public void Dispose() => _harness.Dispose();
}
