using MailIntake.Storage;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Jobs;

/// <summary>
/// The 【逾期】 note to staff (zh-TW): the deadline passed, whether any reply came and what is still missing, and whether the
/// organisation ever had the notice by mail. Written when the deadline passes, and again from the notice as it stands when
/// the note waited in the outbox (<see cref="Outbound.QueuedMailCheck"/>).
/// </summary>
public static class OverdueNote
{
    public static string Subject(Notice notice) => $"【逾期】{notice.Reference} {notice.OrgCode} {notice.OrgName}";

    /// <summary>
    /// The deadline that has passed on <paramref name="today"/>, if any: the notice's current one, or — while an extension
    /// never reached the organisation (<see cref="SuspensionTiming.Told"/>) — the earlier one it was told; null when none.
    /// </summary>
    public static DateOnly? Passed(Notice notice, IReadOnlyList<FollowUp> rounds, IReadOnlyList<OutboundMail> outbound, DateOnly today)
    {
        if (today > notice.Deadline)
        {
            return notice.Deadline;
        }

        return today > notice.DeadlineIssued && SuspensionTiming.Told(notice, rounds, outbound) is var told && told < notice.Deadline && today > told
            ? told
            : null;
    }

    /// <summary>
    /// The one-line fact (also the timeline's): <paramref name="filed"/> the replies so far, <paramref name="outbound"/> the
    /// notice's mail, <paramref name="hasEmail"/> whether the organisation has a registered address now,
    /// <paramref name="held"/> the mails not filed that may be its reply (<see cref="WaitingForNotice"/>),
    /// <paramref name="passed"/> the deadline that passed (<see cref="Passed"/>; the current one when not given).
    /// </summary>
    public static string Detail(
        Notice notice, IReadOnlyList<Reply> filed, IReadOnlyList<OutboundMail> outbound, IReadOnlyList<FollowUp> rounds, bool hasEmail,
        WaitingForNotice? held = null, TimeZoneInfo? zone = null, DateOnly? passed = null, SameIncidentReply? sameIncident = null)
    {
        // A notice issued without sending (delivered some other way, or not at all) is still overdue, but staff are
        // told the organisation never had it by mail from us.
        // A notice mail that bounced for every recipient was sent, but never reached the organisation.
        var noticeMails = outbound.Where(mail => mail.Kind == OutboundKind.Notice && mail.SentAt is not null).ToList();
        var delivery = noticeMails.Count == 0 ? "；本限期改善單未曾以電子郵件寄送該機關，亦未寄送期限提醒"
            : noticeMails.All(mail => mail.Status == OutboundStatus.Bounced) ? $"；本限期改善單寄給 {string.Join("、", noticeMails.SelectMany(mail => mail.To).Distinct())} 均遭退信，機關未收到，亦未寄送期限提醒"
            : string.Empty;
        if (noticeMails.Count > 0 && !hasEmail)
        {
            delivery += $"；機關 {notice.OrgCode} 目前沒有登記電子郵件，期限提醒未寄出，亦無法寄送中止交換服務通知，請補登機關電子郵件";
        }

        // An extension whose mail never reached the organisation (bounced, failed, withdrawn, still waiting) was never its
        // deadline: staff are told which deadline it was told, the one a suspension would rest on.
        if (UntoldExtensions(notice, rounds, outbound) is { } untold)
        {
            delivery += $"；{untold.Named}，機關未獲告知展延，其已獲告知之改善期限為{Labels.Date(untold.Told)}";
        }

        // A mail that may be the reply waits unsettled (naming the notice, or from the organisation's registered address) or on
        // the center's own fault: "no reply" is not said as if nothing came, and staff are asked to settle it before they decide.
        var waiting = held is not null && zone is not null
            ? (held.Naming.Count + held.FromOrganisation.Count > 0
                  ? $"；另{held.Held(zone)}，尚未歸入或註記不需處理，可能為機關之回覆，"
                    // A staff mail names no shell command: the digest's 待處理郵件 rows carry the 歸入 / 不需處理 buttons.
                    + $"請先於每日摘要「待處理郵件」將其「歸入」本限期改善單或註記「不需處理」，再進行追蹤評估"
                  : string.Empty)
              + (held.Failing.Count > 0
                  ? $"；另{WaitingMail.Describe(held.Failing, zone)}寄自機關或載有本限期改善單編號，處理失敗尚未歸檔（原因見各郵件之說明），可能為機關之回覆，請系統管理人員排除後再進行追蹤評估"
                  : string.Empty)
            : string.Empty;
        // Before the extended deadline, the one passed is the deadline the organisation was told (the extension never reached it).
        var missed = passed is { } day && day < notice.Deadline
            ? $"已逾機關已獲告知之改善期限（{Labels.Date(day)}）"
            : $"已逾改善期限（{Labels.Date(notice.Deadline)}）";
        // Answered under another notice for the same incident (issued again, --again): not "no reply" as if it had not answered (h30h P10).
        var same = filed.Count == 0 && sameIncident is { } other && zone is not null
            ? $"；機關已於{Labels.Moment(other.At, zone)}回覆同一事件之限期改善單 {other.Reference}，請併同確認"
            : string.Empty;
        return (filed.Count == 0
                ? $"{missed}，未收到{(waiting.Length > 0 || same.Length > 0 ? "已歸入本限期改善單之" : string.Empty)}回覆"
                : $"{missed}，已收到回覆 {filed.Count} 封，尚待補充：{(ReplyCompleteness.Missing(notice, filed) is { Count: > 0 } missing ? string.Join("、", missing) : "無")}")
            + same + waiting + delivery;
    }

