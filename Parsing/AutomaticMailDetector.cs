using System.Text.RegularExpressions;
using MimeKit;

namespace MailIntake.Parsing;

public enum AutomaticKind
{
    None,
    AutoReply,
    Bounce,
}

/// <summary>Which sign showed a mail to be machine-sent; the Worker words it for staff.</summary>
public enum AutomaticSign
{
    DeliveryStatusReport,
    ReadReceiptReport,
    DeliveryStatusPart,
    ReadReceiptPart,
    ExchangeNdrHeader,
    DaemonSender,
    AutoSubmittedHeader,
    AutoReplyHeader,
    AppleVacationHeader,
    ExchangeRuleReply,
    PrecedenceHeader,
    SubjectPrefix,
    EmptyReturnPath,
    DaemonReturnPath,
}

/// <summary>
/// What kind of machine-sent mail a message is, the sign that showed it, and that sign's value as found in the mail
/// (a header's first token, a sender's local part, a subject prefix, a MIME type), at most 40 characters.
/// </summary>
public sealed record AutomaticClassification(AutomaticKind Kind, AutomaticSign? Sign = null, string? Evidence = null)
{
    public static readonly AutomaticClassification None = new(AutomaticKind.None);
}

/// <summary>
/// Tells bounces and auto-replies (out-of-office, vacation, read receipts, list mail) from replies
/// written by a person, so neither is mistaken for an organisation's answer to a notice.
/// </summary>
/// <remarks>
/// Order matters. Delivery reports and mailer-daemon senders are checked first because most MTAs
/// also stamp their bounces "Auto-Submitted: auto-replied" or "Precedence: junk". An empty
/// Return-Path is checked last because Exchange sends its out-of-office replies with one too.
/// X-Auto-Response-Suppress is ignored: Outlook sets it on ordinary mail written by people.
/// </remarks>
public static partial class AutomaticMailDetector
{
    private const int MaxEvidenceLength = 40;

    private static readonly string[] AutoReplySubjectPrefixes =
    [
        "自動回覆", "自動回復", "自动回复", "自動応答", "自動返信",
        "不在辦公室", "不在办公室",
        "Automatic reply", "Automatische Antwort", "Auto reply", "Auto-reply", "AutoReply",
        "Auto response", "Auto-response", "AutoResponse", "Out of Office", "Out-of-Office",
        "Abwesenheitsnotiz", "Réponse automatique", "Respuesta automática", "Risposta automatica",
    ];

    private static readonly string[] DaemonLocalParts = ["MAILER-DAEMON", "postmaster"];

    private static readonly string[] AutoReplyFlagHeaders = ["X-Autoreply", "X-Autorespond", "X-Autoresponse"];

