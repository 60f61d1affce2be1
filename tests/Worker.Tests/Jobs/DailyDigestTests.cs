using MailIntake.Storage;
using MailIntake.Worker.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Tests.Jobs;

public sealed class DailyDigestTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.FromHours(8)));

    private DailyDigest Digest => _harness.Services.GetServices<ISweeper>().OfType<DailyDigest>().Single();

    private async Task<int> RunAsync()
    {
        await Digest.RunAsync(CancellationToken.None);
        return _harness.Outbound(OutboundKind.Digest).Count;
    }

    [Fact]
    public async Task RunAsync_BeforeDigestTime_SendsNothing()
    {
        _harness.SetLocal(2026, 12, 1, 8, 29);

        Assert.Equal(0, await RunAsync());
    }

    [Fact]
    public async Task RunAsync_ManyTimesOneWorkingDay_SendsOneDigest()
    {
        _harness.SetLocal(2026, 12, 1, 8, 30);
        await RunAsync();
        _harness.SetLocal(2026, 12, 1, 17, 0);

        Assert.Equal(1, await RunAsync());
        _harness.SetLocal(2026, 12, 2, 8, 45);
        Assert.Equal(2, await RunAsync());
    }

    [Fact]
    public async Task RunAsync_OnSaturday_SendsNothing()
    {
        _harness.SetLocal(2026, 12, 5, 9, 0);

        Assert.Equal(0, await RunAsync());
    }

    [Fact]
    public async Task RunAsync_WithWork_ShowsCountsAndEachSectionInHtmlAndText()
    {
        var replied = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        await _harness.ReceiveReplyAsync($"回覆 {replied.Reference}");
        var overdue = _harness.IssueNotice(new DateOnly(2026, 11, 30));
        var dueSoon = _harness.IssueNotice(new DateOnly(2026, 12, 3));
        await _harness.ReceiveReplyAsync("Cheap watches", from: "spam@spam.example", body: "buy");
        _harness.SetLocal(2026, 12, 1, 9, 0);

        await RunAsync();

        var digest = _harness.Rendered(_harness.Outbound(OutboundKind.Digest).Single());
        Assert.Contains("新回覆 1", digest.TextBody);
        Assert.Contains("已逾期 1", digest.TextBody);
        foreach (var reference in new[] { replied.Reference, overdue.Reference, dueSoon.Reference })
        {
            Assert.Contains(reference, digest.HtmlBody);
            Assert.Contains(reference, digest.TextBody);
        }

        Assert.Contains("spam@spam.example", digest.HtmlBody);
        Assert.Contains("<table", digest.HtmlBody);
        Assert.Contains("附件2（防毒軟體掃描結果）", digest.TextBody);
    }

    public void Dispose() => _harness.Dispose();
}
