using MailIntake.Storage;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Application;

/// <summary>
/// Whether a suspension came after the deadline the organisation was told had passed unmet or before it (an early
/// suspension, 事態嚴重): the suspension notice, the Archives report, the 連線異動表 and the tracking form all word it by
/// this one rule, and all cite that deadline.
/// </summary>
public static class SuspensionTiming
{
    public static bool AfterDeadline(DateOnly told, FollowUp round, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(round.At, zone).DateTime) > told;

    /// <summary>When the notice's suspension notice first left and did not bounce; null while it has not.</summary>
    public static DateTimeOffset? NoticeSentAt(IReadOnlyList<OutboundMail> mails) =>
        mails.Where(mail => mail.Kind == OutboundKind.Suspension && mail.Status != OutboundStatus.Bounced && mail.SentAt is not null).Min(mail => mail.SentAt);

    /// <summary>
    /// A reply that came after the suspension was decided but before its notice left (the mail server away, or the notice
    /// bounced): the organisation wrote not knowing of the suspension — it answered the notice, it did not apply to restore
    /// the service. A suspension recorded before suspension notices were mailed (none queued) counts as told.
    /// </summary>
    public static bool ReplyBeforeOrganisationTold(DateTimeOffset receivedAt, FollowUp? closing, IReadOnlyList<OutboundMail> mails) =>
        closing is { Result: RoundResult.Suspended } && receivedAt >= closing.At
        && mails.Any(mail => mail.Kind == OutboundKind.Suspension)
        && !(NoticeSentAt(mails) is { } sent && sent <= receivedAt);

    /// <summary>What staff are told of such a reply (timeline, digest).</summary>
    public const string BeforeToldNote =
        "本回覆於中止交換服務決定後、中止交換服務通知寄出前寄達（機關來信時尚未獲告知中止），係對限期改善單之回覆，非申請恢復交換服務；請審核並以電話與機關確認";

    /// <summary>
    /// The deadline the organisation was told: the notice's own, moved on by each extension whose mail reached it. An
    /// extension whose mail never left (still queued, failed, withdrawn) or bounced from every address was never told, and
    /// a suspension never rests on it (its mail is withdrawn once the case is closed). An extension without a mail of its
    /// own (recorded before extensions were mailed) counts as told.
    /// </summary>
    public static DateOnly Told(Notice notice, IReadOnlyList<FollowUp> rounds, IReadOnlyList<OutboundMail> mails)
    {
        var told = notice.DeadlineIssued;
        foreach (var round in rounds.Where(round => round.Result == RoundResult.Extended && round.Until is not null))
        {
            var mail = mails.FirstOrDefault(mail => mail.Kind == OutboundKind.Extension && ExtensionMailer.RoundOf(mail) == round.Round);
            if (mail is null || (mail.SentAt is not null && mail.Status != OutboundStatus.Bounced))
            {
                told = round.Until!.Value;
            }
        }

        return told;
    }
}
