using System.Net;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.Outbound;

/// <summary>
/// The receipt's words (zh-TW): exactly what this reply brought (its files, or that it had none; the form fields it
/// filled in, a doubtful date said to be doubtful), what the form still asks for counting every reply so far, and the
/// phone call — or, for a notice already completed or suspended, that the case is closed and the mail kept.
/// </summary>
/// <summary>
/// What a receipt says of its notice as it stands: the items still missing, the round that closed it, when a reached call
/// confirmed the reply (null: the call is still to be made), the day it is written on, and what its own mail held;
/// <c>BeforeSuspensionTold</c>: the reply came after the suspension was decided but before its notice left
/// (<see cref="SuspensionTiming.ReplyBeforeOrganisationTold"/>); <c>SenderElsewhere</c>: the other organisations that
/// registered the reply's sender (a mail staff filed here, h30h P9).
/// </summary>
public sealed record ReceiptFacts(
    IReadOnlyList<string> Missing, FollowUp? Closing, DateTimeOffset? ConfirmedAt, DateOnly Today, string? UnreadableDate, Parsing.FormsForNotice? Forms,
    bool BeforeSuspensionTold = false, IReadOnlyList<string>? SenderElsewhere = null);

public static class ReceiptText
{
    /// <summary>The subject; for a mail from an address another organisation registered, not called the organisation's reply (h31h Q3).</summary>
    public static string Subject(Notice notice, bool senderElsewhere = false) => senderElsewhere
        ? $"【收件回執】{notice.Reference} 已收到經本中心歸入貴單位限期改善單之郵件"
        : $"【收件回執】{notice.Reference} 已收到貴單位之限期改善單回覆";

    /// <summary>The receipt as paragraphs; each paragraph is lines. Plain text and HTML render the same.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Paragraphs(Notice notice, Reply reply, ReceiptFacts facts, CenterOptions center, TimeZoneInfo zone)
    {
        var (missing, closing, confirmedAt, today, unreadableDate, forms, beforeSuspensionTold, senderElsewhere) = facts;
        var paragraphs = new List<IReadOnlyList<string>>
        {
            new[] { $"{notice.OrgName} 您好：" },
            new[] { Opening(notice, reply, senderElsewhere, zone) },
        };
        paragraphs.Add(reply.Evidence.Count == 0
            ? ["本次回覆未附任何檔案。"]
            : [$"本次收到之檔案（共 {reply.Evidence.Count} 件）：", .. reply.Evidence.Select((file, index) => $"  {index + 1}. {FileLine(notice, file)}")]);
        paragraphs.Add(["本次回覆填寫之內容：", .. Filled(notice, reply, zone, unreadableDate), .. SetAside(notice, forms)]);
        if (!notice.Status.IsOpen())
        {
            // A closed notice takes no more: the mail is kept, and the organisation is told where the case stands.
            paragraphs.Add([Closed(notice, reply, closing, center, zone, beforeSuspensionTold)]);
            if (beforeSuspensionTold && notice.Status == NoticeStatus.Suspended)
            {
                // Written as a reply to the notice, not knowing of the suspension: the reply's own phone step stands.
                paragraphs.Add([confirmedAt is { } confirmed
                    ? $"貴單位本次回覆已於{Labels.Moment(confirmed, zone)}經電話確認，無須再來電。"
                    : $"提醒：以電子郵件方式回復者，應再以電話確認之。請來電 {center.Phone}（{center.Unit} {center.ContactName}）確認本次回覆。"]);
            }

            paragraphs.Add([$"{center.Name}（本回執由系統自動寄出）"]);
            return paragraphs;
        }

        paragraphs.Add(missing.Count > 0
            ? [$"合計貴單位歷次回覆，限期改善單尚待補充（{By(notice, today)}）：", .. missing.Select(item => $"  ・{item}")]
            : ["合計貴單位歷次回覆，限期改善單所列資料均已收到，本中心將進行查核。"]);
        // The phone step as it stands when the receipt goes: a reply a reached call already confirmed asks for no call. A
        // mail another organisation's address sent is not this organisation's to confirm: it is asked to say if it is not
        // its own (h31h Q3).
        paragraphs.Add([confirmedAt is { } called
            ? $"貴單位本次回覆已於{Labels.Moment(called, zone)}經電話確認，無須再來電。"
            : senderElsewhere is { Count: > 0 }
            ? $"本郵件非由貴單位登記之信箱寄出；如非貴單位所委託寄送，請來電 {center.Phone}（{center.Unit} {center.ContactName}）告知。"
            : $"提醒：以電子郵件方式回復者，應再以電話確認之。請來電 {center.Phone}（{center.Unit} {center.ContactName}）確認本次回覆。"]);
        paragraphs.Add([$"{center.Name}（本回執由系統自動寄出）"]);
        return paragraphs;
    }

