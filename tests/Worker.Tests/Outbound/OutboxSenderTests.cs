using MailIntake.Storage;
using MailIntake.Worker.Jobs;
using MailIntake.Worker.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MailIntake.Worker.Tests.Outbound;

/// <summary>The outbox sender: a queued mail whose message file is lost is given up at once with what to do, not retried for hours.</summary>
public sealed class OutboxSenderTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    [Fact]
    public void SendDue_QueuedMailWhoseMessageFileIsLost_FailedAtOnceInZhTwAndSendingNotCalledFailing()
    {
        _harness.IssueNotice(new DateOnly(2026, 12, 20), send: true);
        var queued = Assert.Single(_harness.Outbound(OutboundKind.Notice));
        File.Delete(Path.Combine(_harness.Folder, "data", queued.MimePath));

        var result = _harness.Deliver();

        // What `run --once` and the outbox job print: given up, not 「稍後重試」 (h11x F10).
        Assert.Equal("，1 封寄送失敗且已停止重試（見 status）", result.FailuresText);
        Assert.Empty(_harness.Outbound(OutboundKind.Notice));
        var mail = Assert.Single(_harness.Get<OutboundRepository>().ListByStatus(OutboundStatus.Failed));
        Assert.Equal(1, mail.Attempts);
        Assert.Contains("待寄郵件檔遺失", mail.LastError, StringComparison.Ordinal);
        Assert.Null(_harness.Get<HealthRepository>().Get(HealthRepository.Send)?.FailingSince);
    }

    /// <summary>
    /// Hostile finding h11y N6: a pickup folder that cannot be made because a component of its path is a file threw
    /// DirectoryNotFoundException from the transport, taken for the outbox file lost: the notice was given up at once as
    /// 「待寄郵件檔遺失…請由備份還原此檔」 though its file was there, sending read 正常, and it never went out. The error is
    /// now named for what it is, the mail stays queued and goes out once the path is fixed.
    /// </summary>
    [Fact]
    public void SendDue_PickupFolderBehindAFile_NamedTruthfullyKeptQueuedSendingFailingAndSentOnceThePathIsFixed()
    {
        var harness = new WorkerHarness(_harness.Time.GetUtcNow(), new Dictionary<string, string?>
        {
            ["MailIntake:Smtp:PickupFolder"] = Path.Combine(_harness.Folder, "afile", "pickup"),
        });
        using var _ = harness;
        // A file where the path needs a folder, appearing after start (start-up validation refuses one already there).
        var file = Path.Combine(_harness.Folder, "afile");
        File.WriteAllText(file, "not a folder");
        harness.IssueNotice(new DateOnly(2026, 12, 20), send: true);

        var result = harness.Deliver();

        Assert.Equal("，1 封寄送失敗（稍後重試）", result.FailuresText);
        var queued = Assert.Single(harness.Get<OutboundRepository>().ListByStatus(OutboundStatus.Queued));
        Assert.True(queued.LastError is { } error && error.StartsWith("檔案或資料夾無法使用：", StringComparison.Ordinal)
            && error.Contains($"{file} 是檔案，不是資料夾", StringComparison.Ordinal) && !error.Contains("遺失", StringComparison.Ordinal), queued.LastError);
        Assert.NotNull(harness.Get<HealthRepository>().Get(HealthRepository.Send)?.FailingSince);

        File.Delete(file);
        harness.Time.Advance(TimeSpan.FromMinutes(2)); // past the first backoff
        var retried = harness.Deliver();

        Assert.Equal(1, retried.Sent);
        Assert.Single(Directory.GetFiles(Path.Combine(file, "pickup"), "*.eml"));
    }

    /// <summary>
    /// Hostile finding h10x F12: a mail held in the outbox (the mail server down) and sent hours later as written kept the
    /// Date of when it was queued, so a mail client sorted it before mails sent earlier that refer to it. Its Date is
    /// when it leaves.
    /// </summary>
    [Fact]
    public void SendDue_MailHeldInTheOutboxForHours_CarriesTheTimeItLeavesAsItsDate()
    {
        _harness.IssueNotice(new DateOnly(2026, 12, 20), send: true);
        _harness.Time.Advance(TimeSpan.FromHours(5));

        Assert.Equal(1, _harness.Deliver().Sent);

        var sent = MimeKit.MimeMessage.Load(Assert.Single(Directory.GetFiles(Path.Combine(_harness.Folder, "sent"), "*.eml")));
        Assert.Equal(_harness.Time.GetUtcNow(), sent.Date.ToUniversalTime(), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void SendDue_PreviewRunAWeekAhead_RecordsTheMailSentAtTheRealClock()
    {
        _harness.IssueNotice(new DateOnly(2026, 12, 20), send: true);
        var weekAhead = new FakeTimeProvider(_harness.Time.GetUtcNow().AddDays(7));
        var check = ActivatorUtilities.CreateInstance<QueuedMailCheck>(_harness.Services, weekAhead);
        Func<IMailTransport> pickup = () => new FolderMailTransport(Path.Combine(_harness.Folder, "sent"));
        var preview = ActivatorUtilities.CreateInstance<OutboxSender>(_harness.Services, check, pickup, Polly.ResiliencePipeline.Empty, weekAhead, new JobRun(Preview: true, _harness.Time));

        var result = _harness.Run(preview.SendDueAsync(CancellationToken.None));

        Assert.Equal(1, result.Sent);
        var notice = Assert.Single(_harness.Get<OutboundRepository>().ListByStatus(OutboundStatus.Sent));
        // A notice stamped sent a week from now would skip the reminders due before then.
        Assert.Equal(_harness.Time.GetUtcNow(), notice.SentAt);
    }

    /// <summary>
    /// Hostile finding h19h H2: a send that failed while the clock was six days ahead (a bad NTP step) stamped its next
    /// attempt six days ahead; once the clock was set right the mail (the organisation's extension notice) waited those
    /// six days. The backoff is at most an hour: a next attempt stamped further ahead than that is due at once.
    /// </summary>
    [Fact]
    public void SendDue_RetryStampedByAClockSixDaysAhead_IsSentAtOnceWhenTheClockIsRight()
    {
        var right = _harness.Time.GetUtcNow();
        var harness = new WorkerHarness(right.AddDays(6), new Dictionary<string, string?>
        {
            ["MailIntake:Smtp:PickupFolder"] = Path.Combine(_harness.Folder, "afile", "pickup"),
        });
        using var _ = harness;
        var file = Path.Combine(_harness.Folder, "afile");
        File.WriteAllText(file, "not a folder");
        harness.IssueNotice(new DateOnly(2026, 12, 20), send: true);
        Assert.Equal(1, harness.Deliver().Failed);
        File.Delete(file);

        var result = harness.Run(SenderAt(harness, new FakeTimeProvider(right), Path.Combine(file, "pickup")).SendDueAsync(CancellationToken.None));

        Assert.Equal(1, result.Sent);
        Assert.Single(Directory.GetFiles(Path.Combine(file, "pickup"), "*.eml"));
    }

    /// <summary>
    /// h19h H2, the claim: a sender that claimed a mail while the clock was six days ahead and died before sending left a
    /// lease six days ahead; a claim lasts minutes, so one stamped further ahead than the longest backoff holds nothing.
    /// A claim made now by the right clock still keeps another sender off.
    /// </summary>
    [Fact]
    public void SendDue_ClaimStampedByAClockSixDaysAhead_DoesNotHoldTheMail_AFreshClaimStillDoes()
    {
        _harness.IssueNotice(new DateOnly(2026, 12, 20), send: true);
        var outbox = _harness.Get<OutboundRepository>();
        var queued = Assert.Single(_harness.Outbound(OutboundKind.Notice));
        var ahead = _harness.Time.GetUtcNow().AddDays(6);
        Assert.True(outbox.TryClaim(queued, ahead, ahead.AddMinutes(10)));

        Assert.Equal(1, _harness.Deliver().Sent);

        _harness.IssueNotice(new DateOnly(2026, 12, 21), send: true);
        var fresh = Assert.Single(_harness.Outbound(OutboundKind.Notice), mail => mail.Status == OutboundStatus.Queued);
        var now = _harness.Time.GetUtcNow();
        Assert.True(outbox.TryClaim(fresh, now, now.AddMinutes(10)));
        Assert.Equal(0, _harness.Deliver().Sent);
    }

    /// <summary>
    /// h11x F7: a sender killed mid-send (kill -9 of the worker, a jobs run outbox) left its claimed mails waiting out the
    /// ten-minute lease, a receipt among them. A claim whose process no longer runs holds nothing at the next pass; one
    /// whose claimant runs still does, and a failure's backoff is kept whoever claimed it.
    /// </summary>
    [Fact]
    public async Task SendDue_MailClaimedByASenderThatNoLongerRuns_SentAtTheNextPass_BackoffAndLiveClaimsKept()
    {
        var outbox = _harness.Get<OutboundRepository>();
        var now = _harness.Time.GetUtcNow();
        using var sender = System.Diagnostics.Process.Start("sleep", ["600"])!;
        var killed = ProcessIdentity.Of(sender.Id)!;
        _harness.IssueNotice(new DateOnly(2026, 12, 20), send: true);
        var claimed = Assert.Single(_harness.Outbound(OutboundKind.Notice));
        Assert.True(outbox.TryClaim(claimed, now, now.AddMinutes(10), claimant: killed));
        _harness.IssueNotice(new DateOnly(2026, 12, 21), send: true);
        var failing = Assert.Single(_harness.Outbound(OutboundKind.Notice), mail => mail.Id != claimed.Id);
        Assert.True(outbox.TryClaim(failing, now, now.AddMinutes(10), claimant: killed));
        outbox.MarkAttemptFailed(failing, "421 try later", now.AddMinutes(5), giveUp: false, now, "");

        Assert.Equal(0, _harness.Deliver().Sent);

        sender.Kill();
        await sender.WaitForExitAsync();

        Assert.Equal(1, _harness.Deliver().Sent);
        Assert.Equal(OutboundStatus.Sent, outbox.ListByStatus(OutboundStatus.Sent).Single().Status);
        Assert.Equal(claimed.Id, outbox.ListByStatus(OutboundStatus.Sent).Single().Id);
        Assert.Equal(failing.Id, Assert.Single(outbox.ListByStatus(OutboundStatus.Queued)).Id);
    }

    private static OutboxSender SenderAt(WorkerHarness harness, FakeTimeProvider clock, string pickupFolder) =>
        ActivatorUtilities.CreateInstance<OutboxSender>(harness.Services,
            ActivatorUtilities.CreateInstance<QueuedMailCheck>(harness.Services, clock),
            (Func<IMailTransport>)(() => new FolderMailTransport(pickupFolder)),
            Polly.ResiliencePipeline.Empty, clock, new JobRun(Preview: false, clock));

    public void Dispose() => _harness.Dispose();
}