    [GeneratedRegex(@"^\s*(?:fwd?|轉寄|转发)\s*[:：]", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ForwardSubject();

    public static AutomaticClassification Detect(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);

        AutomaticClassification report = FindReport(message.Body);
        if (report.Kind == AutomaticKind.Bounce)
        {
            return report;
        }

        if (message.Headers.Contains("X-MS-Exchange-Message-Is-Ndr"))
        {
            return new AutomaticClassification(AutomaticKind.Bounce, AutomaticSign.ExchangeNdrHeader);
        }

        string? daemon = DaemonSender(message);
        if (daemon is not null)
        {
            return new AutomaticClassification(AutomaticKind.Bounce, AutomaticSign.DaemonSender, daemon);
        }

        AutomaticClassification autoReply = report.Kind == AutomaticKind.AutoReply ? report : AutoReplyEvidence(message);
        if (autoReply.Kind == AutomaticKind.AutoReply)
        {
            return autoReply;
        }

        string? returnPath = message.Headers[HeaderId.ReturnPath]?.Trim();
        if (returnPath == "<>")
        {
            return new AutomaticClassification(AutomaticKind.Bounce, AutomaticSign.EmptyReturnPath);
        }

        if (returnPath is not null && IsDaemonAddress(returnPath.Trim('<', '>', ' '), out string? returnDaemon))
        {
            return new AutomaticClassification(AutomaticKind.Bounce, AutomaticSign.DaemonReturnPath, returnDaemon);
        }

        return AutomaticClassification.None;
    }

    private static AutomaticClassification FindReport(MimeEntity? entity)
    {
        switch (entity)
        {
            case Multipart multipart:
                if (multipart.ContentType.IsMimeType("multipart", "report"))
                {
                    string? reportType = multipart.ContentType.Parameters["report-type"];
                    if (string.Equals(reportType, "delivery-status", StringComparison.OrdinalIgnoreCase))
                    {
                        return new AutomaticClassification(AutomaticKind.Bounce, AutomaticSign.DeliveryStatusReport);
                    }

                    if (string.Equals(reportType, "disposition-notification", StringComparison.OrdinalIgnoreCase))
                    {
                        return new AutomaticClassification(AutomaticKind.AutoReply, AutomaticSign.ReadReceiptReport);
                    }
                }

                AutomaticClassification found = AutomaticClassification.None;
                foreach (MimeEntity child in multipart)
                {
                    AutomaticClassification inner = FindReport(child);
                    if (inner.Kind == AutomaticKind.Bounce)
                    {
                        return inner;
                    }

                    found = found.Kind == AutomaticKind.None ? inner : found;
                }

                return found;

            // A forwarded message/rfc822 is deliberately not searched: it is someone else's mail.
            case MimePart part when part.ContentType.IsMimeType("message", "delivery-status")
                || part.ContentType.IsMimeType("message", "global-delivery-status"):
                return new AutomaticClassification(AutomaticKind.Bounce, AutomaticSign.DeliveryStatusPart, part.ContentType.MimeType.ToLowerInvariant());

            case MimePart part when part.ContentType.IsMimeType("message", "disposition-notification"):
                return new AutomaticClassification(AutomaticKind.AutoReply, AutomaticSign.ReadReceiptPart);

            default:
                return AutomaticClassification.None;
        }
    }

    private static string? DaemonSender(MimeMessage message)
    {
        IEnumerable<MailboxAddress> senders = message.From.Mailboxes;
        if (message.Sender is not null)
        {
            senders = senders.Append(message.Sender);
        }

        foreach (MailboxAddress sender in senders)
        {
            if (IsDaemonAddress(sender.Address, out string? daemon))
            {
                return daemon;
            }
        }

        return null;
    }

    private static bool IsDaemonAddress(string address, out string? daemon)
    {
        int at = address.LastIndexOf('@');
        string localPart = at < 0 ? address : address[..at];
        daemon = DaemonLocalParts.FirstOrDefault(name => string.Equals(name, localPart, StringComparison.OrdinalIgnoreCase));
        return daemon is not null;
    }

    private static AutomaticClassification AutoReplyEvidence(MimeMessage message)
    {
        string? autoSubmitted = FirstToken(message.Headers[HeaderId.AutoSubmitted]);
        if (autoSubmitted is not null && !string.Equals(autoSubmitted, "no", StringComparison.OrdinalIgnoreCase))
        {
            return AutoReply(AutomaticSign.AutoSubmittedHeader, autoSubmitted);
        }

        string? flagHeader = AutoReplyFlagHeaders.FirstOrDefault(message.Headers.Contains);
        if (flagHeader is not null)
        {
            return AutoReply(AutomaticSign.AutoReplyHeader, flagHeader);
        }

        if (string.Equals(FirstToken(message.Headers["X-Apple-Action"]), "VACATION", StringComparison.OrdinalIgnoreCase))
        {
            return AutoReply(AutomaticSign.AppleVacationHeader);
        }

        if (IsExchangeRuleReply(message))
        {
            return AutoReply(AutomaticSign.ExchangeRuleReply);
        }

        string? precedence = FirstToken(message.Headers[HeaderId.Precedence])?.ToLowerInvariant();
        if (precedence is "bulk" or "junk" or "list")
        {
            return AutoReply(AutomaticSign.PrecedenceHeader, precedence);
        }

        string subject = message.Subject?.TrimStart() ?? string.Empty;
        string? prefix = AutoReplySubjectPrefixes.FirstOrDefault(p => subject.StartsWith(p, StringComparison.OrdinalIgnoreCase));
        return prefix is null ? AutomaticClassification.None : AutoReply(AutomaticSign.SubjectPrefix, prefix);
    }

    private static AutomaticClassification AutoReply(AutomaticSign sign, string? evidence = null) =>
        new(AutomaticKind.AutoReply, sign, evidence);

    // Exchange stamps X-MS-Exchange-Inbox-Rules-Loop on everything an inbox rule sends, including
    // rule-based forwards and redirects, e.g. a staff mailbox forwarding genuine replies to the
    // intake mailbox. Only a rule message sent from the looping mailbox itself and not titled as a
    // forward is an out-of-office or rule-based auto-reply.
    private static bool IsExchangeRuleReply(MimeMessage message)
    {
        string? loopAddress = message.Headers["X-MS-Exchange-Inbox-Rules-Loop"]?.Trim();
        if (string.IsNullOrEmpty(loopAddress) || ForwardSubject().IsMatch(message.Subject ?? string.Empty))
        {
            return false;
        }

        return message.From.Mailboxes.Any(from => string.Equals(from.Address, loopAddress, StringComparison.OrdinalIgnoreCase));
    }

    private static string? FirstToken(string? headerValue)
    {
        if (string.IsNullOrWhiteSpace(headerValue))
        {
            return null;
        }

        string token = headerValue.Trim().Split([';', ' ', '\t', '('], 2)[0];
        return token.Length > MaxEvidenceLength ? token[..MaxEvidenceLength] : token;
    }
}
