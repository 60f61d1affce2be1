using MailIntake.Storage;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Tests.Notices;

public sealed class RecordFollowUpTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 11, 10, 0, 0, TimeSpan.FromHours(8)));

    private Notice Reload(Notice notice) => _harness.Get<NoticeRepository>().Get(notice.Id)!;

    private FollowUpRecorded Extended(Notice notice, int day) => _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, day));

    private int _others;

    /// <summary>An "other" round with a note of its own: the same round again the same day is refused as a repeat.</summary>
    private FollowUpRecorded Other(Notice notice) => _harness.FollowUp(notice, RoundResult.Other, note: $"補件中（{++_others}）");

    private NoticeRuleException Refused(Action action) => Assert.Throws<NoticeRuleException>(action);

    [Fact]
    public void ExecuteAsync_Extended_SetsNewCurrentDeadlineKeepsIssuedOneAndStatus()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));

        var recorded = Extended(notice, 20);

        Assert.Equal(1, recorded.Round);
        Assert.Equal(NoticeStatus.Extended, recorded.Notice.Status);
        Assert.Equal((new DateOnly(2026, 12, 20), new DateOnly(2026, 12, 10)), (recorded.Notice.Deadline, recorded.Notice.DeadlineIssued));
    }

    [Fact]
    public void ExecuteAsync_ThirdRoundExtended_IsRefusedAndChangesNothing()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        Extended(notice, 20);
        Other(notice);

        var refusal = Refused(() => Extended(notice, 30));

        Assert.Equal(NoticeRuleCode.RoundThreeOnlyCompletedOrSuspended, refusal.Code);
        Assert.Equal(2, _harness.Get<FollowUpRepository>().ListFollowUps(notice.Id).Count);
        Assert.Equal(new DateOnly(2026, 12, 20), Reload(notice).Deadline);
    }

    [Fact]
    public void ExecuteAsync_AfterCompletion_IsRefusedAsClosed()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        Other(notice);
        Other(notice);
        _harness.FollowUp(notice, RoundResult.Completed);

        var refusal = Refused(() => Other(notice));

        Assert.Equal(NoticeRuleCode.NoticeClosed, refusal.Code);
        Assert.Equal(3, _harness.Get<FollowUpRepository>().ListFollowUps(notice.Id).Count);
    }

    [Fact]
    public void ExecuteAsync_ThirdRound_AllowsOnlyCompletedOrSuspended()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        Other(notice);
        Other(notice);

        Assert.Equal(NoticeRuleCode.RoundThreeOnlyCompletedOrSuspended, Refused(() => Other(notice)).Code);
        var recorded = _harness.FollowUp(notice, RoundResult.Suspended, suspendFrom: new DateOnly(2027, 1, 5));

        Assert.Equal((3, NoticeStatus.Suspended), (recorded.Round, recorded.Notice.Status));
    }

    [Theory]
    [InlineData(RoundResult.Extended, NoticeRuleCode.UntilRequired)]
    [InlineData(RoundResult.Suspended, NoticeRuleCode.SuspendFromRequired)]
    [InlineData(RoundResult.Other, NoticeRuleCode.NoteRequired)]
    public void ExecuteAsync_MissingRequiredValue_IsBadRequestAndRecordsNothing(RoundResult result, NoticeRuleCode code)
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));

        var refusal = Refused(() => _harness.FollowUp(notice, result));

        Assert.Equal(code, refusal.Code);
        Assert.True(refusal.IsBadRequest);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
        Assert.Equal(NoticeStatus.Issued, Reload(notice).Status);
    }

    [Theory]
    [InlineData(RoundResult.Completed, 20, null, NoticeRuleCode.UntilNotTaken)]
    [InlineData(RoundResult.Other, 20, null, NoticeRuleCode.UntilNotTaken)]
    [InlineData(RoundResult.Completed, null, 20, NoticeRuleCode.SuspendFromNotTaken)]
    [InlineData(RoundResult.Extended, 20, null, NoticeRuleCode.UntilNotAfterDeadline)]
    [InlineData(RoundResult.Extended, 15, null, NoticeRuleCode.UntilNotAfterDeadline)]
    public void ExecuteAsync_DateThatDoesNotFitTheResult_IsRefused(RoundResult result, int? untilDay, int? suspendDay, NoticeRuleCode code)
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));

        var refusal = Refused(() => _harness.FollowUp(notice, result, note: "說明",
            until: untilDay is { } u ? new DateOnly(2026, 12, u) : null, suspendFrom: suspendDay is { } s ? new DateOnly(2026, 12, s) : null));

        Assert.Equal(code, refusal.Code);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
    }

    /// <summary>Hostile finding h10y #10: a new deadline already past (or today) was accepted and mailed to the organisation.</summary>
    [Theory]
    [InlineData(10)]
    [InlineData(11)]
    public void ExecuteAsync_ExtendedUntilNotAfterToday_IsBadRequestAndRecordsNothing(int untilDay)
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 8)); // today is 12/11: the deadline has passed

        var refusal = Refused(() => Extended(notice, untilDay));

        Assert.True(refusal is { Code: NoticeRuleCode.UntilNotAfterToday, IsBadRequest: true }, $"refused as {refusal.Code}");
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
        Assert.Empty(_harness.Outbound(OutboundKind.Extension));
    }

    [Fact]
    public void ExecuteAsync_SuspendFromBeforeToday_IsRefusedAndNothingIsRecordedOrMailed()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));

        var refusal = Refused(() => _harness.FollowUp(notice, RoundResult.Suspended, suspendFrom: new DateOnly(2026, 11, 1)));

        Assert.Equal(NoticeRuleCode.SuspendFromInPast, refusal.Code);
        Assert.True(refusal.IsBadRequest);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
        Assert.Equal(NoticeStatus.Issued, Reload(notice).Status);
        Assert.Empty(_harness.Outbound(OutboundKind.Suspension));
        Assert.Empty(_harness.Outbound(OutboundKind.ArchivesReport));
    }

    [Fact]
    public void ExecuteAsync_SuspendedWhileTheNoticeMailWaitsToBeSent_IsRefusedAndNothingIsQueued()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20), send: true);

        var refusal = Refused(() => _harness.FollowUp(notice, RoundResult.Suspended, suspendFrom: new DateOnly(2026, 12, 14), note: "嚴重"));

        Assert.Equal(NoticeRuleCode.NoticeNotYetSent, refusal.Code);
        Assert.False(refusal.IsBadRequest);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
        Assert.Equal(NoticeStatus.Issued, Reload(notice).Status);
        Assert.Empty(_harness.Outbound(OutboundKind.Suspension));
        Assert.Empty(_harness.Outbound(OutboundKind.ArchivesReport));
    }

    [Fact]
    public void ExecuteAsync_SuspendedOnceTheNoticeMailWasSent_IsRecorded()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 20));

        var recorded = _harness.FollowUp(notice, RoundResult.Suspended, suspendFrom: new DateOnly(2026, 12, 14), note: "嚴重");

        Assert.Equal(NoticeStatus.Suspended, recorded.Notice.Status);
    }

    [Fact]
    public void ExecuteAsync_SuspensionDatedOnAnEarlierDay_IsRefusedAsBackDated()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        _harness.SetLocal(2026, 12, 14, 9);

        var refusal = Refused(() => _harness.Run(_harness.Get<RecordFollowUp>().ExecuteAsync(new RecordFollowUpCommand(
            notice.Reference, RoundResult.Suspended, "王承辦", null, new DateOnly(2026, 12, 20), "嚴重", new DateTimeOffset(2026, 12, 12, 10, 0, 0, TimeSpan.FromHours(8))),
            CancellationToken.None)));

        Assert.Equal(NoticeRuleCode.SuspensionBackDated, refusal.Code);
        Assert.True(refusal.IsBadRequest);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
        Assert.Empty(_harness.Outbound(OutboundKind.ArchivesReport));
    }

    [Fact]
    public void ExecuteAsync_SuspensionDatedEarlierToday_IsRecordedWithThatMoment()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        _harness.SetLocal(2026, 12, 14, 15);
        var at = new DateTimeOffset(2026, 12, 14, 8, 30, 0, TimeSpan.FromHours(8));

        var recorded = _harness.Run(_harness.Get<RecordFollowUp>().ExecuteAsync(new RecordFollowUpCommand(
            notice.Reference, RoundResult.Suspended, "王承辦", null, new DateOnly(2026, 12, 20), "嚴重", at), CancellationToken.None));

        Assert.Equal(NoticeStatus.Suspended, recorded.Notice.Status);
        Assert.Equal(at, _harness.Get<FollowUpRepository>().ListFollowUps(notice.Id).Single().At);
    }

    [Fact]
    public void ExecuteAsync_SuspendFromToday_IsRecorded()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));

        var recorded = _harness.FollowUp(notice, RoundResult.Suspended, suspendFrom: new DateOnly(2026, 12, 11));

        Assert.Equal(NoticeStatus.Suspended, recorded.Notice.Status);
    }

    [Fact]
    public void ExecuteAsync_NoteOfThirtyThousandCharactersOrTrackerOnTwoLines_IsRefused()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));

        Assert.Equal(NoticeRuleCode.NoteInvalid, Refused(() => _harness.FollowUp(notice, RoundResult.Other, note: new string('長', 30_000))).Code);
        Assert.Equal(NoticeRuleCode.TrackerInvalid, Refused(() => _harness.FollowUp(notice, RoundResult.Other, note: "說明", by: "張\n專員")).Code);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
    }

    [Fact]
    public void ExecuteAsync_UntilMoreThanAYearAhead_IsRefused()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));

        Assert.Equal(NoticeRuleCode.UntilTooFar, Refused(() => _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2027, 12, 12))).Code);
    }

    /// <summary>
    /// Hostile finding h14h G5: the same round recorded by two staff at once. The loser's default time (no --at) was read
    /// as its request began, before the winner's round committed, so it lies before that round: it was refused as an --at
    /// earlier than the previous round, a time nobody gave. The repeat is judged first and refuses it as such.
    /// </summary>
    [Fact]
    public void ExecuteAsync_SameRoundCommittedAfterTheDefaultTimeWasRead_IsRefusedAsTheRepeatNotAsAnEarlierTime()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        var began = _harness.Time.GetUtcNow();
        _harness.Time.Advance(TimeSpan.FromSeconds(30));
        _harness.FollowUp(notice, RoundResult.Other, note: "同一說明", by: "王");

        var refusal = Refused(() => _harness.Run(BegunAt(began).ExecuteAsync(
            new RecordFollowUpCommand(notice.Reference, RoundResult.Other, "王", null, null, "同一說明", null), CancellationToken.None)));

        Assert.Equal((NoticeRuleCode.RoundRepeated, "1"), (refusal.Code, refusal.Value));
        Assert.Single(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
    }

    /// <summary>
    /// h14h G5, another round: without --at, a round recorded meanwhile and dated after the request began is what the
    /// request did not see; the refusal names that round, not --at. With --at given, an earlier time is still the --at's.
    /// </summary>
    [Fact]
    public void ExecuteAsync_OtherRoundCommittedAfterTheDefaultTimeWasRead_IsRefusedNamingThatRoundAndAGivenEarlierAtStaysAnAtRefusal()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        var began = _harness.Time.GetUtcNow();
        _harness.Time.Advance(TimeSpan.FromSeconds(30));
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 24), by: "李");

        var meanwhile = Refused(() => _harness.Run(BegunAt(began).ExecuteAsync(
            new RecordFollowUpCommand(notice.Reference, RoundResult.Other, "王", null, null, "已電話聯繫", null), CancellationToken.None)));
        var given = Refused(() => _harness.Run(_harness.Get<RecordFollowUp>().ExecuteAsync(
            new RecordFollowUpCommand(notice.Reference, RoundResult.Other, "王", null, null, "已電話聯繫", began), CancellationToken.None)));

        Assert.Equal(NoticeRuleCode.RoundRecordedMeanwhile, meanwhile.Code);
        Assert.Equal("第 1 次追蹤（李，中華民國115年12月11日 10:00，尚未完成，再給予改善期限至中華民國115年12月24日）", meanwhile.Value);
        Assert.DoesNotContain("--at", MailIntake.Worker.Cli.RuleErrorText.Line(meanwhile), StringComparison.Ordinal);
        Assert.Equal(NoticeRuleCode.AtBeforePreviousRound, given.Code);
        Assert.Single(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
    }

    /// <summary>The use case as a request that began at <paramref name="began"/> reads it: its clock reads that moment.</summary>
    private RecordFollowUp BegunAt(DateTimeOffset began) => new(
        _harness.Get<Database>(), _harness.Get<MailIntake.Worker.Outbound.ExtensionMailer>(), _harness.Get<MailIntake.Worker.Outbound.SuspensionMailer>(),
        _harness.Get<SweepMarkRepository>(), _harness.Get<MailIntake.Worker.Options.MailIntakeOptions>(), new Microsoft.Extensions.Time.Testing.FakeTimeProvider(began));

    /// <summary>
    /// Hostile finding h10z H: the same round typed twice (arrow-up, Enter) was recorded as a second round, leaving only
    /// 改善完成 or 中止交換服務 for the third. The identical repeat the same day is refused naming the round recorded; named
    /// on purpose (<c>--round 2</c>) it is recorded.
    /// </summary>
    [Fact]
    public void ExecuteAsync_SameOtherRoundTwiceTheSameDay_IsRefusedNamingTheRoundUnlessTheRoundIsNamed()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        _harness.FollowUp(notice, RoundResult.Other, note: "已電話聯繫，機關表示下週回覆");

        var refusal = Refused(() => _harness.FollowUp(notice, RoundResult.Other, note: "已電話聯繫，機關表示下週回覆"));

        Assert.Equal((NoticeRuleCode.RoundRepeated, "1"), (refusal.Code, refusal.Value));
        Assert.Single(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
        var named = _harness.Run(_harness.Get<RecordFollowUp>().ExecuteAsync(
            new RecordFollowUpCommand(notice.Reference, RoundResult.Other, "王承辦", null, null, "已電話聯繫，機關表示下週回覆", null, Round: 2), CancellationToken.None));
        Assert.Equal(2, named.Round);
    }

    /// <summary>
    /// Hostile finding h10z A: the tracker's note on an extension (the tracking form's internal 追蹤說明) was mailed word for
    /// word to the organisation. The extension mail carries the new deadline and never the note.
    /// </summary>
    [Fact]
    public void ExecuteAsync_ExtendedWithANote_ExtensionMailLeavesTheNoteOut()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));

        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 28), note: "內部註記：該會敷衍了事，下次直接中止");

        var mail = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Extension)));
        Assert.Contains("再給予改善期限至中華民國115年12月28日。", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("敷衍", mail.TextBody + mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("敷衍", Assert.Single(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id)).Note, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hostile finding h10w #7: a suspension closed the notice while an email reply still awaited its phone call, and
    /// nothing said so (a closed notice takes no calls). The suspension notice and the Archives report say the reply was
    /// not confirmed by phone, and the timeline records it.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_SuspendedWhileAReplyAwaitsItsCall_DocumentsSayTheReplyWasNotConfirmedByPhone()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        await _harness.ReceiveReplyAsync($"RE: {notice.Reference}");

        _harness.FollowUp(notice, RoundResult.Suspended, suspendFrom: new DateOnly(2027, 1, 5), note: "未改善");

        // h10u O: the organisation is addressed as 貴單位, and neither reader is given our internal mail number.
        var toOrganisation = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Suspension))).TextBody;
        Assert.Contains("；貴單位於中華民國115年12月11日 10:00以電子郵件回覆，惟尚未以電話確認。", toOrganisation, StringComparison.Ordinal);
        var toArchives = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.ArchivesReport))).TextBody;
        Assert.Contains("；該機關於中華民國115年12月11日 10:00之電子郵件回覆尚未經電話確認", toArchives, StringComparison.Ordinal);
        Assert.DoesNotContain("郵件 #", toOrganisation + toArchives, StringComparison.Ordinal);

        Assert.Contains(_harness.Get<TimelineRepository>().List(notice.Id), entry => entry.Detail?.Contains("尚未經電話確認", StringComparison.Ordinal) == true);
    }

    /// <summary>
    /// Hostile finding h10v #12: an extension was recorded while the notice's own mail still waited to be sent; both went
    /// out together, the extension saying the organisation had been notified on the day of issue. Refused like the suspension.
    /// </summary>
    [Fact]
    public void ExecuteAsync_ExtendedWhileTheNoticeMailWaitsToBeSent_IsRefusedAndNothingIsQueued()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10), send: true);

        var refusal = Refused(() => Extended(notice, 20));

        Assert.Equal(NoticeRuleCode.ExtensionOfUnsentNotice, refusal.Code);
        Assert.False(refusal.IsBadRequest);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
        Assert.Equal(new DateOnly(2026, 12, 10), Reload(notice).Deadline);
        Assert.Empty(_harness.Outbound(OutboundKind.Extension));
    }

    /// <summary>
    /// Hostile finding h10u B: an 「其他」 round was recorded on a notice whose own mail still waited to be sent, spending a
    /// round of the form on a notice the organisation never saw. Refused like the extension; nothing recorded.
    /// </summary>
    [Fact]
    public void ExecuteAsync_OtherWhileTheNoticeMailWaitsToBeSent_IsRefusedAndNothingIsRecorded()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10), send: true);

        var refusal = Refused(() => _harness.FollowUp(notice, RoundResult.Other, note: "測試"));

        Assert.Equal(NoticeRuleCode.RoundOfUnsentNotice, refusal.Code);
        Assert.False(refusal.IsBadRequest);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
        Assert.Equal(NoticeStatus.Issued, Reload(notice).Status);
    }

    /// <summary>
    /// Hostile finding h10w #18: a notice whose mail bounced for every address could be extended; the extension mail went to
    /// the same dead address saying the organisation had been notified. Refused like the suspension, nothing recorded.
    /// </summary>
    [Fact]
    public void ExecuteAsync_ExtendedAfterTheNoticeBouncedForEveryAddress_IsRefusedNamingTheAddress()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 10));
        var mail = Assert.Single(_harness.Outbound(OutboundKind.Notice));
        _harness.Get<OutboundRepository>().MarkBounced(mail, mail.To, _harness.Time.GetUtcNow(), (_, _) => "退信");

        var refusal = Refused(() => Extended(notice, 20));

        Assert.Equal((NoticeRuleCode.ExtensionOfBouncedNotice, "org1@intake.test"), (refusal.Code, refusal.Value));
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
        Assert.Empty(_harness.Outbound(OutboundKind.Extension));
    }

    [Fact]
    public void ExecuteAsync_SameOtherRoundOnTheNextDay_IsRecorded()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        _harness.FollowUp(notice, RoundResult.Other, note: "補件中");
        _harness.Time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(2, _harness.FollowUp(notice, RoundResult.Other, note: "補件中").Round);
    }

    [Fact]
    public void ExecuteAsync_AtInTheFutureOrBeforeTheNotice_IsRefused()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        RecordFollowUpCommand At(DateTimeOffset at) => new(notice.Reference, RoundResult.Other, "王承辦", null, null, "說明", at);

        var future = Refused(() => _harness.Run(_harness.Get<RecordFollowUp>().ExecuteAsync(At(_harness.Time.GetUtcNow().AddHours(1)), CancellationToken.None)));
        var before = Refused(() => _harness.Run(_harness.Get<RecordFollowUp>().ExecuteAsync(At(notice.IssuedAt.AddDays(-1)), CancellationToken.None)));

        Assert.Equal((NoticeRuleCode.AtInFuture, NoticeRuleCode.AtBeforeNotice), (future.Code, before.Code));
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
    }

    [Fact]
    public void ExecuteAsync_Suspended_QueuesNoticeToOrganisationAndReportToArchivesWithDocuments()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));

        var recorded = _harness.FollowUp(notice, RoundResult.Suspended, suspendFrom: new DateOnly(2027, 1, 5));

        Assert.Equal([OutboundKind.Suspension, OutboundKind.ArchivesReport], recorded.MailsQueued);
        var suspension = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Suspension)));
        Assert.Contains("中華民國116年1月5日", suspension.TextBody);
        Assert.DoesNotContain("您好", suspension.TextBody);
        Assert.Equal("org1@intake.test", suspension.To.Mailboxes.Single().Address);
        var report = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.ArchivesReport)));
        Assert.Equal("archives@intake.test", report.To.Mailboxes.Single().Address);
        Assert.Contains("XC12345678", report.TextBody);
        Assert.Contains("中止日期：中華民國116年1月5日", report.TextBody);
        // The 連線異動表 (.docx and .odt), the notice as sent and the tracking form.
        Assert.Equal(3, report.Attachments.Count(part => part.ContentDisposition?.FileName?.EndsWith(".docx", StringComparison.Ordinal) == true));
        Assert.Equal(1, report.Attachments.Count(part => part.ContentDisposition?.FileName?.EndsWith(".odt", StringComparison.Ordinal) == true));
    }

    [Fact]
    public void ExecuteAsync_SuspendedBeforeTheDeadline_StatesTheRoundsReasonNotAMissedDeadline()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));

        _harness.FollowUp(notice, RoundResult.Suspended, suspendFrom: new DateOnly(2026, 12, 14), note: "因事態嚴重");

        var suspension = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Suspension))).TextBody;
        var report = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.ArchivesReport))).TextBody;
        foreach (var text in new[] { suspension, report })
        {
            Assert.DoesNotContain("未於改善期限內完成改善", text);
            Assert.DoesNotContain("未於改善期限（", text);
            Assert.Contains("因事態嚴重", text);
            Assert.Contains("於改善期限（中華民國115年12月20日）屆至前決定中止交換服務", text);
        }
    }

    /// <summary>
    /// The extension mail tells the organisation its progress too: while its mail is held for staff (two open notices, no
    /// reference), it said 「本中心尚未收到貴單位之回覆」, as the reminder did before h10z P. It says its mail came.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_ExtendedWhileTheOrganisationsMailIsHeld_ExtensionMailSaysItsMailArrived()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        _harness.IssueNotice(new DateOnly(2026, 12, 10));
        await _harness.ReceiveReplyAsync("回覆貴中心來函");
        Assert.Equal(MailKind.Ambiguous, Assert.Single(_harness.Get<MailRepository>().ListToSettle()).Kind);

        Extended(notice, 24);

        var mail = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Extension)));
        Assert.DoesNotContain("尚未收到貴單位之回覆", mail.TextBody);
        Assert.Contains("收到貴單位之來信，正在確認其所屬之限期改善單", mail.TextBody);
    }

    [Fact]
    public void ExecuteAsync_Extended_MailsTheOrganisationTheNewDeadlineWhatIsMissingAndThePhoneStep()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));

        var recorded = Extended(notice, 24);

        Assert.Equal([OutboundKind.Extension], recorded.MailsQueued);
        var mail = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Extension)));
        Assert.Equal("org1@intake.test", mail.To.Mailboxes.Single().Address);
        Assert.Contains("展延至中華民國115年12月24日", mail.Subject);
        Assert.Contains("原改善期限中華民國115年12月10日", mail.TextBody);
        Assert.Contains("本中心尚未收到貴單位之回覆", mail.TextBody);
        Assert.Contains("尚待補充：填寫人姓名", mail.TextBody);
        Assert.Contains("應再以電話確認之", mail.TextBody);
        Assert.Contains("06-2991111#1234", mail.TextBody);
    }

    /// <summary>
    /// h32h R15: after a restore, before the drop folder's processed/ mails were read again, an extension mail told the
    /// organisation no reply came and a suspension was reported to the Archives, while its reply waited there. Every round
    /// is refused until they are read; nothing is recorded or queued.
    /// </summary>
    [Theory]
    [InlineData(RoundResult.Extended)]
    [InlineData(RoundResult.Suspended)]
    [InlineData(RoundResult.Completed)]
    public void ExecuteAsync_BeforeTheReadAgainARestoreLeft_IsRefusedAndRecordsNothing(RoundResult result)
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 20));
        _harness.Get<SweepMarkRepository>().TryMark(StoreBackup.RereadDropFolderMark, null, _harness.Time.GetUtcNow());
        var command = new RecordFollowUpCommand(notice.Reference, result, "王承辦", result == RoundResult.Extended ? new DateOnly(2026, 12, 27) : null,
            result == RoundResult.Suspended ? new DateOnly(2026, 12, 21) : null, "追蹤", null);

        var refusal = Assert.Throws<NoticeRuleException>(() => _harness.Run(_harness.Get<RecordFollowUp>().ExecuteAsync(command, CancellationToken.None)));

        Assert.Equal(NoticeRuleCode.FollowUpRereadPending, refusal.Code);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
        Assert.Empty(_harness.Outbound(OutboundKind.Extension));
        Assert.Empty(_harness.Outbound(OutboundKind.Suspension));
    }

    /// <summary>
    /// h32h R17: completion was taken while the organisation's reply failed on our side; once filed, its receipt said no
    /// phone confirmation was needed. Refused naming the mail; nothing recorded.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_CompletedWhileTheOrganisationsReplyFailsOnOurSide_IsRefusedNamingIt()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 20));
        await _harness.FailingToFileAsync(1, () => _harness.ReceiveReplyAsync($"回覆 {notice.Reference}"));
        var failing = Assert.Single(_harness.Get<MailRepository>().List(MailKind.Received));
        var complete = new RecordFollowUpCommand(notice.Reference, RoundResult.Completed, "王承辦", null, null, null, null);

        var refusal = await Assert.ThrowsAsync<NoticeRuleException>(() => _harness.Get<RecordFollowUp>().ExecuteAsync(complete, CancellationToken.None));

        Assert.Equal(NoticeRuleCode.CompletionWhileMailFailing, refusal.Code);
        Assert.Contains($"郵件 #{failing.MailId}（寄件者 org1@intake.test，", refusal.Value, StringComparison.Ordinal);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
    }

    /// <summary>
    /// h32h R14: the organisation's reply with a mistyped reference, held for staff, did not stop a suspension (only a held
    /// mail naming the notice did). Refused, naming it as held from the registered address.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_SuspendedWhileTheOrganisationsMailIsHeld_RefusedNamingIt()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 20));
        await _harness.ReceiveReplyAsync("回覆 TN-115-0019");
        var held = Assert.Single(_harness.Get<MailRepository>().ListToSettle());
        var suspend = new RecordFollowUpCommand(notice.Reference, RoundResult.Suspended, "王承辦", null, new DateOnly(2026, 12, 21), "事態嚴重", null);

        var refusal = await Assert.ThrowsAsync<NoticeRuleException>(() => _harness.Get<RecordFollowUp>().ExecuteAsync(suspend, CancellationToken.None));

        Assert.Equal(NoticeRuleCode.SuspensionWhileMailHeld, refusal.Code);
        Assert.Contains($"郵件 #{held.MailId}（寄件者 org1@intake.test，", refusal.Value, StringComparison.Ordinal);
        Assert.EndsWith("寄自機關登記之信箱", refusal.Value, StringComparison.Ordinal);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
    }

    /// <summary>
    /// h31h Q8: the organisation's reply, kept raw and recorded, waited on the center's own fault (its filing failing and
    /// retried) while a suspension could be recorded — telling the organisation and the Archives no reply came. Refused
    /// naming the mail; taken when asked on purpose, the timeline keeping that staff knew.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_SuspendedWhileTheOrganisationsReplyFailsOnOurSide_RefusedNamingItUnlessAskedOnPurpose()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 20));
        await _harness.FailingToFileAsync(1, () => _harness.ReceiveReplyAsync("改善回覆"));
        var failing = Assert.Single(_harness.Get<MailRepository>().List(MailKind.Received));
        var suspend = new RecordFollowUpCommand(notice.Reference, RoundResult.Suspended, "王承辦", null, new DateOnly(2026, 12, 21), "事態嚴重", null);

        var refusal = await Assert.ThrowsAsync<NoticeRuleException>(() => _harness.Get<RecordFollowUp>().ExecuteAsync(suspend, CancellationToken.None));

        Assert.Equal(NoticeRuleCode.SuspensionWhileMailFailing, refusal.Code);
        Assert.Contains($"郵件 #{failing.MailId}（寄件者 org1@intake.test，", refusal.Value, StringComparison.Ordinal);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
        var recorded = await _harness.Get<RecordFollowUp>().ExecuteAsync(suspend with { DespiteWaitingMail = true }, CancellationToken.None);
        Assert.Equal(NoticeStatus.Suspended, recorded.Notice.Status);
        Assert.Contains(_harness.Get<TimelineRepository>().List(notice.Id),
            entry => entry.Event == TimelineEvent.FollowUp && entry.Detail!.Contains("處理失敗尚未歸檔，經承辦人員確認仍予中止", StringComparison.Ordinal));
    }

    /// <summary>
    /// Hostile finding h10x F17: a suspension was taken while a mail naming the notice (a colleague's, unregistered) waited
    /// unsettled. Refused naming the mail, nothing recorded; taken when asked on purpose.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_SuspendedWhileAMailNamingTheNoticeIsHeld_RefusedNamingItUnlessAskedOnPurpose()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 20));
        await _harness.ReceiveReplyAsync($"RE: {notice.Reference} 回覆", from: "it@colleague.example.tw");
        var held = Assert.Single(_harness.Get<MailRepository>().ListToSettle());
        var suspend = new RecordFollowUpCommand(notice.Reference, RoundResult.Suspended, "王承辦", null, new DateOnly(2026, 12, 21), "事態嚴重", null);

        var refusal = await Assert.ThrowsAsync<NoticeRuleException>(() => _harness.Get<RecordFollowUp>().ExecuteAsync(suspend, CancellationToken.None));

        Assert.Equal(NoticeRuleCode.SuspensionWhileMailHeld, refusal.Code);
        Assert.Contains($"郵件 #{held.MailId}（寄件者 it@colleague.example.tw，", refusal.Value, StringComparison.Ordinal);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
        var recorded = await _harness.Get<RecordFollowUp>().ExecuteAsync(suspend with { DespiteWaitingMail = true }, CancellationToken.None);
        Assert.Equal(NoticeStatus.Suspended, recorded.Notice.Status);
        Assert.Contains(_harness.Get<TimelineRepository>().List(notice.Id), entry => entry.Event == TimelineEvent.FollowUp
            && entry.Detail != null && entry.Detail.Contains($"記錄時郵件 #{held.MailId}", StringComparison.Ordinal) && entry.Detail.Contains("經承辦人員確認仍予中止", StringComparison.Ordinal));
    }

    /// <summary>
    /// Hostile finding h10x F18: a suspension was taken while the center's own extension mail still waited in the outbox.
    /// Refused naming that mail, nothing recorded; taken when asked on purpose.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_SuspendedWhileTheExtensionMailIsQueued_RefusedNamingItUnlessAskedOnPurpose()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 12));
        Extended(notice, 20);
        Assert.Equal(OutboundStatus.Queued, Assert.Single(_harness.Outbound(OutboundKind.Extension)).Status);
        var suspend = new RecordFollowUpCommand(notice.Reference, RoundResult.Suspended, "王承辦", null, new DateOnly(2026, 12, 21), "不配合", null);

        var refusal = await Assert.ThrowsAsync<NoticeRuleException>(() => _harness.Get<RecordFollowUp>().ExecuteAsync(suspend, CancellationToken.None));

        Assert.Equal((NoticeRuleCode.SuspensionWhileExtensionQueued, "第1次追蹤之展延通知（展延至中華民國115年12月20日）"), (refusal.Code, refusal.Value));
        Assert.Single(_harness.Get<FollowUpRepository>().ListFollowUps(notice.Id));
        _harness.Deliver();
        Assert.Equal(NoticeStatus.Suspended, _harness.FollowUp(notice, RoundResult.Suspended, suspendFrom: new DateOnly(2026, 12, 21)).Notice.Status);
    }

    public void Dispose() => _harness.Dispose();
}
