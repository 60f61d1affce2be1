using MailIntake.Storage;
using MailIntake.Worker.Intake;

namespace MailIntake.Worker.Tests.Intake;

/// <summary>
/// The arrival a mail is recorded with when the mailbox reports one as an IMAP server does (INTERNALDATE, whole seconds):
/// one under a minute old is dated by the recording (finer, never tied with a call made in the same second) — unless the
/// recording falls on a later day in the center's time zone, where that would move the reply past a deadline that ended
/// at midnight.
/// </summary>
public sealed class IntakeProcessorArrivalTests : IDisposable
{
    private static readonly TimeSpan Taipei = TimeSpan.FromHours(8);

    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, Taipei));

    /// <summary>Finding h19a 1: INTERNALDATE 23:59:30 fetched at 00:00:10 was dated the next day.</summary>
    [Fact]
    public async Task IngestAsync_InternalDateJustBeforeLocalMidnightFetchedJustAfter_KeepsTheInternalDate()
    {
        var arrived = new DateTimeOffset(2026, 12, 1, 23, 59, 30, Taipei);
        _harness.Time.SetUtcNow(new DateTimeOffset(2026, 12, 2, 0, 0, 10, Taipei));

        var mailId = await IngestAsync(arrived);

        Assert.Equal(arrived, _harness.Get<MailRepository>().ArrivalOf(mailId));
    }

    [Fact]
    public async Task IngestAsync_InternalDateUnderAMinuteOldOnTheSameLocalDay_IsDatedByTheRecording()
    {
        var now = new DateTimeOffset(2026, 12, 1, 10, 0, 10, 250, Taipei);
        _harness.Time.SetUtcNow(now);

        var mailId = await IngestAsync(new DateTimeOffset(2026, 12, 1, 10, 0, 5, Taipei));

        Assert.Equal(now, _harness.Get<MailRepository>().ArrivalOf(mailId));
    }

    /// <summary>The day is the center's (Asia/Taipei): UTC's midnight is 08:00 there, the same day on both sides.</summary>
    [Fact]
    public async Task IngestAsync_InternalDateJustBeforeUtcMidnightFetchedJustAfter_SameLocalDay_IsDatedByTheRecording()
    {
        var now = new DateTimeOffset(2026, 12, 2, 0, 0, 10, TimeSpan.Zero);
        _harness.Time.SetUtcNow(now);

        var mailId = await IngestAsync(new DateTimeOffset(2026, 12, 1, 23, 59, 30, TimeSpan.Zero));

        Assert.Equal(now, _harness.Get<MailRepository>().ArrivalOf(mailId));
    }

    private async Task<long> IngestAsync(DateTimeOffset internalDate)
    {
        using var raw = TestMail.Serialize(TestMail.Reply("回覆：處理情形", []));
        var result = await _harness.Get<IntakeProcessor>().IngestAsync(raw, "imap:INBOX", checkpoint: null, CancellationToken.None, reportedArrival: internalDate);
        Assert.True(result.IsNew);
        return result.MailId;
    }

    public void Dispose() => _harness.Dispose();
}