    /// <summary>What the center received, and when: the receipt's first sentence.</summary>
    private static string Opening(Notice notice, Reply reply, IReadOnlyList<string>? senderElsewhere, TimeZoneInfo zone)
    {
        // A mail from an address another organisation registered, staff filed here: told as that sender's mail, not as
        // this organisation's own reply (h30h P9).
        if (senderElsewhere is { Count: > 0 })
        {
            return $"本中心於{Labels.Moment(reply.ReceivedAt, zone)}收到寄件者 {reply.From}（登記於機關 {string.Join("、", senderElsewhere)}）之郵件，"
                + $"經本中心承辦人員確認後歸入貴單位之限期改善單 {notice.Reference}。";
        }

        // A mail staff assigned that came before the notice was issued is no reply to it at that time (h23h N2): it is
        // told as the mail it was, which staff filed under the notice.
        if (reply.ReceivedAt < notice.IssuedAt)
        {
            return $"本中心於{Labels.Moment(reply.ReceivedAt, zone)}收到貴單位之郵件（寄件者 {reply.From}），早於限期改善單 {notice.Reference} 之開立，經本中心承辦人員確認後歸入本限期改善單。";
        }

        // A mail dated later than the time it carried says so, and why (h23h N6, h30h P2, P3).
        return reply.CarriedArrival is { } carried
            ? Redated(notice, reply, carried, zone)
            : $"本中心已於{Labels.Moment(reply.ReceivedAt, zone)}收到貴單位對限期改善單 {notice.Reference} 之回覆郵件（寄件者 {reply.From}）"
              + (reply.MatchedBy == Parsing.MatchMethod.Staff ? "，經本中心承辦人員確認後歸入本限期改善單。" : "。");
    }

    /// <summary>
    /// A reply dated later than the time it carried: told as filed (or read again) then, with that time and why — before
    /// the notice's issue, or a restore's re-read that could not take it (h23h N6, h30h P2, P3).
    /// </summary>
    private static string Redated(Notice notice, Reply reply, DateTimeOffset carried, TimeZoneInfo zone)
    {
        var (was, dated) = Labels.Moments(carried, reply.ReceivedAt, zone);
        return carried < notice.IssuedAt
            ? $"本中心已於{dated}歸檔貴單位對限期改善單 {notice.Reference} 之回覆郵件（寄件者 {reply.From}）；"
              + $"該郵件所記收到時間{was}早於本限期改善單之開立，非其實際收到時間，故以歸檔時間記錄。"
            : $"本中心已於{dated}登錄貴單位對限期改善單 {notice.Reference} 之回覆郵件（寄件者 {reply.From}）；"
              + $"該郵件所記收到時間為{was}，因本中心資料經還原後重新讀取，無法確認其實際收到時間，故以登錄時間記錄。";
    }

    /// <summary>By when the rest is due: the deadline now (an extension said as such), or that it has passed.</summary>
    private static string By(Notice notice, DateOnly today) =>
        today > notice.Deadline ? $"改善期限{Labels.Date(notice.Deadline)}已屆滿，請儘速補齊"
        : notice.Deadline != notice.DeadlineIssued ? $"改善期限已展延至{Labels.Date(notice.Deadline)}，請於期限前補齊"
        : $"請於改善期限{Labels.Date(notice.Deadline)}前補齊";

