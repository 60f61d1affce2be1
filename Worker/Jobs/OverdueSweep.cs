using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Jobs;

/// <summary>
/// The day after the current deadline of a notice whose organisation still works to it (<see cref="DeadlineDuty"/>: no
/// reply, extended, or extended and still missing something after a partial reply): a timeline event "overdue", and staff are
/// told — once per deadline — whether any reply came (never "no reply" when one is filed).
/// </summary>
public sealed class OverdueSweep(
    NoticeRepository notices,
    OrganisationRepository organisations,
    ReplyRepository replies,
    OutboundRepository outbound,
    OutboxWriter outbox,
    SweepMarkRepository marks,
    CenterClock clock,
    MailIntakeOptions options) : ISweeper
{
    public string Name => "overdue";

    public Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var overdue = 0;
        foreach (var notice in notices.List().Where(notice => notice.Status.IsOpen() && clock.Today > notice.Deadline))
        {
            var key = $"overdue:{notice.Reference}:{notice.Deadline:yyyyMMdd}";
            if (marks.Exists(key))
            {
                continue;
            }

            var filed = replies.ListForNotice(notice.Id);
            if (!DeadlineDuty.Runs(notice, () => filed))
            {
                continue;
            }

            // A notice issued without sending (delivered some other way, or not at all) is still overdue, but staff are
            // told the organisation never had it by mail from us.
            // A notice mail that bounced for every recipient was sent, but never reached the organisation.
            var noticeMails = outbound.ListForNotice(notice.Id).Where(mail => mail.Kind == OutboundKind.Notice && mail.SentAt is not null).ToList();
            var delivery = noticeMails.Count == 0 ? "；本限期改善單未曾以電子郵件寄送該機關，亦未寄送期限提醒"
                : noticeMails.All(mail => mail.Status == OutboundStatus.Bounced) ? $"；本限期改善單寄給 {string.Join("、", noticeMails.SelectMany(mail => mail.To).Distinct())} 均遭退信，機關未收到，亦未寄送期限提醒"
                : string.Empty;
            if (noticeMails.Count > 0 && organisations.Find(notice.OrgCode) is not { Emails.Count: > 0 })
            {
                delivery += $"；機關 {notice.OrgCode} 目前沒有登記電子郵件，期限提醒未寄出，亦無法寄送中止交換服務通知，請補登機關電子郵件";
            }

            var detail = (filed.Count == 0
                ? $"已逾改善期限（{Labels.Date(notice.Deadline)}），未收到回覆"
                : $"已逾改善期限（{Labels.Date(notice.Deadline)}），已收到回覆 {filed.Count} 封，尚待補充：{(ReplyCompleteness.Missing(notice, filed) is { Count: > 0 } missing ? string.Join("、", missing) : "無")}")
                + delivery;
            var lines = new[]
            {
                $"限期改善單 {notice.Reference}（{notice.OrgCode} {notice.OrgName}）{detail}。",
                "請進行追蹤評估：再給予改善期限，或通知中止交換服務並通報檔案管理局。",
            };
            if (StaffMail.Create(options, $"【逾期】{notice.Reference} {notice.OrgCode} {notice.OrgName}", string.Join("\n\n", lines) + "\n", StaffMail.Html(lines), clock.UtcNow) is { } mail)
            {
                outbox.Queue(OutboundKind.Overdue, notice.Id, mail, key, timelineDetail: null);
            }

            // Marked after queueing: a stop in between queues nothing twice (same key) and still records the event.
            overdue += marks.TryMark(key, notice.Id, clock.UtcNow, TimelineEvent.Overdue, detail) ? 1 : 0;
        }

        return Task.FromResult($"逾期檢查：新增 {overdue} 件逾期");
    }
}
