namespace MailIntake.Storage.Tests;

public sealed class MailRepositoryTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly MailRepository _mails;

    public MailRepositoryTests() => _mails = new MailRepository(_temp.Database);

    private static ReceivedMail Mail(string? messageId, string sha) =>
        new(messageId, new StoredFile($"raw/{sha[..2]}/{sha}.eml", sha, 100), "test", TempDatabase.Now);

    [Fact]
    public void Record_SameMessageIdTwice_RecordsOnce()
    {
        var first = _mails.Record(Mail("a@x", new string('a', 64)), checkpoint: null);
        var second = _mails.Record(Mail("a@x", new string('b', 64)), checkpoint: null);

        Assert.True(first.IsNew);
        Assert.False(second.IsNew);
        Assert.Equal(first.MailId, second.MailId);
        Assert.Equal(1, _mails.Count());
    }

    [Fact]
    public void Record_SameMessageIdSameBodyOtherHeaders_RecordsOnce()
    {
        var first = _mails.Record(Mail("s@x", new string('1', 64)) with { BodySha256 = "body" }, checkpoint: null);
        var relayed = _mails.Record(Mail("s@x", new string('2', 64)) with { BodySha256 = "body" }, checkpoint: null);

        Assert.False(relayed.IsNew);
        Assert.Equal(first.MailId, relayed.MailId);
        Assert.Empty(_mails.Get(first.MailId)!.Flags);
    }

    [Fact]
    public void Record_SameMessageIdOtherBody_RecordsBothSecondFlaggedMessageIdReused()
    {
        var first = _mails.Record(Mail("r@x", new string('3', 64)) with { BodySha256 = "scan-1" }, checkpoint: null);
        var reused = _mails.Record(Mail("r@x", new string('4', 64)) with { BodySha256 = "scan-2" }, checkpoint: null);

        Assert.True(reused.IsNew);
        Assert.Empty(_mails.Get(first.MailId)!.Flags);
        Assert.Equal([MailFlag.MessageIdReused], _mails.Get(reused.MailId)!.Flags);
    }

    [Fact]
    public void RecordFailure_FifthAttempt_IsFailedAndStillListedForRetry()
    {
        var mail = _mails.Record(Mail("f@x", new string('5', 64)), checkpoint: null);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            Assert.Equal(MailKind.Received, _mails.Get(mail.MailId)!.Kind);
            _mails.RecordFailure(mail.MailId, "IOException", $"attempt {attempt}", TempDatabase.Now.AddHours(1), failedAfter: 5);
        }

        Assert.Equal(MailKind.Failed, _mails.Get(mail.MailId)!.Kind);
        Assert.Equal(5, _mails.Attempts(mail.MailId));
        Assert.Empty(_mails.ListUnprocessed(TempDatabase.Now));
        Assert.Single(_mails.ListUnprocessed(TempDatabase.Now.AddHours(1)));
        Assert.Single(_mails.ListUnprocessed());
    }

    [Fact]
    public void ListUnprocessed_RetryStampedByAClockThatWasAhead_IsDueAtOnce()
    {
        var ahead = _mails.Record(Mail("a@x", new string('6', 64)), checkpoint: null);
        var waiting = _mails.Record(Mail("w@x", new string('7', 64)), checkpoint: null);
        // A failure while the clock was 30 days ahead (a bad NTP step), the clock since set right; and an ordinary one.
        _mails.RecordFailure(ahead.MailId, "IOException", "ahead", TempDatabase.Now.AddDays(30), failedAfter: 5);
        _mails.RecordFailure(waiting.MailId, "IOException", "waiting", TempDatabase.Now.AddMinutes(30), failedAfter: 5);

        var due = _mails.ListUnprocessed(TempDatabase.Now, longestBackoff: TimeSpan.FromHours(1));

        Assert.Equal([ahead.MailId], due.Select(mail => mail.MailId));
    }

    [Fact]
    public void Record_NoMessageIdSameHash_RecordsOnce()
    {
        _mails.Record(Mail(null, new string('c', 64)), checkpoint: null);
        var again = _mails.Record(Mail(null, new string('c', 64)), checkpoint: null);

        Assert.False(again.IsNew);
        Assert.Equal(1, _mails.Count());
    }

    [Fact]
    public void Record_NoMessageIdDifferentHashes_RecordsBoth()
    {
        _mails.Record(Mail(null, new string('d', 64)), checkpoint: null);
        var other = _mails.Record(Mail(null, new string('e', 64)), checkpoint: null);

        Assert.True(other.IsNew);
        Assert.Equal(2, _mails.Count());
    }

    [Fact]
    public void Record_WithCheckpoint_MovesCheckpointInSameCallEvenForDuplicate()
    {
        var checkpoints = new CheckpointRepository(_temp.Database);
        _mails.Record(Mail("a@x", new string('a', 64)), new MailboxCheckpoint("imap://box", 7, 10));
        _mails.Record(Mail("a@x", new string('a', 64)), new MailboxCheckpoint("imap://box", 7, 11));

        Assert.Equal(new MailboxCheckpoint("imap://box", 7, 11), checkpoints.Get("imap://box"));
    }

    [Fact]
    public void Record_Group_RecordsEachInOrderOnceAndMovesTheCheckpointWithThem()
    {
        var checkpoints = new CheckpointRepository(_temp.Database);
        var results = _mails.Record(
            [Mail("g1@x", new string('1', 64)), Mail("g2@x", new string('2', 64)), Mail("g1@x", new string('1', 64))],
            new MailboxCheckpoint("imap://box", 7, 30));

        Assert.Equal([true, true, false], results.Select(result => result.IsNew));
        Assert.Equal(results[0].MailId, results[2].MailId);
        Assert.True(results[0].MailId < results[1].MailId);
        Assert.Equal(2, _mails.Count());
        Assert.Equal(new MailboxCheckpoint("imap://box", 7, 30), checkpoints.Get("imap://box"));
    }

    [Fact]
    public void Record_NewMail_IsUnprocessedUntilCompleted()
    {
        var recorded = _mails.Record(Mail("a@x", new string('a', 64)), checkpoint: null);
        Assert.Single(_mails.ListUnprocessed());
        Assert.Equal(1, _mails.CountByKind(MailKind.Received));

        _mails.Complete(recorded.MailId, new MailOutcome(MailKind.Unmatched, "x@y", "s", null, "reason"), [], TempDatabase.Now);

        Assert.Empty(_mails.ListUnprocessed());
        Assert.Equal((0, 1), (_mails.CountByKind(MailKind.Received), _mails.CountByKind(MailKind.Ambiguous, MailKind.Unmatched)));
        var listed = Assert.Single(_mails.List(MailKind.Unmatched));
        Assert.Equal("reason", listed.Reason);
    }

    public void Dispose() => _temp.Dispose();
}
