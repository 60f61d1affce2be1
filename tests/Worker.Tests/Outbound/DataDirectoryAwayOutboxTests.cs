using MailIntake.Storage;

namespace MailIntake.Worker.Tests.Outbound;

/// <summary>No other test beside it: every database connection it has must survive the move (another test's disposal clears the pools).</summary>
[CollectionDefinition(nameof(DataDirectoryAwayOutboxTests), DisableParallelization = true)]
public sealed class DataDirectoryAwayCollection;

/// <summary>The outbox sender with its DataDirectory moved away: a mail kept, not given up as lost.</summary>
[Collection(nameof(DataDirectoryAwayOutboxTests))]
public sealed class DataDirectoryAwayOutboxTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    /// <summary>
    /// Hostile finding h11y N11: with the DataDirectory moved away under the worker, a queued receipt was given up as
    /// 「待寄郵件檔遺失…請由備份還原」 although its file was in the moved folder. It stays queued, the error says where
    /// the store went, and it is sent once the store is back.
    /// </summary>
    [Fact]
    public void SendDue_DataDirectoryMovedAway_KeepsTheMailQueuedSayingSoAndSendsItOnceBack()
    {
        _harness.IssueNotice(new DateOnly(2026, 12, 20), send: true);
        var data = Path.Combine(_harness.Folder, "data");
        Directory.Move(data, data + ".moved");

        var away = _harness.Deliver();

        Directory.Move(data + ".moved", data);
        Assert.Equal(0, away.GivenUp);
        var queued = Assert.Single(_harness.Outbound(OutboundKind.Notice));
        Assert.Contains("已不在原處", queued.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("遺失", queued.LastError, StringComparison.Ordinal);

        _harness.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, _harness.Deliver().Sent);
    }

    public void Dispose() => _harness.Dispose();
}
