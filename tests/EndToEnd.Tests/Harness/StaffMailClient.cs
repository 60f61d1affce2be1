using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Utils;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>A <c>mailto:</c> link as RFC 6068 reads it.</summary>
public sealed record Mailto(string To, string Subject, string Body)
{
    public static Mailto Parse(string href)
    {
        if (!href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            throw new XunitException($"not a mailto link: {href}");
        var rest = href["mailto:".Length..];
        var query = rest.IndexOf('?');
        var to = Uri.UnescapeDataString(query < 0 ? rest : rest[..query]);
        string subject = "", body = "";
        foreach (var pair in (query < 0 ? "" : rest[(query + 1)..]).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = pair[..eq].ToLowerInvariant();
            var value = Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (name == "subject") subject = value;
            else if (name == "body") body = value;
        }

        return new Mailto(to, subject, body);
    }

    /// <summary>The body with the value of the line <c>LABEL：…</c> replaced, as a member edits it in the compose window.</summary>
    public Mailto WithLine(string label, string value)
    {
        var lines = Body.Split("\r\n");
        var index = Array.FindIndex(lines, line => line.StartsWith(label + "：", StringComparison.Ordinal));
        if (index < 0)
            throw new XunitException($"the mailto body has no line 「{label}：」:\n{Body}");
        lines[index] = $"{label}：{value}";
        return this with { Body = string.Join("\r\n", lines) };
    }
}

/// <summary>
/// What a staff member's mail client does with an action link: opens a new mail from the <c>mailto:</c> URL, lets the
/// member edit lines, and sends it — as Outlook does, text and HTML alternatives (or HTML only), submitted with the
/// member's login to the real Postfix, which delivers it to the center's mailbox.
/// </summary>
public static partial class StaffMailClient
{
    /// <summary>The action links of a staff mail's HTML: (anchor text, href), in order.</summary>
    public static IReadOnlyList<(string Text, string Href)> Links(MimeMessage mail) =>
        Anchor().Matches(mail.HtmlBody ?? "")
            .Select(match => (WebUtility.HtmlDecode(match.Groups["text"].Value).Trim(), WebUtility.HtmlDecode(match.Groups["href"].Value)))
            .Where(link => link.Item2.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            .ToList();

    /// <summary>The one link whose anchor text is <paramref name="text"/> (or contains it when <paramref name="contains"/>).</summary>
    public static Mailto Link(MimeMessage mail, string text, bool contains = false)
    {
        var links = Links(mail);
        var found = links.Where(link => contains ? link.Text.Contains(text, StringComparison.Ordinal) : link.Text == text).ToList();
        return found.Count == 1
            ? Mailto.Parse(found[0].Href)
            : throw new XunitException($"expected one link 「{text}」 in 「{mail.Subject}」, found {found.Count}; links: {string.Join(" | ", links.Select(l => l.Text))}");
    }

    /// <summary>The new mail the client composes from <paramref name="link"/>, From <paramref name="from"/>.</summary>
    public static MimeMessage Compose(Mailto link, string from, bool htmlOnly = false)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(Encoding.UTF8, "王小明", from));
        message.To.Add(MailboxAddress.Parse(link.To));
        message.Headers.Replace(HeaderId.Subject, Encoding.UTF8, link.Subject);
        message.Date = TestClock.Now;
        message.MessageId = MimeUtils.GenerateMessageId("staff.example.tw");
        message.Headers.Add("X-Mailer", "Microsoft Outlook 16.0");
        var html = "<html><head><meta charset=\"utf-8\"></head><body lang=ZH-TW><div class=WordSection1>"
                   + string.Concat(link.Body.Split("\r\n").Select(line => $"<p class=MsoNormal>{WebUtility.HtmlEncode(line)}<o:p></o:p></p>"))
                   + "</div></body></html>";
        var htmlPart = new TextPart("html") { Text = html, ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        htmlPart.ContentType.Charset = "utf-8";
        if (htmlOnly)
        {
            message.Body = htmlPart;
        }
        else
        {
            var text = new TextPart("plain") { Text = link.Body, ContentTransferEncoding = ContentEncoding.QuotedPrintable };
            text.ContentType.Charset = "utf-8";
            message.Body = new MultipartAlternative { text, htmlPart };
        }

        return message;
    }

    /// <summary>Submits <paramref name="message"/> to the stack's Postfix with STARTTLS and <paramref name="login"/>'s password.</summary>
    public static async Task SendAsync(MimeMessage message, string login)
    {
        var stack = MailStack.Settings;
        using var smtp = new SmtpClient();
        smtp.ServerCertificateValidationCallback = MailStack.ValidateServerCertificate;
        await smtp.ConnectAsync(stack.Host, stack.SmtpPort, SecureSocketOptions.StartTls);
        await smtp.AuthenticateAsync(login, stack.PasswordOf(login));
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(quit: true);
    }

    [GeneratedRegex("<a\\s[^>]*href=\"(?<href>[^\"]+)\"[^>]*>(?<text>[^<]*)</a>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Anchor();
}
