using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Jobs;

/// <summary>
/// The form asks that an email reply be confirmed by phone. A reply filed by email and not confirmed after
/// PhoneConfirmation:PromptAfter gets a prompt to staff — at most once per reply per working day, until
/// <c>notice confirm-phone</c> records the call.
/// </summary>
public sealed class PhonePrompts(
    NoticeRepository notices,
    ReplyRepository replies,
    OrganisationRepository organisations,
    OutboxWriter outbox,
    SweepMarkRepository marks,
    CenterClock clock,
    MailIntakeOptions options) : ISweeper
{
    public string Name => "phone-prompts";

    public Task<string> RunAsync(CancellationToken cancellationToken)
    {
        if (!clock.Calendar.IsWorkingDay(clock.Today))
        {
            return Task.FromResult("電話確認提醒：今日非上班日，不提醒");
        }

        var prompted = 0;
        foreach (var notice in notices.List(NoticeStatus.Replied))
        {
            var reply = replies.ListForNotice(notice.Id).MaxBy(candidate => candidate.ReceivedAt);
            if (reply is null || reply.ReceivedAt + options.PhoneConfirmation.PromptAfter > clock.UtcNow)
            {
                continue;
            }

            var key = $"phone-prompt:{reply.MailId}:{clock.Today:yyyyMMdd}";
            if (marks.Exists(key))
            {
                continue;
            }

            var organisation = organisations.Find(notice.OrgCode);
            var lines = PromptLines(notice, reply, organisation, options.Zone);
            if (StaffMail.Create(options, $"【請電話確認】{notice.Reference} {notice.OrgCode} {notice.OrgName}", string.Join("\n", lines) + "\n", StaffMail.Html(lines), clock.UtcNow) is { } mail)
            {
                outbox.Queue(OutboundKinds.PhonePrompt, notice.Id, mail, key, timelineDetail: null);
            }

            prompted += marks.TryMark(key, notice.Id, clock.UtcNow, TimelineEvent.PhonePrompt,
                $"郵件 #{reply.MailId} 的回覆尚未電話確認，已提醒承辦人") ? 1 : 0;
        }

        return Task.FromResult($"電話確認提醒：提醒 {prompted} 件");
    }

    public static IReadOnlyList<string> PromptLines(Notice notice, Reply reply, Organisation? organisation, TimeZoneInfo zone) =>
    [
        $"限期改善單 {notice.Reference} 已收到電子郵件回覆，尚未以電話確認。",
        $"機關：{notice.OrgCode} {notice.OrgName}",
        $"回覆時間：{TimeZoneInfo.ConvertTime(reply.ReceivedAt, zone):yyyy-MM-dd HH:mm}（郵件 #{reply.MailId}，寄件者 {reply.From}）",
        $"填寫人：{reply.FillerName ?? "（未填）"}　電話：{reply.FillerPhone ?? "（未填）"}",
        $"機關登記電話：{organisation?.Phone ?? "（未登記）"}　聯絡人：{organisation?.Contact ?? "（未登記）"}",
        $"確認後請記錄：mailintake notice confirm-phone {notice.Reference} --by 姓名",
    ];
}
