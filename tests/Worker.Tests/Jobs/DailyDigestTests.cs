using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Tests.Jobs;

public sealed class DailyDigestTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.FromHours(8)));

    private DailyDigest Digest => _harness.Services.GetServices<ISweeper>().OfType<DailyDigest>().Single();

    /// <summary>The digest job of a process whose clock reads <paramref name="ahead"/> (a clock set wrong, corrected later).</summary>
    private DailyDigest AheadDigest(DateTimeOffset ahead)
    {
        var services = _harness.Services;
        TimeProvider time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(ahead);
        var clock = ActivatorUtilities.CreateInstance<CenterClock>(services, time);
        return ActivatorUtilities.CreateInstance<DailyDigest>(services, clock,
            ActivatorUtilities.CreateInstance<DigestQuery>(services, clock),
            ActivatorUtilities.CreateInstance<MailIntake.Worker.Outbound.OutboxWriter>(services, time));
    }

    private async Task<int> RunAsync()
    {
        await Digest.RunAsync(CancellationToken.None);
        return _harness.Outbound(OutboundKind.Digest).Count;
    }

    /// <summary>
    /// Hostile finding h10u J: a digest that waited in the outbox for hours (the mail server away) went out with the
    /// counts of 08:30 as if they were now. Late by more than a quarter of an hour it is headed by when it was written and
    /// when sent; on time it is not.
    /// </summary>
    [Fact]
    public async Task Deliver_DigestThatWaitedHours_IsHeadedByWhenItWasWrittenAndWhenSent()
    {
        _harness.SetLocal(2026, 12, 1, 8, 30);
        await RunAsync();
        _harness.SetLocal(2026, 12, 1, 11, 5);
        _harness.Deliver();

        var late = _harness.Rendered(Assert.Single(_harness.Outbound(OutboundKind.Digest)));
        Assert.StartsWith("【延遲寄出】本郵件於中華民國115年12月1日 08:30寫成，因本中心郵件系統延誤，至中華民國115年12月1日 11:05始寄出", late.TextBody, StringComparison.Ordinal);
        Assert.Contains("限期改善單每日摘要", late.TextBody, StringComparison.Ordinal);
        Assert.Contains("至中華民國115年12月1日 11:05始寄出", late.HtmlBody, StringComparison.Ordinal);

        _harness.SetLocal(2026, 12, 2, 8, 30);
        await RunAsync();
        _harness.SetLocal(2026, 12, 2, 8, 31);
        _harness.Deliver();
        var onTime = _harness.Rendered(_harness.Outbound(OutboundKind.Digest)[^1]);
        Assert.StartsWith("限期改善單每日摘要", onTime.TextBody, StringComparison.Ordinal);
    }

    /// <summary>
    /// h33h S3: while the drop folder's processed/ waited to be read again after a restore, the digest listed a notice
    /// 「已逾期・未收到回覆」 whose reply lay there. It waits, says why, and goes once the re-read is done that day.
    /// </summary>
    [Fact]
    public async Task RunAsync_BeforeTheReadAgainARestoreLeft_WaitsAndSaysWhy_ThenSends()
    {
        _harness.SetLocal(2026, 12, 1, 8, 30);
        var marks = _harness.Get<SweepMarkRepository>();
        marks.TryMark(StoreBackup.RereadDropFolderMark, null, _harness.Time.GetUtcNow());

        var said = await Digest.RunAsync(CancellationToken.None);

        Assert.Contains("本次暫緩", said, StringComparison.Ordinal);
        Assert.Empty(_harness.Outbound(OutboundKind.Digest));
        marks.Remove(StoreBackup.RereadDropFolderMark);
        Assert.Equal(1, await RunAsync());
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

    [Fact]
    public async Task Gather_OverdueNoticeNamedByAHeldMail_TheNoReplyRowNamesThatMail()
    {
        // A colleague's reply from an address the organisation never registered is held as 比對不明: the row
        // 「已逾期・未收到回覆」 must not read as if nothing came (the reminder and the 【逾期】 note already name it).
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 4));
        _harness.SetLocal(2026, 12, 3, 14, 5);
        await _harness.ReceiveReplyAsync($"RE: 【限期改善單】{notice.Reference} 回覆", from: "it@colleague.example.tw");
        var held = Assert.Single(_harness.Get<MailRepository>().ListToSettle());
        _harness.SetLocal(2026, 12, 8, 9, 0);

        var text = DigestText.PlainText(Digest.Gather(), WorkerHarness.Taipei);

        Assert.Contains(Digest.Gather().Overdue, overdue => overdue.Id == notice.Id);
        Assert.Contains($"郵件 #{held.MailId}（寄件者 it@colleague.example.tw，中華民國115年12月3日 14:05收到）之主旨載有本單編號，可能為機關之回覆", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gather_ExtendedNoticeWithAReplyPastItsOldDeadline_IsNeverUnderNoReplyAndStillAwaitsItsCall()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 2));
        _harness.SetLocal(2026, 12, 1, 9, 0);
        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");
        _harness.SetLocal(2026, 12, 3, 10, 0);
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 7));
        _harness.SetLocal(2026, 12, 9, 9, 0);

        var view = Digest.Gather();

        Assert.DoesNotContain(view.Overdue, overdue => overdue.Id == notice.Id);
        Assert.Contains(view.AwaitingPhone, duty => duty.Notice.Id == notice.Id);
        Assert.Contains(view.Open, open => open.Id == notice.Id && open.Deadline == new DateOnly(2026, 12, 7));
        var text = DigestText.PlainText(view, WorkerHarness.Taipei);
        var noReply = text[text.IndexOf("■ 已逾期・未收到回覆", StringComparison.Ordinal)..];
        noReply = noReply[..noReply.IndexOf("■", 2, StringComparison.Ordinal)];
        Assert.DoesNotContain(notice.Reference, noReply);
        Assert.Contains("目前改善期限", text);
    }

    /// <summary>h10x #14: the subject and header said 逾期 0 while a replied notice was past its (extended) deadline.</summary>
    [Fact]
    public async Task RunAsync_RepliedNoticePastItsDeadline_CountsItAsOverdueButNotUnderNoReply()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 2));
        _harness.SetLocal(2026, 12, 1, 9, 0);
        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");
        _harness.SetLocal(2026, 12, 4, 9, 0);

        await RunAsync();

        var digest = _harness.Rendered(_harness.Outbound(OutboundKind.Digest).Single());
        Assert.EndsWith("逾期 1", digest.Subject, StringComparison.Ordinal);
        Assert.Contains("已逾期 1", digest.TextBody);
        Assert.Contains("逾期未回覆 0", digest.TextBody);
        Assert.Contains("沒有逾期而未收到回覆之限期改善單", digest.TextBody);
        Assert.DoesNotContain("沒有逾期的限期改善單", digest.TextBody);
    }

    /// <summary>h10x #19: a notice with a partial reply due in two working days was in no urgent section.</summary>
    [Fact]
    public async Task Gather_PartlyAnsweredNoticeDueInTwoWorkingDays_IsDueSoon()
    {
        var partial = _harness.IssueNotice(new DateOnly(2026, 12, 3));
        _harness.SetLocal(2026, 12, 1, 9, 0);
        await _harness.ReceiveReplyAsync($"回覆 {partial.Reference}");

        var view = Digest.Gather();

        Assert.Equal(NoticeStatus.Replied, _harness.Get<NoticeRepository>().Get(partial.Id)!.Status);
        Assert.Contains(view.DueSoon, due => due.Id == partial.Id);
    }

    [Fact]
    public async Task Gather_UnmatchedMailDaysOld_StaysUntilDismissed()
    {
        await _harness.ReceiveReplyAsync("廣告", from: "spam@spam.example", body: "買一送一");
        var mail = Assert.Single(_harness.Get<MailRepository>().List(MailKind.Unmatched));
        _harness.SetLocal(2026, 12, 8, 9, 0);

        Assert.Contains(Digest.Gather().MailsToSettle, listed => listed.MailId == mail.MailId);
        _harness.Run(_harness.Get<DismissMail>().ExecuteAsync(new DismissMailCommand(mail.MailId, "王承辦", "廣告信"), CancellationToken.None));

        Assert.DoesNotContain(Digest.Gather().MailsToSettle, listed => listed.MailId == mail.MailId);
        Assert.True(_harness.Get<MailRepository>().Get(mail.MailId)!.Settled);
        Assert.Equal(0, _harness.Get<HealthQuery>().Get().MailsToSettle);
    }

    [Fact]
    public async Task Gather_AfterADigestQueuedByAFutureAsOfRun_NewRepliesCountSinceTheRealLastDigest()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        _harness.SetLocal(2026, 12, 1, 8, 30);
        await RunAsync();
        // A `jobs run digest --as-of` a week ahead leaves a digest row dated then.
        using (var connection = _harness.Get<Database>().Open())
        {
            Dapper.SqlMapper.Execute(connection, "UPDATE outbound SET created_at = '2026-12-08T00:30:00.0000000Z'");
        }

        _harness.SetLocal(2026, 12, 1, 12, 0);
        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");
        _harness.SetLocal(2026, 12, 2, 8, 30);

        Assert.Single(Digest.Gather().NewReplies);
    }

    /// <summary>
    /// Hostile finding h11z J: a digest queued while the clock was a day ahead swallowed that real day's digest, and the
    /// replies filed after the clock was corrected were reported in no digest's 新回覆.
    /// </summary>
    [Fact]
    public async Task RunAsync_AfterADigestQueuedWhileTheClockWasADayAhead_SendsThatDaysDigestWithTheRepliesBetween()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        _harness.SetLocal(2026, 12, 2, 8, 30);
        await RunAsync();
        await AheadDigest(new DateTimeOffset(2026, 12, 3, 14, 17, 0, TimeSpan.FromHours(8))).RunAsync(CancellationToken.None);
        _harness.SetLocal(2026, 12, 2, 14, 20);
        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");
        _harness.SetLocal(2026, 12, 3, 8, 31);

        Assert.Equal(3, await RunAsync());
        var latest = _harness.Rendered(_harness.Outbound(OutboundKind.Digest).MaxBy(mail => mail.Id)!);
        Assert.Contains("新回覆 1", latest.Subject, StringComparison.Ordinal);
        _harness.SetLocal(2026, 12, 3, 16, 0);
        Assert.Equal(3, await RunAsync());
    }

    [Fact]
    public async Task Gather_NewReplyToANoticeClosedBeforeTheLastDigest_ListsTheReplyWithItsClosedNoticeOutsideTheOpenOnes()
    {
        var closed = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        var open = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        _harness.FollowUp(closed, RoundResult.Completed);
        _harness.SetLocal(2026, 12, 1, 8, 30);
        await RunAsync();

        _harness.SetLocal(2026, 12, 1, 12, 0);
        await _harness.ReceiveReplyAsync($"回覆 {closed.Reference}");
        _harness.SetLocal(2026, 12, 2, 8, 30);
        var view = Digest.Gather();

        var entry = Assert.Single(view.NewReplies);
        Assert.Equal((closed.Id, NoticeStatus.Completed), (entry.Notice.Id, entry.Notice.Status));
        Assert.Equal([open.Id], view.Open.Select(notice => notice.Id));
    }

    [Fact]
    public async Task Gather_FirstDigestEver_ListsEveryReplyFiledWhateverItsAge()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 18));
        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");
        _harness.SetLocal(2026, 12, 21, 8, 35);

        Assert.Single(Digest.Gather().NewReplies);
        await RunAsync();

        var text = _harness.Rendered(_harness.Outbound(OutboundKind.Digest).Single()).TextBody;
        Assert.Contains("新回覆・首次摘要，列出全部回覆（1）", text);
        Assert.Contains(notice.Reference, text);
    }

    [Fact]
    public async Task Gather_ReplyFiledButNoRoundAfterTheDeadline_ListsTheNoticeAsFollowUpDue()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 18));
        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");
        _harness.SetLocal(2026, 12, 21, 8, 35);

        var view = Digest.Gather();

        Assert.Contains(view.FollowUpsDue, entry => entry.Notice.Id == notice.Id && entry.Rounds == 0);
        Assert.DoesNotContain(view.Overdue, overdue => overdue.Id == notice.Id);
    }

    [Fact]
    public async Task RunAsync_MailsToSettle_SayWhatIsWrongInWordsWithNoCommandAndNoParserMessage()
    {
        _harness.IssueNotice(new DateOnly(2026, 12, 10));
        _harness.IssueNotice(new DateOnly(2026, 12, 11));
        await _harness.ReceiveReplyAsync("補件 XC12345678", from: "clerk@unknown.example", body: "如附件");
        using (var raw = new MemoryStream("From: x@y.example\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\nSubject: cut\r\n\r\n--b\r\nContent-Type: text/plain\r\n"u8.ToArray()))
        {
            await _harness.Get<MailIntake.Worker.Intake.IntakeProcessor>().IngestAsync(raw, "test", checkpoint: null, CancellationToken.None);
        }

        _harness.SetLocal(2026, 12, 1, 9, 0);
        await RunAsync();

        var digest = _harness.Rendered(_harness.Outbound(OutboundKind.Digest).Single());
        foreach (var body in new[] { digest.TextBody ?? "", System.Net.WebUtility.HtmlDecode(digest.HtmlBody ?? "") })
        {
            Assert.Contains("有多件未結案之限期改善單", body);
            Assert.DoesNotContain("mail assign", body);
            Assert.DoesNotContain("Failed to parse", body);
            Assert.DoesNotContain("End of stream", body);
            Assert.DoesNotMatch("[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", body.Replace("MailIntake", ""));
        }
    }

    public void Dispose() => _harness.Dispose();
}