    private static string Closed(Notice notice, Reply reply, FollowUp? closing, CenterOptions center, TimeZoneInfo zone, bool beforeSuspensionTold)
    {
        var contact = $"如有疑問，請洽 {center.Phone}（{center.Unit} {center.ContactName}）。";
        var decided = closing is null ? string.Empty : $"本中心於{Labels.Date(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(closing.At, zone).DateTime))}";
        // A reply that came before the decision was part of what the decision weighed: kept on file, never an application
        // to restore the service (that is a mail sent after it, answering the suspension notice).
        var beforeDecision = closing is not null && reply.ReceivedAt < closing.At;
        return notice.Status switch
        {
            NoticeStatus.Suspended when beforeDecision =>
                $"本案業經{decided}決定{(closing?.SuspendFrom is { } start ? $"自{Labels.Date(start)}起" : string.Empty)}中止貴單位之公文電子交換服務，限期改善單 {notice.Reference} 已結案，"
                + $"中止交換服務通知另行寄送。本次來信係於該決定前寄達，已收存備查，無須再補件，亦無須以電話確認。{contact}",
            // Decided, but the organisation had not been told when it wrote: a reply to the notice, not an application.
            NoticeStatus.Suspended when beforeSuspensionTold =>
                $"本案業經{decided}決定{(closing?.SuspendFrom is { } on ? $"自{Labels.Date(on)}起" : string.Empty)}中止貴單位之公文電子交換服務，限期改善單 {notice.Reference} 已結案，"
                + $"中止交換服務通知另行寄送。本次來信係於本中心寄出該通知前寄達，視為貴單位對限期改善單之回覆，已收存並轉請承辦人員審核，審核結果將另行通知。{contact}",
            NoticeStatus.Suspended =>
                $"本案業經{decided}決定{(closing?.SuspendFrom is { } from ? $"自{Labels.Date(from)}起" : string.Empty)}中止貴單位之公文電子交換服務，限期改善單 {notice.Reference} 已結案。"
                // The suspension notice invites exactly this (完成改善後，請檢附佐證資料回覆本中心，以申請恢復交換服務).
                + $"本次來信已收存，並轉請承辦人員作為貴單位申請恢復交換服務之資料審核，審核結果將另行通知，無須以電話確認。{contact}",
            _ => $"本案業經{decided}追蹤評估為改善完成，限期改善單 {notice.Reference} 已結案。本次來信已收存備查，無須再補件，亦無須以電話確認。{contact}",
        };
    }

    /// <summary>Forms that came with the reply but do not count for this notice, and why: the organisation must know.</summary>
    private static IEnumerable<string> SetAside(Notice notice, Parsing.FormsForNotice? forms)
    {
        if (forms is null)
        {
            yield break;
        }

        if (forms.OtherReferences.Count > 0)
        {
            yield return $"  所附表單為限期改善單 {string.Join("、", forms.OtherReferences)} 之表單，與本限期改善單 {notice.Reference} 不符，其填寫內容未採計；請填寫限期改善單 {notice.Reference} 所附之表單後回傳。";
        }

        if (forms.BlankForms > 0)
        {
            yield return "  所附限期改善單表單未填寫任何欄位，未採計為回傳之表單。";
        }
    }

