using System.Net;
using System.Text;
using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.Outbound;

/// <summary>The notice mail's words (zh-TW), in plain text and HTML: everything the paper form carries.</summary>
public static class NoticeMailText
{
    public static string Subject(Notice notice) =>
        $"【限期改善單】{notice.Reference} {notice.OrgCode} {notice.OrgName}：請於{RocDate.Format(notice.Deadline)}前改善完竣";

    /// <summary>
    /// Said when the notice leaves on a later day than it was written (<paramref name="sentLateOn"/>): the delay was the
    /// center's, and the deadline it carries was moved on by as many days.
    /// </summary>
    public static string SentLate(DateOnly issuedOn, DateOnly sentLateOn) =>
        $"本單於{RocDate.Format(issuedOn)}開立，因本中心郵件系統延誤，至{RocDate.Format(sentLateOn)}始寄出；改善期限已依原給予之期間順延，以本單所載為準。";

    public static string PlainText(Notice notice, CenterOptions center, DateOnly issuedOn, DateOnly? sentLateOn = null)
    {
        var text = new StringBuilder();
        text.AppendLine($"{notice.OrgName} 您好：");
        text.AppendLine();
        text.AppendLine($"公文電子交換系統限期改善單　編號：{notice.Reference}");
        text.AppendLine($"日期：{RocDate.Format(issuedOn)}");
        text.AppendLine();
        text.AppendLine($"改善對象　機關(構)代碼/機關(構)名稱：{notice.OrgCode} / {notice.OrgName}");
        text.AppendLine();
        text.AppendLine($"事由：{Reason(notice)}");
        text.AppendLine();
        text.AppendLine("改善事項：");
        for (var i = 0; i < notice.Items.Count; i++)
        {
            text.AppendLine($"{i + 1}. {notice.Items[i]}");
        }

        text.AppendLine();
        text.AppendLine($"法令依據：{center.LegalBasis}");
        text.AppendLine();
        text.AppendLine($"改善期限：應於{RocDate.Format(notice.Deadline)}前改善完竣。");
        if (sentLateOn is { } sent)
        {
            text.AppendLine(SentLate(issuedOn, sent));
        }
        text.AppendLine();
        text.AppendLine($"主管機關聯絡窗口（服務單位/姓名/電話/電子郵件信箱）：{Contact(center)}");
        text.AppendLine();
        text.AppendLine("回覆方式：");
        foreach (var line in HowToReply(notice, center))
        {
            text.AppendLine($"・{line}");
        }

        text.AppendLine();
        text.AppendLine("本郵件附有可填寫之限期改善單（.docx 與 .odt），請填寫「以下由改善對象填寫」部分後回傳。");
        text.AppendLine($"{center.Name} 敬上");
        return text.ToString();
    }

    public static string Html(Notice notice, CenterOptions center, DateOnly issuedOn, DateOnly? sentLateOn = null)
    {
        static string E(string value) => WebUtility.HtmlEncode(value);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\"><title>")
            .Append(E(notice.Reference)).Append("</title></head>")
            .Append("<body style=\"font-family:'Microsoft JhengHei','Noto Sans CJK TC',sans-serif;font-size:15px;color:#222;max-width:760px\">");
        html.Append("<p>").Append(E(notice.OrgName)).Append(" 您好：</p>");
        html.Append("<h2 style=\"margin-bottom:4px\">公文電子交換系統限期改善單</h2>");
        html.Append("<p style=\"margin-top:0\">編號：<strong>").Append(E(notice.Reference)).Append("</strong>　日期：").Append(E(RocDate.Format(issuedOn))).Append("</p>");
        html.Append("<table style=\"border-collapse:collapse;width:100%\" cellpadding=\"8\" border=\"1\">");
        Row(html, "改善對象", $"機關(構)代碼/機關(構)名稱：{notice.OrgCode} / {notice.OrgName}");
        Row(html, "事由", Reason(notice));
        html.Append("<tr><th style=\"background:#f2f2f2;text-align:left;width:22%\">改善事項</th><td><ol style=\"margin:0;padding-left:20px\">");
        foreach (var item in notice.Items)
        {
            html.Append("<li>").Append(E(item)).Append("</li>");
        }

        html.Append("</ol></td></tr>");
        Row(html, "法令依據", center.LegalBasis);
        Row(html, "改善期限", $"應於{RocDate.Format(notice.Deadline)}前改善完竣。" + (sentLateOn is { } sent ? SentLate(issuedOn, sent) : string.Empty), highlight: true);
        Row(html, "主管機關聯絡窗口", Contact(center));
        html.Append("</table>");
        html.Append("<h3>回覆方式</h3><ol>");
        foreach (var line in HowToReply(notice, center))
        {
            html.Append("<li>").Append(E(line)).Append("</li>");
        }

        html.Append("</ol><p>本郵件附有可填寫之限期改善單（.docx 與 .odt），請填寫「以下由改善對象填寫」部分後回傳。</p>");
        html.Append("<p>").Append(E(center.Name)).Append(" 敬上</p></body></html>");
        return html.ToString();

        static void Row(StringBuilder html, string label, string value, bool highlight = false) =>
            html.Append("<tr><th style=\"background:#f2f2f2;text-align:left;width:22%\">").Append(E(label)).Append("</th><td")
                .Append(highlight ? " style=\"color:#b00020;font-weight:bold\"" : string.Empty).Append('>').Append(E(value)).Append("</td></tr>");
    }

    public static string Reason(Notice notice) =>
        $"請確認貴用戶使用本系統電腦 (IP：{notice.HostIp})連線惡意 IP({string.Join("、", notice.MaliciousIps)})原因、" +
        $"該電腦是否感染惡意程式及發生該資安事件期間({RocDate.Format(notice.IncidentFrom)}至{RocDate.Format(notice.IncidentTo)})之公文電子交換檔案是否感染惡意程式。";

    public static string Contact(CenterOptions center) => $"{center.Unit}/{center.ContactName}/{center.Phone}/{center.Email}";

    public static IReadOnlyList<string> HowToReply(Notice notice, CenterOptions center) =>
    [
        $"請直接回覆本郵件（主旨請保留編號 {notice.Reference}），附上填寫完成並蓋用印信之限期改善單。",
        $"佐證資料請以附件檔名標示項次：{Application.NoticeAsks.EvidenceList(notice)}。",
        "請填寫填寫人姓名、電話與電子郵件信箱（必填），並說明各改善事項之處理情形與完成日期。",
        $"以電子郵件方式回復者，寄出後請再以電話確認：{center.Phone}（{center.Unit} {center.ContactName}）。",
    ];
}
