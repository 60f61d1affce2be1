using System.Globalization;
using System.Net;
using System.Text;
using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.Outbound;

/// <summary>The receipt's words (zh-TW): what was received, what the form still asks for, and the phone call.</summary>
public static class ReceiptText
{
    private static readonly string[] EvidenceItems = ["防火牆阻擋規則", "防毒軟體掃描結果", "公文文號清單", "公文檔案掃描結果"];

    public static string Subject(Notice notice) => $"【收件回執】{notice.Reference} 已收到貴單位的限期改善單回覆";

    /// <summary>What the form asks for that no reply to this notice has given yet.</summary>
    public static IReadOnlyList<string> Missing(IReadOnlyList<Reply> replies)
    {
        var missing = new List<string>();
        if (!replies.Any(reply => reply.FillerName is not null)) missing.Add("填寫人姓名");
        if (!replies.Any(reply => reply.FillerPhone is not null)) missing.Add("填寫人電話");
        if (!replies.Any(reply => reply.FillerEmail is not null)) missing.Add("填寫人電子郵件信箱");
        var seen = replies.SelectMany(reply => reply.Evidence).Select(file => file.Item).OfType<int>().ToHashSet();
        for (var item = 1; item <= EvidenceItems.Length; item++)
        {
            if (!seen.Contains(item))
            {
                missing.Add($"附件{item}（{EvidenceItems[item - 1]}）");
            }
        }

        return missing;
    }

    public static string PlainText(Notice notice, Reply reply, IReadOnlyList<string> missing, CenterOptions center, TimeZoneInfo zone)
    {
        var text = new StringBuilder();
        text.AppendLine($"{notice.OrgName} 您好：");
        text.AppendLine();
        text.AppendLine($"本中心已於{ReceivedAt(reply, zone)}收到貴單位對限期改善單 {notice.Reference} 的回覆郵件（寄件者 {reply.From}）。");
        text.AppendLine();
        text.AppendLine($"收到的檔案（{reply.Evidence.Count} 個）：");
        foreach (var (file, index) in reply.Evidence.Select((file, index) => (file, index)))
        {
            text.AppendLine($"  {index + 1}. {FileLine(file)}");
        }

        if (reply.Evidence.Count == 0)
        {
            text.AppendLine("  （本次回覆沒有附件）");
        }

        text.AppendLine();
        if (missing.Count > 0)
        {
            text.AppendLine("限期改善單尚待補充：");
            foreach (var item in missing)
            {
                text.AppendLine($"  ・{item}");
            }
        }
        else
        {
            text.AppendLine("限期改善單所列資料均已收到，本中心將進行查核。");
        }

        text.AppendLine();
        text.AppendLine($"提醒：以電子郵件方式回復者，應再以電話確認之。請來電 {center.Phone}（{center.Unit} {center.ContactName}）確認本次回覆。");
        text.AppendLine();
        text.AppendLine($"{center.Name}（本回執由系統自動寄出）");
        return text.ToString();
    }

    public static string Html(Notice notice, Reply reply, IReadOnlyList<string> missing, CenterOptions center, TimeZoneInfo zone)
    {
        static string E(string value) => WebUtility.HtmlEncode(value);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\"></head>")
            .Append("<body style=\"font-family:'Microsoft JhengHei','Noto Sans CJK TC',sans-serif;font-size:15px;color:#222\">");
        html.Append("<p>").Append(E(notice.OrgName)).Append(" 您好：</p>");
        html.Append("<p>本中心已於").Append(E(ReceivedAt(reply, zone))).Append("收到貴單位對限期改善單 <strong>")
            .Append(E(notice.Reference)).Append("</strong> 的回覆郵件（寄件者 ").Append(E(reply.From ?? "")).Append("）。</p>");
        html.Append("<table border=\"1\" cellpadding=\"6\" style=\"border-collapse:collapse\"><tr style=\"background:#f2f2f2\"><th>檔案名稱</th><th>大小</th><th>項次</th></tr>");
        foreach (var file in reply.Evidence)
        {
            html.Append("<tr><td>").Append(E(file.FileName)).Append("</td><td>").Append(E(Size(file.Size))).Append("</td><td>")
                .Append(E(file.Item is { } item ? $"附件{item}" : "未標示")).Append("</td></tr>");
        }

        html.Append("</table>");
        if (missing.Count > 0)
        {
            html.Append("<p style=\"color:#b00020\">限期改善單尚待補充：</p><ul>");
            foreach (var item in missing)
            {
                html.Append("<li>").Append(E(item)).Append("</li>");
            }

            html.Append("</ul>");
        }
        else
        {
            html.Append("<p>限期改善單所列資料均已收到，本中心將進行查核。</p>");
        }

        html.Append("<p><strong>提醒：以電子郵件方式回復者，應再以電話確認之。請來電 ").Append(E(center.Phone)).Append("（")
            .Append(E($"{center.Unit} {center.ContactName}")).Append("）確認本次回覆。</strong></p>");
        html.Append("<p>").Append(E(center.Name)).Append("（本回執由系統自動寄出）</p></body></html>");
        return html.ToString();
    }

    private static string ReceivedAt(Reply reply, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(reply.ReceivedAt, zone);
        return $"{RocDate.Format(DateOnly.FromDateTime(local.DateTime))} {local:HH:mm}";
    }

    private static string FileLine(StoredEvidence file) =>
        $"{file.FileName}（{Size(file.Size)}，{(file.Item is { } item ? $"附件{item}" : "未標示附件項次")}）";

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.#} MB"),
    };
}
