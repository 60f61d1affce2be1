using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;
using MailIntake.Worker.StaffActions;

namespace MailIntake.Worker.Jobs;

/// <summary>
/// The form asks that an email reply be confirmed by phone. A reply filed by email and not confirmed by a call that
/// reached the organisation after PhoneConfirmation:PromptAfter gets a prompt to staff — whatever happened to the
/// deadline meanwhile — at most once per reply per working day, until a reached call is recorded.
/// </summary>
public sealed class PhonePrompts(
    DigestQuery digest,
    OutboxWriter outbox,
    ActionKeyStore keys,
    SweepMarkRepository marks,
    CenterClock clock,
    JobRun run,
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
        foreach (var duty in digest.Get().AwaitingPhone)
        {
            if (duty.Reply.ReceivedAt + options.PhoneConfirmation.PromptAfter > clock.UtcNow)
            {
                continue;
            }

            // A preview's prompt counts only for another preview: the real prompt of that day still goes.
            var day = $"phone-prompt:{duty.Reply.MailId}:{clock.Today:yyyyMMdd}";
            var key = run.Mark(day);
            if (run.Done(marks, day))
            {
                continue;
            }

            var notice = duty.Notice;
            // One prompt per staff recipient: a member's carries 已電話確認 / 未接通 links signed for them.
            foreach (var (recipient, mail) in StaffMail.CreateEach(
                         options, keys, $"【請電話確認】{notice.Reference} {notice.OrgCode} {notice.OrgName}",
                         links => Body(duty, links, options.Zone),
                         clock.UtcNow))
            {
                outbox.Queue(OutboundKind.PhonePrompt, notice.Id, mail, StaffMail.Key(key, recipient), timelineDetail: null, replyMailId: duty.Reply.MailId);
            }

            prompted += marks.TryMark(key, notice.Id, clock.UtcNow, TimelineEvent.PhonePrompt,
                $"郵件 #{duty.Reply.MailId} 之回覆尚未電話確認，已提醒承辦人") ? 1 : 0;
        }

        return Task.FromResult($"電話確認提醒：提醒 {prompted} 件");
    }

    /// <summary>The prompt's text and HTML; a member's <paramref name="links"/> (null for anyone else) confirm the call about its reply.</summary>
    public static (string Text, string Html) Body(PhoneDuty duty, ActionLinks? links, TimeZoneInfo zone)
    {
        var lines = PromptLines(duty, zone);
        return (string.Join("\n", lines) + "\n",
            StaffMail.Html(lines, links is null ? null : [links.PhoneReached(duty.Notice, duty.Reply.MailId), links.PhoneNoAnswer(duty.Notice, duty.Reply.MailId)]));
    }

    public static IReadOnlyList<string> PromptLines(PhoneDuty duty, TimeZoneInfo zone) =>
    [
        $"限期改善單 {duty.Notice.Reference} 已收到電子郵件回覆，尚未以電話確認。",
        // An extension whose mail never reached the organisation is not its deadline: the one it was told is given.
        duty.Untold is { } untold
            ? $"機關：{duty.Notice.OrgCode} {duty.Notice.OrgName}（已獲告知之改善期限{Labels.Date(untold.Told)}；{untold.Named}，機關未獲告知展延）"
            : $"機關：{duty.Notice.OrgCode} {duty.Notice.OrgName}（目前改善期限{Labels.Date(duty.Notice.Deadline)}）",
        $"回覆時間：{Labels.Moment(duty.Reply.ReceivedAt, zone)}（郵件 #{duty.Reply.MailId}，寄件者 {duty.Reply.From}）",
        $"填寫人：{duty.Filler?.FillerName ?? "（未填）"}　電話：{duty.Filler?.FillerPhone ?? "（未填）"}",
        $"機關登記電話：{duty.RegisteredPhone ?? "（未登記）"}",
        "已致電：" + PhoneAttemptText.List(duty.Attempts, at => Labels.Moment(at, zone)),
        .. PhoneAttemptText.WrongNumber(duty.Attempts) is { } warning ? [warning] : Array.Empty<string>(),
        "通話後請於系統記錄電話確認結果（已聯繫確認、無人接聽或電話號碼錯誤）；僅「已聯繫確認」完成電話確認。",
    ];
}
