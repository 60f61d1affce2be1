using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Cli;
using MailIntake.Worker.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Tests.Application;

/// <summary>Connection drops as status and the digest show them: counted, the last one named, a storm a warning.</summary>
public sealed class ConnectionDropsQueryTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private readonly WorkerHarness _harness = new(Now, new Dictionary<string, string?> { ["MailIntake:Mailbox:DropWarningPerHour"] = "10" });

    private void Drop(TimeSpan ago, string error = "ImapProtocolException: The IMAP server has unexpectedly disconnected.") =>
        _harness.Get<ConnectionDropRepository>().Record(HealthRepository.Intake, error, Now - ago);

    [Fact]
    public void Intake_NoDrops_CountsNothingAndStatusSaysNothing()
    {
        var drops = _harness.Get<ConnectionDropsQuery>().Intake();

        Assert.Equal((0, 0, 0, null), (drops.LastHour, drops.Last24Hours, drops.PeakPerHour, drops.LastAt));
        Assert.Null(HealthText.Drops(drops, WorkerHarness.Taipei));
    }

    [Fact]
    public void Intake_ThreeDropsInADay_CountsThemAndNamesTheLastWithoutAWarning()
    {
        Drop(TimeSpan.FromHours(30)); // older than a day: not counted
        Drop(TimeSpan.FromHours(5), "無法與郵件伺服器通訊：Connection reset by peer");
        Drop(TimeSpan.FromMinutes(40), "IOException: Broken pipe");
        Drop(TimeSpan.FromMinutes(2), "ImapProtocolException: Server shutting down.");

        var drops = _harness.Get<ConnectionDropsQuery>().Intake();

        Assert.Equal((2, 3, 2), (drops.LastHour, drops.Last24Hours, drops.PeakPerHour));
        Assert.Equal(Now - TimeSpan.FromMinutes(2), drops.LastAt);
        Assert.False(drops.IsStorm);
        Assert.Equal(
            "收件連線中斷：近 1 小時 2 次、近 24 小時 3 次，最近一次 中華民國115年12月1日 08:58（ImapProtocolException: Server shutting down.）",
            HealthText.Drops(drops, WorkerHarness.Taipei));
    }

    [Fact]
    public void Intake_ElevenDropsWithinAnHourThreeHoursAgo_IsAStormWarning()
    {
        for (var i = 0; i < 11; i++)
            Drop(TimeSpan.FromHours(3) - TimeSpan.FromMinutes(5 * i));

        var drops = _harness.Get<ConnectionDropsQuery>().Intake();

        Assert.Equal((0, 11, 11), (drops.LastHour, drops.Last24Hours, drops.PeakPerHour));
        Assert.True(drops.IsStorm);
        Assert.StartsWith("收件連線頻繁中斷：1 小時內最多 11 次（超過 10 次），請檢查郵件伺服器與網路；近 1 小時 0 次、近 24 小時 11 次", HealthText.Drops(drops, WorkerHarness.Taipei));
    }

    [Fact]
    public void Intake_TenDropsInAnHour_IsNotYetAStorm()
    {
        for (var i = 0; i < 10; i++)
            Drop(TimeSpan.FromMinutes(6 * i));

        Assert.False(_harness.Get<ConnectionDropsQuery>().Intake().IsStorm);
    }

    [Theory]
    [InlineData(new int[0], 0)]
    [InlineData(new[] { 0 }, 1)]
    [InlineData(new[] { 0, 59, 60, 61 }, 3)] // 0..59 and 59..61 are within an hour; 0 and 60 are not
    [InlineData(new[] { 0, 30, 90, 100, 110, 149 }, 4)]
    public void PeakPerHour_MinutesOfDrops_MostWithinAnySlidingHour(int[] minutes, int expected) =>
        Assert.Equal(expected, ConnectionDropsQuery.PeakPerHour(minutes.Select(m => Now.AddMinutes(m)).ToList()));

    [Fact]
    public void Record_DropsOlderThanAWeek_ArePruned()
    {
        Drop(TimeSpan.FromDays(8));
        Drop(TimeSpan.FromMinutes(1));

        Assert.Single(_harness.Get<ConnectionDropRepository>().ListSince(HealthRepository.Intake, Now - TimeSpan.FromDays(30)));
    }

    [Fact]
    public async Task DailyDigest_WithDrops_ShowsTheCountAndTheLastOne_AStormAsAWarning()
    {
        Drop(TimeSpan.FromMinutes(20), "無法與郵件伺服器通訊：Connection reset by peer");
        _harness.SetLocal(2026, 12, 1, 9, 0);
        var digest = _harness.Services.GetServices<ISweeper>().OfType<DailyDigest>().Single();

        await digest.RunAsync(CancellationToken.None);

        var text = _harness.Rendered(_harness.Outbound(OutboundKind.Digest).Single()).TextBody;
        Assert.Contains("收件連線中斷：近 1 小時 1 次、近 24 小時 1 次，最近一次 中華民國115年12月1日 08:40（無法與郵件伺服器通訊：Connection reset by peer）", text, StringComparison.Ordinal);
        Assert.DoesNotContain("⚠ 收件連線", text, StringComparison.Ordinal);

        for (var i = 0; i < 11; i++)
            Drop(TimeSpan.FromMinutes(i));
        Assert.StartsWith("⚠ 收件連線頻繁中斷", DigestText.PlainText(digest.Gather(), WorkerHarness.Taipei).Split('\n').Single(line => line.Contains("收件連線", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    public void Dispose() => _harness.Dispose();
}
