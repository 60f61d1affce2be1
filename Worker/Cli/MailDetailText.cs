using System.Globalization;
using MailIntake.Parsing;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Cli;

/// <summary><c>mail show</c> for people (zh-TW): what was recorded about the mail, its headers, its text and its files.</summary>
public static class MailDetailText
{
    public static void Write(TextWriter output, MailDetail detail, TimeZoneInfo zone)
    {
        var mail = detail.Mail;
        output.WriteLine($"郵件 #{mail.MailId}");
        output.WriteLine($"  類別：{KindLabel(mail.Kind)}{(mail.NoticeRef is null ? string.Empty : $"（限期改善單 {mail.NoticeRef}）")}");
        if (!string.IsNullOrWhiteSpace(mail.Reason))
        {
            output.WriteLine($"  原因：{mail.Reason}");
        }

        output.WriteLine($"  收件時間：{Moment(mail.ReceivedAt, zone)}");
        output.WriteLine($"  寄件者：{detail.FromDisplay ?? mail.From ?? "（無）"}");
        output.WriteLine($"  收件者：{List(detail.To)}");
        if (detail.Cc.Count > 0)
        {
            output.WriteLine($"  副本：{List(detail.Cc)}");
        }

        output.WriteLine($"  寄件日期：{(detail.Date is { } date ? Moment(date, zone) : "（無）")}");
        output.WriteLine($"  主旨：{mail.Subject ?? "（無）"}");
        output.WriteLine($"  郵件識別碼：{mail.MessageId ?? "（無）"}");
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
            var flags = file.Flags.Count > 0 ? $"　⚠ {string.Join("、", file.Flags)}" : string.Empty;
            output.WriteLine($"  {item}　{file.FileName}　{Size(file.Size)}　{kept}{flags}");
        }
    }

    private static string List(IReadOnlyList<string> addresses) => addresses.Count == 0 ? "（無）" : string.Join("、", addresses);

    private static string KindLabel(string kind) => kind switch
    {
        "received" => "待處理",
        "reply" => "回覆",
        "auto-reply" => "自動回覆",
        "bounce" => "退信",
        "unmatched" => "未比對",
        "ambiguous" => "比對不明",
        "suspicious" => "可疑",
        _ => kind,
    };

    private static string Moment(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return $"{RocDate.Format(DateOnly.FromDateTime(local.DateTime))} {local.ToString("HH:mm", CultureInfo.InvariantCulture)}";
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} 位元組",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.#} MB"),
    };
}
