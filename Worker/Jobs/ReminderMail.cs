using System.Net;
using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;
using MimeKit;

namespace MailIntake.Worker.Jobs;

/// <summary>The deadline reminder to the organisation (zh-TW).</summary>
public static class ReminderMail
{
    public static MimeMessage Create(Notice notice, Organisation organisation, int daysBefore, MailIntakeOptions options, DateTimeOffset now)
    {
        var center = options.Center;
        var lines = new[]
        {
            $"{notice.OrgName} 您好：",
            $"貴單位的公文電子交換系統限期改善單 {notice.Reference}，改善期限為{RocDate.Format(notice.Deadline)}（尚餘 {daysBefore} 日），本中心尚未收到貴單位的回覆。",
            "請於期限前回覆本中心：填寫限期改善單（填寫人姓名、電話、電子郵件信箱與各項處理情形），並附上佐證資料（附件1 防火牆阻擋規則、附件2 防毒軟體掃描結果、附件3 公文文號清單、附件4 公文檔案掃描結果）。",
            $"以電子郵件方式回復者，應再以電話確認之：{center.Phone}（{center.Unit} {center.ContactName}）。",
            $"{center.Name}（本郵件由系統自動寄出）",
        };
        var body = new BodyBuilder
        {
            TextBody = string.Join("\n\n", lines) + "\n",
            HtmlBody = "<!DOCTYPE html><html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\"></head><body style=\"font-family:'Microsoft JhengHei','Noto Sans CJK TC',sans-serif\">"
                + string.Concat(lines.Select(line => $"<p>{WebUtility.HtmlEncode(line)}</p>")) + "</body></html>",
        };
        var subject = $"【期限提醒】{notice.Reference} {notice.OrgCode} 限期改善單將於{RocDate.Format(notice.Deadline)}到期";
        return OutgoingMessage.Create(options, organisation.Emails, subject, body, autoSubmitted: "auto-generated", now);
    }
}