    private static IEnumerable<string> Filled(Notice notice, Reply reply, TimeZoneInfo zone, string? unreadableDate)
    {
        var lines = new List<string>();
        if (reply.FillerName is not null || reply.FillerPhone is not null || reply.FillerEmail is not null)
        {
            lines.Add($"  填寫人：{reply.FillerName ?? "（未填）"}　電話：{reply.FillerPhone ?? "（未填）"}　電子郵件信箱：{reply.FillerEmail ?? "（未填）"}");
        }

        if (reply.FormReturned)
        {
            lines.Add("  限期改善單表單：已附");
        }

        var answered = reply.Answers.Where(answer => !string.IsNullOrWhiteSpace(answer.Text)).Select(answer => answer.Item).Distinct().Order().ToList();
        if (answered.Count > 0)
        {
            lines.Add($"  處理情形與說明：改善事項{string.Join("、", answered)}");
        }

        if (reply.CompletedOn is { } done)
        {
            // A date that cannot be true is repeated as written, never as fact.
            lines.Add(ReplyDates.CompletionDoubt(notice, reply, zone) is { } doubt
                ? $"  完成改善日期：貴單位填寫{Labels.Date(done)}（{doubt}，日期有疑義，請確認）"
                : $"  完成改善日期：{Labels.Date(done)}");
        }
        else if (unreadableDate is not null)
        {
            // Written but no date (1911年…, 0115/12/1): told back as written, and still asked for below.
            lines.Add($"  完成改善日期：貴單位填寫「{unreadableDate}」，無法辨識為日期（日期有疑義，請確認）");
        }

        return lines.Count > 0 ? lines : ["  （本次回覆未填寫本限期改善單之欄位）"];
    }

    /// <summary>
    /// The receipt for <paramref name="reply"/> as the notice stands on <paramref name="today"/>: what is missing counts every
    /// reply in <paramref name="all"/> and by when (the deadline now); the phone step reads <paramref name="calls"/> (a reply
    /// confirmed by a reached call asks for none); a closed notice's receipt says since when (its closing round among
    /// <paramref name="rounds"/>).
    /// </summary>
    public static MimeKit.BodyBuilder Body(
        Notice notice, Reply reply, IReadOnlyList<Reply> all, IReadOnlyList<PhoneConfirmation> calls, Func<IReadOnlyList<FollowUp>> rounds,
        CenterOptions center, TimeZoneInfo zone, DateOnly today, string? unreadableDate, Parsing.FormsForNotice? forms, Func<IReadOnlyList<OutboundMail>>? outbound = null,
        IReadOnlyList<string>? senderElsewhere = null)
    {
        var closing = notice.Status.IsOpen() ? null : rounds().LastOrDefault(round => round.Result is RoundResult.Completed or RoundResult.Suspended);
        var facts = new ReceiptFacts(
            ReplyCompleteness.Missing(notice, all),
            closing,
            ReplyCompleteness.ConfirmedAt(reply, all, calls),
            today,
            unreadableDate,
            forms,
            outbound is not null && closing is { Result: RoundResult.Suspended } && SuspensionTiming.ReplyBeforeOrganisationTold(reply.ReceivedAt, closing, outbound()),
            senderElsewhere);
        return new MimeKit.BodyBuilder
        {
            TextBody = PlainText(notice, reply, facts, center, zone),
            HtmlBody = Html(notice, reply, facts, center, zone),
        };
    }

    public static string PlainText(Notice notice, Reply reply, ReceiptFacts facts, CenterOptions center, TimeZoneInfo zone) =>
        string.Join("\n\n", Paragraphs(notice, reply, facts, center, zone).Select(lines => string.Join("\n", lines))) + "\n";

    public static string Html(Notice notice, Reply reply, ReceiptFacts facts, CenterOptions center, TimeZoneInfo zone) =>
        "<!DOCTYPE html><html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\"></head>"
        + "<body style=\"font-family:'Microsoft JhengHei','Noto Sans CJK TC',sans-serif;font-size:15px;color:#222\">"
        + string.Concat(Paragraphs(notice, reply, facts, center, zone).Select(lines =>
            "<p>" + string.Join("<br>", lines.Select(line => WebUtility.HtmlEncode(line))) + "</p>"))
        + "</body></html>";

    /// <summary>A file and the 附件 item its name gives — said to be no item of this notice when the notice asks for fewer.</summary>
    private static string FileLine(Notice notice, StoredEvidence file)
    {
        var asked = NoticeAsks.Evidence(notice).Count;
        var item = file.Item switch
        {
            null => "未標示附件項次",
            { } named when named > asked => $"檔名標示附件{named}，但本限期改善單僅列附件1{(asked > 1 ? $"至附件{asked}" : "")}，請確認應屬何項",
            { } named => $"附件{named}",
        };
        return $"{file.FileName}（{Labels.Size(file.Size)}，{item}）";
    }
}
