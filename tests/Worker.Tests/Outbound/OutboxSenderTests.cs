using MailIntake.Storage;

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

        _harness.Deliver();

        Assert.Empty(_harness.Outbound(OutboundKind.Notice));
        var mail = Assert.Single(_harness.Get<OutboundRepository>().ListByStatus(OutboundStatus.Failed));
        Assert.Equal(1, mail.Attempts);
        Assert.Contains("待寄郵件檔遺失", mail.LastError, StringComparison.Ordinal);
        Assert.Null(_harness.Get<HealthRepository>().Get(HealthRepository.Send)?.FailingSince);
    }

    public void Dispose() => _harness.Dispose();
}
