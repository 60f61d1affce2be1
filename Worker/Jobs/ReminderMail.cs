using System.Net;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;
using MimeKit;

namespace MailIntake.Worker.Jobs;

/// <summary>
/// The deadline reminder to the organisation (zh-TW): the current deadline (after an extension, the new one, and that it
/// was extended), what the center has received and what is still missing, and the phone step.
/// </summary>
public static class ReminderMail
{
    public static IReadOnlyList<string> Lines(
        Notice notice, int daysLeft, IReadOnlyList<Reply> replies, IReadOnlyList<PhoneConfirmation> calls, MailIntakeOptions options, OtherMail? other = null,
        string? sentElsewhere = null)
    {
        var center = options.Center;
        var deadline = notice.Deadline == notice.DeadlineIssued
            ? $"改善期限為{Labels.Date(notice.Deadline)}（{DaysLeft(daysLeft)}）"
            : $"改善期限業經展延至{Labels.Date(notice.Deadline)}（原改善期限{Labels.Date(notice.DeadlineIssued)}，{DaysLeft(daysLeft)}）";
        // Everything the form asks has arrived: the mail asks only for what is still open (the call), never for it all again.
        if (ReplyCompleteness.Missing(notice, replies).Count == 0)
        {
            var call = ReplyCompleteness.AwaitingPhone(replies, calls).Count > 0 ? "，尚待貴單位來電確認（如下）" : "，本中心審核中，如需補充將另行通知";
            return
            [
                $"受文者：{notice.OrgName}",
                $"主旨：貴單位之公文電子交換系統限期改善單 {notice.Reference}，{deadline}；本中心已收到限期改善單所列資料{call}。",
                .. ProgressText.Lines(notice, replies, calls, center, options.Zone, other),
                $"{center.Name}（本郵件由系統自動寄出）",
            ];
        }

        return
        [
            $"受文者：{notice.OrgName}",
            $"主旨：貴單位之公文電子交換系統限期改善單 {notice.Reference}，{deadline}，請於期限內完成改善並回覆本中心。",
            .. (sentElsewhere is null ? Array.Empty<string>() : [sentElsewhere]),
            .. ProgressText.Lines(notice, replies, calls, center, options.Zone, other),
            $"回覆方式：填寫限期改善單（填寫人姓名、電話、電子郵件信箱、各改善事項之處理情形與完成改善日期，並蓋用印信），並附上佐證資料（{NoticeAsks.EvidenceList(notice)}）。",
            $"{center.Name}（本郵件由系統自動寄出）",
        ];
    }

    /// <summary>The days from the day the reminder goes out to the current deadline, in words.</summary>
    public static string DaysLeft(int daysLeft) => daysLeft <= 0 ? "今日到期" : $"尚餘 {daysLeft} 日";

    public static MimeMessage Create(
        Notice notice, IReadOnlyList<string> to, int daysLeft, IReadOnlyList<Reply> replies, IReadOnlyList<PhoneConfirmation> calls,
        MailIntakeOptions options, DateTimeOffset now, OtherMail? other = null, string? sentElsewhere = null)
    {
        var subject = $"【期限提醒】{notice.Reference} {notice.OrgCode} 限期改善單將於{Labels.Date(notice.Deadline)}到期";
        return OutgoingMessage.Create(options, to, subject, Body(notice, daysLeft, replies, calls, options, other, sentElsewhere), autoSubmitted: "auto-generated", now);
    }

    /// <summary>
    /// When none of <paramref name="to"/> received the notice itself (the registry's addresses changed since it was mailed):
    /// the line telling the new mailbox when and where the notice went and how to get it; else null.
    /// </summary>
    public static string? SentElsewhere(Notice notice, IReadOnlyList<OutboundMail> mails, IReadOnlyList<string> to, MailIntakeOptions options)
    {
        var sent = mails.Where(mail => mail.Kind == OutboundKind.Notice && mail.SentAt is not null && mail.Status != OutboundStatus.Bounced).MaxBy(mail => mail.SentAt);
        if (sent is null || sent.To.Any(address => to.Contains(address, StringComparer.OrdinalIgnoreCase)))
        {
            return null;
        }

        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(sent.SentAt!.Value, options.Zone).DateTime);
        return $"本中心已於{Labels.Date(day)}以電子郵件將限期改善單 {notice.Reference}（含應填寫之表單）寄至 {string.Join("、", sent.To)}（貴單位當時登記之電子郵件）；"
               + $"本提醒寄至貴單位現登記之電子郵件，如未收到該限期改善單，請來電 {options.Center.Phone}（{options.Center.Unit} {options.Center.ContactName}）索取。";
    }

    /// <summary>The reminder's text and HTML, as of <paramref name="daysLeft"/> and the replies and calls given.</summary>
    public static BodyBuilder Body(
        Notice notice, int daysLeft, IReadOnlyList<Reply> replies, IReadOnlyList<PhoneConfirmation> calls, MailIntakeOptions options, OtherMail? other = null,
        string? sentElsewhere = null)
    {
        var lines = Lines(notice, daysLeft, replies, calls, options, other, sentElsewhere);
        return new BodyBuilder
        {
            TextBody = string.Join("\n\n", lines) + "\n",
            HtmlBody = "<!DOCTYPE html><html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\"></head><body style=\"font-family:'Microsoft JhengHei','Noto Sans CJK TC',sans-serif\">"
                + string.Concat(lines.Select(line => $"<p>{WebUtility.HtmlEncode(line)}</p>")) + "</body></html>",
        };
    }
}
