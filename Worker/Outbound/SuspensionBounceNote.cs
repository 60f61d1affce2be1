using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.Outbound;

/// <summary>
/// A suspension notice that bounced for every address is the legal notification failing: the organisation has not been
/// told its exchange service stops, while the Archives' 連線異動表 may already say it was. Staff are told at once (as the
/// overdue note does for a bounced notice), with what the Archives were sent and the organisation's registered phone.
/// </summary>
public sealed class SuspensionBounceNote(
    NoticeRepository notices, OrganisationRepository organisations, OutboundRepository outbound, FollowUpRepository followUps,
    OutboxWriter outbox, MailIntakeOptions options, TimeProvider time)
{
    public void Queue(OutboundMail suspension, long bounceMailId)
    {
        if (suspension.NoticeId is not { } noticeId || notices.Get(noticeId) is not { } notice)
        {
            return;
        }

        var suspendFrom = followUps.ListFollowUps(noticeId).LastOrDefault(round => round.Result == RoundResult.Suspended)?.SuspendFrom;
        var report = outbound.ListForNotice(noticeId).FirstOrDefault(mail => mail.Kind == OutboundKind.ArchivesReport);
        var phone = organisations.Find(notice.OrgCode)?.Phone;
        var lines = new[]
        {
            $"限期改善單 {notice.Reference}（{notice.OrgCode} {notice.OrgName}）之中止交換服務通知" + (suspendFrom is { } from ? $"（自{Labels.Date(from)}起中止交換服務）" : "")
            + $"寄給 {string.Join("、", suspension.To)} 均遭退信（退信郵件 #{bounceMailId}），機關尚未收到中止交換服務之通知。",
            report switch
            {
                { SentAt: { } sent } => $"檔案管理局通報（連線異動表）已於{Labels.Moment(sent, options.Zone)}寄出，其中載明已通知改善機關；請更正通報。",
                not null => "檔案管理局通報（連線異動表）尚待寄送，其中載明已通知改善機關；請留意更正。",
                null => "本案未寄檔案管理局通報。",
            },
            $"請以電話（機關登記電話：{phone ?? "未登記"}）或紙本通知機關中止交換服務之日期，並更正機關之電子郵件。",
        };
        if (StaffMail.Create(options, $"【中止通知退信】{notice.Reference} {notice.OrgCode} {notice.OrgName}：機關尚未收到中止交換服務通知",
                string.Join("\n\n", lines) + "\n", StaffMail.Html(lines), time.GetUtcNow()) is { } mail)
        {
            outbox.Queue(OutboundKind.BounceNote, noticeId, mail, $"suspension-bounced:{notice.Reference}:{bounceMailId}",
                "中止交換服務通知遭退信，機關尚未收到；已通知承辦人員", TimelineEvent.Bounced);
        }
    }
}
