using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// A staff member's 【已處理】 answer that waits in the outbox (the mail server away) beside the notice it issued: through a
/// relay in front of the real Postfix, stopped and started again.
/// </summary>
public sealed class QueuedMailTruthActionAnswerTests(ITestOutputHelper output) : StaffActionTest(output), IAsyncDisposable
{
    private readonly TcpRelay _relay = TcpRelay.StartNew(MailStack.Settings.SmtpPort);

    protected override void ConfigureProgram(MailIntakeCli cli)
    {
        base.ConfigureProgram(cli);
        cli.UseSmtp(_relay.Port);
    }

    /// <summary>
    /// Hostile finding h10x F16 (scenario N): a notice issued by mail while the mail server was away left two days late
    /// with its deadline moved on by those days; the member's 【已處理】 answer, sent in the same pass after it, still said
    /// 「目前狀態：已開立；改善期限：」 the deadline before the move. Now the answer's 目前狀態 line is written again from
    /// the notice as it stands when the answer leaves (the moved deadline), and its head says when it was written and that
    /// it was held.
    /// </summary>
    [Fact]
    public async Task IssuedByMailWhileSmtpDown_AnswerLeavingAfterTheLateNotice_StatesTheMovedDeadlineAndThatItWasHeld()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        await RunJobAsync("digest", AsOf(DigestMorning()));
        var digest = Assert.Single(await Delivered.WaitForAsync(StaffAddress, 1, "the daily digest"));
        var deadline = TestClock.Today.AddDays(7);
        var filled = StaffMailClient.Link(digest, "開立限期改善單", contains: true)
            .WithLine("機關代碼", Orgs.TestGuild)
            .WithLine("電腦IP", "10.9.9.9")
            .WithLine("惡意IP", "198.51.100.7")
            .WithLine("事件期間", "115/11/20至115/11/25")
            .WithLine("改善期限", $"{deadline.Year - 1911}年{deadline.Month}月{deadline.Day}日");

        await _relay.StopAsync();
        await ActAsync(filled);
        var issued = Assert.Single(await Cli.RunJsonAsync<List<NoticeSummaryJson>>("notice", "list", "--json"));
        var queued = await Cli.ShowNoticeAsync(issued.Reference);
        Assert.True(SingleOutbound(queued, "notice").Status is "queued" or "failed", $"with SMTP down the notice waits: {Dump(queued.Outbound)}");

        _relay.Start();
        Cli.Environment["MailIntake__Clock__Offset"] = (TimeSpan.Parse(TestClock.Offset, System.Globalization.CultureInfo.InvariantCulture) + TimeSpan.FromDays(2))
            .ToString("c", System.Globalization.CultureInfo.InvariantCulture); // two days on: the notice leaves late
        await Cli.RunOnceAsync();

        var moved = await Cli.ShowNoticeAsync(issued.Reference);
        var movedDeadline = DateOnly.ParseExact(moved.Deadline, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(movedDeadline > deadline, $"the late notice moved its deadline on: {Dump(moved)}");
        string Roc(DateOnly day) => $"中華民國{day.Year - 1911}年{day.Month}月{day.Day}日";
        var notice = Assert.Single(await Delivered.WaitForAsync(Org1Address, 1, $"the notice {issued.Reference}"));
        AssertBodiesContain(notice, "the late notice", Roc(movedDeadline));

        var answer = Assert.Single(await AnswersAsync("已處理", 1));
        AssertBodiesContain(answer, "the answer sent after the late notice", $"目前狀態：已開立；改善期限：{Roc(movedDeadline)}。",
            $"本郵件寫成時為「已開立；改善期限：{Roc(deadline)}」，其後已有變動", "【延遲寄出】", "限期改善單之目前狀態及改善期限為寄出時之狀況");
        var (text, _) = Bodies(answer, "the answer");
        Assert.True(!text.Contains($"目前狀態：已開立；改善期限：{Roc(deadline)}", StringComparison.Ordinal) && !text.Contains("所列內容為寫成時之狀況", StringComparison.Ordinal),
            $"the answer states as now no deadline the notice no longer has ({Roc(deadline)}):\n{text}");
    }

    /// <summary>09:00 Taipei on the next working day: after Staff:DigestTime (08:30).</summary>
    private static DateTimeOffset DigestMorning()
    {
        var tomorrow = TimeZoneInfo.ConvertTime(TestClock.Now, Taipei).Date.AddDays(1).AddHours(9);
        return WorkingDayAtOrAfter(new DateTimeOffset(tomorrow, TimeSpan.FromHours(8)));
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await _relay.DisposeAsync();
}
