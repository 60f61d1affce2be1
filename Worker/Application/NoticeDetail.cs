using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>
/// One notice with everything that happened to it, and what derives from that (what is missing, which replies still
/// await a call, who filled the form in). `notice show` text and JSON, mails and exports render this one view.
/// </summary>
public sealed record NoticeDetail(
    Notice Notice,
    IReadOnlyList<OutboundMail> Outbound,
    IReadOnlyList<Reply> Replies,
    IReadOnlyList<PhoneConfirmation> Calls,
    IReadOnlyList<FollowUp> Rounds,
    IReadOnlyList<TimelineEntry> Timeline)
{
    public IReadOnlyList<string> Missing => ReplyCompleteness.Missing(Notice, Replies);

    /// <summary>Email replies no call has confirmed.</summary>
    public IReadOnlyList<Reply> Unconfirmed => ReplyCompleteness.AwaitingPhone(Replies, Calls);

    /// <summary>Unconfirmed replies of an open notice: a completed or suspended one takes no more calls.</summary>
    public IReadOnlyList<Reply> AwaitingPhone => Notice.Status.IsOpen() ? Unconfirmed : [];

    public Reply? LatestFiller => ReplyCompleteness.LatestWithFiller(Replies);

    /// <summary>
    /// A suspended notice whose suspension notice bounced for every address: the organisation has not been told its
    /// service stops (although the Archives report may say it was).
    /// </summary>
    public bool SuspensionUnreached => Notice.Status == NoticeStatus.Suspended
        && Outbound.Any(mail => mail.Kind == OutboundKind.Suspension)
        && Outbound.Where(mail => mail.Kind == OutboundKind.Suspension).All(mail => mail.Status == OutboundStatus.Bounced);

    /// <summary>
    /// For each reply staff filed from an address registered to other organisations (not to this one), those organisations
    /// (「B002 乙機關」): the tracking form and <c>notice show</c> say so beside it, never listing another organisation's mail
    /// as if it were this one's (h31h Q4).
    /// </summary>
    public IReadOnlyDictionary<long, IReadOnlyList<string>> SendersElsewhere { get; init; } = new Dictionary<long, IReadOnlyList<string>>();

    /// <summary>The remark for <paramref name="reply"/> when its sender is registered to other organisations; null otherwise.</summary>
    public string? SenderElsewhere(Reply reply) =>
        SendersElsewhere.TryGetValue(reply.MailId, out var organisations) && organisations.Count > 0
            ? $"寄件者登記於機關 {string.Join("、", organisations)}，非本限期改善單之機關，經承辦人員確認後歸入"
            : null;

    /// <summary>The first day without exchange service, for a suspended notice.</summary>
    public DateOnly? SuspendFrom => Rounds.LastOrDefault(round => round.Result == RoundResult.Suspended)?.SuspendFrom;
}

/// <summary>Builds <see cref="NoticeDetail"/> from storage in one read transaction.</summary>
public sealed class NoticeDetailQuery(Database database)
{
    public NoticeDetail Get(string reference)
    {
        using var session = database.BeginRead();
        return Of(session, RequestChecks.Notice(session, reference));
    }

    /// <summary>The notice as the session sees it, for a use case that prints what it is writing (the Archives' documents).</summary>
    public static NoticeDetail Of(StorageSession session, Notice notice)
    {
        var replies = ReplyRepository.ListForNotice(session, notice.Id);
        return new NoticeDetail(
            notice,
            OutboundRepository.ListForNotice(session, notice.Id),
            replies,
            FollowUpRepository.ListConfirmations(session, notice.Id),
            FollowUpRepository.ListFollowUps(session, notice.Id),
            TimelineRepository.List(session, notice.Id))
        {
            SendersElsewhere = replies.Where(reply => reply.MatchedBy == Parsing.MatchMethod.Staff)
                .Select(reply => (reply.MailId, Organisations: OrganisationRepository.RegisteredElsewhere(session, reply.From, notice.OrgCode)))
                .Where(entry => entry.Organisations.Count > 0)
                .ToDictionary(entry => entry.MailId, entry => entry.Organisations),
        };
    }
}
