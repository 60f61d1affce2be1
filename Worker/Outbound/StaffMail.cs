using MailIntake.Worker.Options;
using MimeKit;

namespace MailIntake.Worker.Outbound;

/// <summary>Mail to the center's staff (Staff:DigestRecipients): prompts, overdue notes, the digest.</summary>
public static class StaffMail
{
    /// <summary>Null when no staff address is configured: the event is still on the notice's timeline.</summary>
    public static MimeMessage? Create(MailIntakeOptions options, string subject, string text, string html, DateTimeOffset now) =>
        options.Staff.DigestRecipients.Count == 0
            ? null
            : OutgoingMessage.Create(options, options.Staff.DigestRecipients, subject, new BodyBuilder { TextBody = text, HtmlBody = html }, "auto-generated", now);

    public static string Html(IEnumerable<string> paragraphs) =>
        "<!DOCTYPE html><html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\"></head><body style=\"font-family:'Microsoft JhengHei','Noto Sans CJK TC',sans-serif\">"
        + string.Concat(paragraphs.Select(line => $"<p>{System.Net.WebUtility.HtmlEncode(line)}</p>")) + "</body></html>";
}
