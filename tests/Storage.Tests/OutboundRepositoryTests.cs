namespace MailIntake.Storage.Tests;

public sealed class OutboundRepositoryTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    /// <summary>The round an extension mail announces is kept in its own column, not read back from its idempotency key.</summary>
    [Fact]
    public void Queue_ExtensionWithItsRound_ListsItWithThatRoundWhateverItsKey()
    {
        _temp.AddOrganisation();
        var notice = _temp.AddNotice();
        using (var session = _temp.Database.Begin())
        {
            OutboundRepository.Queue(session, new NewOutboundMail(OutboundKind.Extension, notice.Id, ["a@example.tw"], "【展延通知】", "any-key-without-a-round", "m1@intake.test", "outbound/a.eml")
            {
                FollowUpRound = 2,
            }, TempDatabase.Now, timelineDetail: null);
            OutboundRepository.Queue(session, new NewOutboundMail(OutboundKind.Receipt, notice.Id, ["a@example.tw"], "收件回執", "receipt:1", "m2@intake.test", "outbound/b.eml"),
                TempDatabase.Now, timelineDetail: null);
            session.Commit();
        }

        var mails = new OutboundRepository(_temp.Database).ListForNotice(notice.Id);
        Assert.Equal(2, Assert.Single(mails, mail => mail.Kind == OutboundKind.Extension).FollowUpRound);
        Assert.Null(Assert.Single(mails, mail => mail.Kind == OutboundKind.Receipt).FollowUpRound);
    }

    public void Dispose() => _temp.Dispose();
}
