using System.Net;
using MailIntake.Worker.Options;
using MailIntake.Worker.StaffActions;
using MimeKit;

namespace MailIntake.Worker.Outbound;

/// <summary>
/// Mail to the center's staff (Staff:DigestRecipients): prompts, overdue notes, mail notes, the digest. Action links are
/// signed for one member, so each recipient gets a mail of their own: a member with their links, anyone else without.
/// </summary>
public static class StaffMail
{
    /// <summary>Null when no staff address is configured: the event is still on the notice's timeline.</summary>
    public static MimeMessage? Create(MailIntakeOptions options, string subject, string text, string html, DateTimeOffset now) =>
        options.Staff.DigestRecipients.Count == 0
            ? null
            : OutgoingMessage.Create(options, options.Staff.DigestRecipients, subject, new BodyBuilder { TextBody = text, HtmlBody = html }, "auto-generated", now);

    /// <summary>
    /// One mail per staff recipient; <paramref name="render"/> gets that recipient's links (null for a non-member) and
    /// returns the text and HTML bodies. <paramref name="attachment"/> (e.g. the original mail) goes with each.
    /// </summary>
    public static IReadOnlyList<(string Recipient, MimeMessage Message)> CreateEach(
        MailIntakeOptions options, ActionKeyStore keys, string subject, Func<ActionLinks?, (string Text, string Html)> render, DateTimeOffset now,
        Func<MimeEntity>? attachment = null)
    {
        var mails = new List<(string, MimeMessage)>();
        // A key that cannot be used (status and verify name it): the mail goes, without links it could not sign.
        var signing = keys.Problem() is null;
        foreach (var recipient in options.Staff.DigestRecipients.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var member = options.Staff.FindMember(MailboxAddress.Parse(recipient).Address);
            var links = member is null || !signing ? null : new ActionLinks(keys, options, member, now);
            var (text, html) = render(links);
            var body = new BodyBuilder { TextBody = text, HtmlBody = html };
            if (attachment is not null)
            {
                body.Attachments.Add(attachment());
            }

            mails.Add((recipient, OutgoingMessage.Create(options, [recipient], subject, body, "auto-generated", now)));
        }

        return mails;
    }

    /// <summary>The idempotency key of one recipient's copy.</summary>
    public static string Key(string key, string recipient) => $"{key}>{recipient.Trim().ToLowerInvariant()}";

    public static string Html(IEnumerable<string> paragraphs) => Html(paragraphs, links: null);

    /// <summary>Paragraphs, then a row of action buttons and the line that says how they work.</summary>
    public static string Html(IEnumerable<string> paragraphs, IReadOnlyList<ActionLink>? links) =>
        "<!DOCTYPE html><html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\"></head><body style=\"font-family:'Microsoft JhengHei','Noto Sans CJK TC',sans-serif\">"
        + string.Concat(paragraphs.Select(line => $"<p>{WebUtility.HtmlEncode(line)}</p>"))
        + (links is { Count: > 0 }
            ? $"<p>{ActionButtons.Html(links)}</p><p style=\"color:#757575;font-size:12px\">{WebUtility.HtmlEncode(ActionButtons.Footnote)}</p>"
            : string.Empty)
        + "</body></html>";
}