    /// <summary>
    /// The deadline the organisation was told (<see cref="SuspensionTiming.Told"/>) and the extensions after it whose mail
    /// never reached it, named with what became of their mail (「第 1 次追蹤展延至…之展延通知寄送失敗」); null when every
    /// extension was told. The overdue note and the digest say it in these words.
    /// </summary>
    public static UntoldExtension? UntoldExtensions(Notice notice, IReadOnlyList<FollowUp> rounds, IReadOnlyList<OutboundMail> outbound)
    {
        var told = SuspensionTiming.Told(notice, rounds, outbound);
        if (told == notice.Deadline)
        {
            return null;
        }

        var untold = rounds.Where(round => round.Result == RoundResult.Extended && round.Until > told)
            .Select(round => (round, mail: outbound.FirstOrDefault(mail => mail.Kind == OutboundKind.Extension && Outbound.ExtensionMailer.RoundOf(mail) == round.Round)))
            .Select(pair => $"第 {pair.round.Round} 次追蹤展延至{Labels.Date(pair.round.Until!.Value)}之展延通知{Untold(pair.mail)}");
        return new UntoldExtension(told, string.Join("、", untold));
    }

    private static string Untold(OutboundMail? mail) => mail?.Status switch
    {
        OutboundStatus.Bounced => $"寄給 {string.Join("、", mail.To)} 遭退信",
        OutboundStatus.Failed => "寄送失敗",
        OutboundStatus.Withdrawn => "已撤回未寄",
        _ => "尚未寄出",
    };

    public static IReadOnlyList<string> Lines(Notice notice, string detail) =>
    [
        $"限期改善單 {notice.Reference}（{notice.OrgCode} {notice.OrgName}）{detail}。",
        "請進行追蹤評估：再給予改善期限，或通知中止交換服務並通報檔案管理局。",
    ];

    public static string Text(IReadOnlyList<string> lines) => string.Join("\n\n", lines) + "\n";
}

/// <summary>The deadline the organisation was told, and the extensions it never was told of, named (<see cref="OverdueNote.UntoldExtensions"/>).</summary>
public sealed record UntoldExtension(DateOnly Told, string Named);
