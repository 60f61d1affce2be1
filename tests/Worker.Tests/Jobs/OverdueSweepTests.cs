using MailIntake.Storage;
using MailIntake.Worker.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Tests.Jobs;

public sealed class OverdueSweepTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.FromHours(8)));

    private Task<string> RunAsync() => _harness.Services.GetServices<ISweeper>().OfType<OverdueSweep>().Single().RunAsync(CancellationToken.None);

    /// <summary>
    /// Hostile findings h10u I and h10x F2/F14: the 【逾期】 note gave the extended deadline as the one missed, although the
    /// extension mail never reached the organisation. It names that mail and the deadline the organisation was told.
    /// </summary>
    [Fact]
    public async Task RunAsync_ExtendedDeadlinePassedWhileItsMailNeverLeft_NoteNamesTheMailAndTheDeadlineTold()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 10));
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 17));
        _harness.SetLocal(2026, 12, 18, 9, 0);

        await RunAsync();

        var text = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Overdue))).TextBody;
        Assert.Contains("第 1 次追蹤展延至中華民國115年12月17日之展延通知尚未寄出，機關未獲告知展延，其已獲告知之改善期限為中華民國115年12月10日", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hostile finding h10x F3: an extension whose mail never reached the organisation (here: never left) moved the day the
    /// sweep looked for; the deadline the organisation was told passed without a word to staff. The day after it, staff
    /// are told that deadline passed and why the organisation never heard of the extension; once, and once more after
    /// the extended deadline.
    /// </summary>
    [Fact]
    public async Task RunAsync_DeadlineToldPassedWhileTheExtensionMailNeverLeft_TellsStaffOnThatDayNamingTheUntoldExtension()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 10));
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 17));
        _harness.SetLocal(2026, 12, 11, 9, 0);

        await RunAsync();
        await RunAsync();

        var text = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Overdue))).TextBody;
        Assert.Contains("已逾機關已獲告知之改善期限（中華民國115年12月10日）", text, StringComparison.Ordinal);
        Assert.Contains("第 1 次追蹤展延至中華民國115年12月17日之展延通知尚未寄出，機關未獲告知展延", text, StringComparison.Ordinal);

        _harness.SetLocal(2026, 12, 18, 9, 0);
        await RunAsync();

        var later = _harness.Rendered(_harness.Outbound(OutboundKind.Overdue)[^1]).TextBody;
        Assert.Equal(2, _harness.Outbound(OutboundKind.Overdue).Count);
        Assert.Contains("已逾改善期限（中華民國115年12月17日）", later, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hostile finding h10x F17: the 【逾期】 note said 「未收到回覆」 while a mail naming the notice, from a colleague's
    /// unregistered address, waited unsettled. It names the mail (id, sender, when received) and asks staff to assign or
    /// dismiss it before deciding.
    /// </summary>
    [Fact]
    public async Task RunAsync_MailNamingTheNoticeHeldUnsettled_NoteNamesItAndAsksStaffToSettleIt()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 10));
        _harness.SetLocal(2026, 12, 3, 14, 5);
        await _harness.ReceiveReplyAsync($"RE: 【限期改善單】{notice.Reference} 回覆", from: "it@colleague.example.tw");
        var held = Assert.Single(_harness.Get<MailRepository>().ListToSettle());
        _harness.SetLocal(2026, 12, 11, 0, 10);

        await RunAsync();

        var text = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Overdue))).TextBody;
        Assert.DoesNotContain("未收到回覆", text, StringComparison.Ordinal);
        Assert.Contains($"郵件 #{held.MailId}（寄件者 it@colleague.example.tw，中華民國115年12月3日 14:05收到）之主旨載有本限期改善單編號，尚未歸入或註記不需處理", text, StringComparison.Ordinal);
        Assert.Contains("請先於每日摘要「待處理郵件」將其「歸入」本限期改善單或註記「不需處理」", text, StringComparison.Ordinal);
        Assert.DoesNotContain("mail assign", text, StringComparison.Ordinal); // staff mails name no shell command
    }

    /// <summary>
    /// h30h P10: the organisation answered the first notice for an incident; the one issued again (<c>--again</c>) went
    /// overdue 「未收到回覆」 as if it had not answered. The note names the reply to the other notice for staff to weigh.
    /// </summary>
    [Fact]
    public async Task RunAsync_ReplyFiledUnderAnotherNoticeForTheSameIncident_NoteNamesIt()
    {
        var first = _harness.IssueSentNotice(new DateOnly(2026, 12, 10));
        var again = _harness.IssueSentNotice(new DateOnly(2026, 12, 10)); // the harness issues every notice for one incident, --again
        _harness.SetLocal(2026, 12, 3, 14, 5);
        await _harness.ReceiveReplyAsync($"回覆 {first.Reference}");
        _harness.SetLocal(2026, 12, 11, 9, 0);

        await RunAsync();

        var text = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Overdue))).TextBody;
        Assert.Contains(again.Reference, text, StringComparison.Ordinal);
        Assert.Contains("未收到已歸入本限期改善單之回覆", text, StringComparison.Ordinal);
        Assert.Contains($"機關已於中華民國115年12月3日 14:05回覆同一事件之限期改善單 {first.Reference}，請併同確認", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// h32h R3: the organisation's reply waited on the center's own fault (its filing failing, retried) while the 【逾期】
    /// note told staff 「未收到回覆」 and invited a suspension. The note names the mail and says it is not filed yet.
    /// </summary>
    [Fact]
    public async Task RunAsync_OrganisationsReplyFailingOnOurSide_NoteNamesItNotThatNoReplyCame()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 10));
        _harness.SetLocal(2026, 12, 3, 14, 5);
        await _harness.FailingToFileAsync(1, () => _harness.ReceiveReplyAsync($"回覆 {notice.Reference}"));
        var failing = Assert.Single(_harness.Get<MailRepository>().List(MailKind.Received));
        _harness.SetLocal(2026, 12, 11, 9, 0);

        await RunAsync();

        var text = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Overdue))).TextBody;
        Assert.Contains("未收到已歸入本限期改善單之回覆", text, StringComparison.Ordinal);
        Assert.Contains($"郵件 #{failing.MailId}（寄件者 org1@intake.test，中華民國115年12月3日 14:05收到）寄自機關或載有本限期改善單編號，處理失敗尚未歸檔", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// h32h R14: the organisation's reply with a mistyped reference, held for staff (its reminder said the center received
    /// its mail), was 「未收到回覆」 in the 【逾期】 note. The note names it as held from the registered address.
    /// </summary>
    [Fact]
    public async Task RunAsync_OrganisationsMailWithAMistypedReferenceHeld_NoteNamesIt()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 10));
        _harness.SetLocal(2026, 12, 3, 14, 5);
        await _harness.ReceiveReplyAsync("回覆 TN-115-0019");
        var held = Assert.Single(_harness.Get<MailRepository>().ListToSettle());
        _harness.SetLocal(2026, 12, 11, 9, 0);

        await RunAsync();

        var text = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Overdue))).TextBody;
        Assert.Contains(notice.Reference, text, StringComparison.Ordinal);
        Assert.Contains("未收到已歸入本限期改善單之回覆", text, StringComparison.Ordinal);
        Assert.Contains($"郵件 #{held.MailId}（寄件者 org1@intake.test，中華民國115年12月3日 14:05收到）寄自機關登記之信箱，尚未歸入或註記不需處理", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OnDeadlineDay_IsNotOverdue()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        _harness.SetLocal(2026, 12, 10, 23, 59);

        await RunAsync();

        Assert.DoesNotContain(_harness.Get<TimelineRepository>().List(notice.Id), entry => entry.Event == TimelineEvent.Overdue);
    }

    [Fact]
    public async Task RunAsync_DayAfterDeadlineTwice_RecordsOverdueOnceAndTellsStaffOnce()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        _harness.SetLocal(2026, 12, 11, 0, 10);

        await RunAsync();
        await RunAsync();

        Assert.Single(_harness.Get<TimelineRepository>().List(notice.Id), entry => entry.Event == TimelineEvent.Overdue);
        var mail = Assert.Single(_harness.Outbound(OutboundKind.Overdue));
        Assert.Equal(["staff@intake.test"], mail.To);
        Assert.Contains(notice.Reference, mail.Subject);
    }

    [Fact]
    public async Task RunAsync_ReplyFiledBeforeDeadline_IsNotOverdue()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");
        _harness.SetLocal(2026, 12, 15, 9, 0);

        await RunAsync();

        Assert.Empty(_harness.Outbound(OutboundKind.Overdue));
    }

    /// <summary>
    /// The deadline an overdue note is written for is kept in its own column where it is queued: here the one the
    /// organisation was told, not the notice's extended one whose mail never left.
    /// </summary>
    [Fact]
    public async Task RunAsync_NoteQueuedForTheDeadlineTold_KeepsThatDeadlineInItsColumn()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 10));
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 17));
        _harness.SetLocal(2026, 12, 11, 9, 0);

        await RunAsync();

        var note = Assert.Single(_harness.Outbound(OutboundKind.Overdue));
        Assert.Equal((new DateOnly(2026, 12, 10), (int?)null, (long?)null), (note.Deadline, note.DaysBefore, note.ReplyMailId));
    }

    public void Dispose() => _harness.Dispose();
}
