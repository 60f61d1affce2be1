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
