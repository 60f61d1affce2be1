using MailIntake.Storage;
using MailIntake.Worker.Cli;
using MailIntake.Worker.Notices;

namespace MailIntake.Worker.Tests.Notices;

public sealed class FollowUpRecorderTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 11, 10, 0, 0, TimeSpan.FromHours(8)));

    private FollowUpRecorder Recorder => _harness.Get<FollowUpRecorder>();

    private Notice Reload(Notice notice) => _harness.Get<NoticeRepository>().Get(notice.Id)!;

    private static FollowUpRequest Extended(int day) => new("extended", "王承辦", new DateOnly(2026, 12, day), null, null, null);

    private static FollowUpRequest Other() => new("other", "王承辦", null, null, "補件中", null);

    [Fact]
    public void Record_Extended_SetsNewDeadlineAndStatus()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));

        var (updated, round) = Recorder.Record(notice, Extended(20));

        Assert.Equal(1, round);
        Assert.Equal(NoticeStatus.Extended, updated.Status);
        Assert.Equal(new DateOnly(2026, 12, 20), updated.Deadline);
    }

    [Fact]
    public void Record_ThirdRoundExtended_IsRefusedAndChangesNothing()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        Recorder.Record(notice, Extended(20));
        Recorder.Record(Reload(notice), Other());

        var refusal = Assert.Throws<CliException>(() => Recorder.Record(Reload(notice), Extended(30)));

        Assert.Equal(1, refusal.ExitCode);
        Assert.Contains("第 3 次", refusal.Message);
        Assert.Equal(2, _harness.Get<FollowUpRepository>().ListFollowUps(notice.Id).Count);
        Assert.Equal(new DateOnly(2026, 12, 20), Reload(notice).Deadline);
    }

    [Fact]
    public void Record_FourthRound_IsRefused()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        Recorder.Record(notice, Other());
        Recorder.Record(Reload(notice), Other());
        Recorder.Record(Reload(notice), new FollowUpRequest("completed", "王承辦", null, null, null, null));

        var refusal = Assert.Throws<CliException>(() => Recorder.Record(Reload(notice), Other()));

        Assert.Contains("不再追蹤", refusal.Message);
        Assert.Equal(3, _harness.Get<FollowUpRepository>().ListFollowUps(notice.Id).Count);
    }

    [Fact]
    public void Record_AfterThreeOtherRoundsImpossible_ThirdRoundAllowsOnlyCompletedOrSuspended()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        Recorder.Record(notice, Other());
        Recorder.Record(Reload(notice), Other());

        Assert.Throws<CliException>(() => Recorder.Record(Reload(notice), Other()));
        var (updated, round) = Recorder.Record(Reload(notice), new FollowUpRequest("suspended", "王承辦", null, new DateOnly(2027, 1, 5), null, null));

        Assert.Equal(3, round);
        Assert.Equal(NoticeStatus.Suspended, updated.Status);
    }

    [Fact]
    public void Record_CompletedNotice_TakesNoMore()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        Recorder.Record(notice, new FollowUpRequest("completed", "王承辦", null, null, null, null));

        Assert.Throws<CliException>(() => Recorder.Record(Reload(notice), Other()));
        Assert.Single(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
    }

    [Theory]
    [InlineData("extended")]
    [InlineData("suspended")]
    [InlineData("other")]
    public void Record_MissingRequiredValue_IsBadArgumentAndRecordsNothing(string result)
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));

        var refusal = Assert.Throws<CliException>(() => Recorder.Record(notice, new FollowUpRequest(result, "王承辦", null, null, null, null)));

        Assert.Equal(2, refusal.ExitCode);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
        Assert.Equal(NoticeStatus.Issued, Reload(notice).Status);
    }

    [Fact]
    public void Record_Suspended_QueuesNoticeToOrganisationAndReportToArchivesWithDocuments()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));

        Recorder.Record(notice, new FollowUpRequest("suspended", "王承辦", null, new DateOnly(2027, 1, 5), null, null));

        var suspension = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKinds.Suspension)));
        Assert.Contains("中華民國116年01月05日", suspension.TextBody);
        Assert.Equal("org1@intake.test", suspension.To.Mailboxes.Single().Address);
        var report = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKinds.ArchivesReport)));
        Assert.Equal("archives@intake.test", report.To.Mailboxes.Single().Address);
        Assert.Contains("XC12345678", report.TextBody);
        Assert.Contains("中止日期：中華民國116年01月05日", report.TextBody);
        Assert.Equal(2, report.Attachments.Count(part => part.ContentDisposition?.FileName?.EndsWith(".docx", StringComparison.Ordinal) == true));
    }

    public void Dispose() => _harness.Dispose();
}
