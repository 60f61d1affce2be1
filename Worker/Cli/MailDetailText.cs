using MailIntake.Storage;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Cli;

/// <summary><c>mail show</c> for people (zh-TW): what was recorded about the mail, its headers, its text and its files.</summary>
public static class MailDetailText
{
    public static void Write(TextWriter output, MailDetail detail, TimeZoneInfo zone)
    {
        var mail = detail.Mail;
        output.WriteLine($"郵件 #{mail.MailId}");
        output.WriteLine($"  類別：{Labels.Kind(mail.Kind)}{(mail.NoticeRef is null ? string.Empty : $"（限期改善單 {mail.NoticeRef}）")}");
        if (!string.IsNullOrWhiteSpace(mail.Reason))
        {
            output.WriteLine($"  原因：{mail.Reason}");
        }

        if (mail.Dismissal is { } dismissal)
        {
            output.WriteLine($"  已註記不需處理：{dismissal.By}　{Labels.Moment(dismissal.At, zone)}　{dismissal.Reason}");
        }

        output.WriteLine($"  收件時間：{Labels.Arrival(mail.ReceivedAt, mail.CarriedArrival, zone, mail.Kind == MailKind.Reply ? mail.NoticeIssuedAt : null)}");
        output.WriteLine($"  寄件者：{detail.FromDisplay ?? detail.FromAddress ?? "（無）"}");
        output.WriteLine($"  收件者：{List(detail.To)}");
        if (detail.Cc.Count > 0)
        {
            output.WriteLine($"  副本：{List(detail.Cc)}");
        }

        output.WriteLine($"  寄件日期：{(detail.Date is { } date ? Labels.Moment(date, zone) : "（無）")}");
        output.WriteLine($"  主旨：{detail.Subject ?? "（無）"}");
        output.WriteLine($"  郵件識別碼：{mail.MessageId ?? "（無）"}{(mail.Flags.Contains(MailFlag.MessageIdReused) ? "（與另一封不同之郵件重複）" : string.Empty)}");
        output.WriteLine($"  原始郵件：{mail.RawPath}{detail.Raw switch
        {
            RawMailState.Missing => "（檔案不存在）",
            RawMailState.Unreadable => "（無法解析為郵件，原始檔保存）",
            _ => string.Empty,
        }}");

        output.WriteLine("內文：");
        var body = detail.Body?.Trim();
        foreach (var line in string.IsNullOrEmpty(body) ? ["（無文字內容）"] : body.ReplaceLineEndings("\n").Split('\n'))
        {
            output.WriteLine($"  {line}");
        }

        output.WriteLine($"附件（{detail.Attachments.Count}）：");
        foreach (var file in detail.Attachments)
        {
            var item = file.Item is { } number ? $"附件{number}" : "未標項次";
            var kept = file.StoredPath is null ? "未另存佐證檔（僅在原始郵件中）" : $"佐證檔 {file.StoredPath}";
            var flags = file.Flags.Count > 0 ? $"　⚠ {EvidenceFlagLabels.Join(file.Flags)}" : string.Empty;
            output.WriteLine($"  {item}　{file.FileName}　{Labels.Size(file.Size)}　{kept}{flags}");
        }
    }

    private static string List(IReadOnlyList<string> addresses) => addresses.Count == 0 ? "（無）" : string.Join("、", addresses);
}
