namespace MailIntake.Parsing;

/// <summary>What becomes of a mail that carries a machine sign (<see cref="AutomaticMailDetector"/>).</summary>
public enum AutomaticReview
{
    /// <summary>A bounce or auto-reply as its sign says.</summary>
    Automatic,

    /// <summary>Names one of our notices and carries files, but its sign is not outweighed: held for staff, never dropped.</summary>
    HeldForStaff,

    /// <summary>A person's reply after all: processed as any mail.</summary>
    PersonsReply,
}

/// <summary>
/// Weighs a machine sign against the signs of a person's reply. A header or an address is all some signs are — a copier's
/// scan-to-mail and mass-mail gateways stamp <c>Precedence: bulk</c> or <c>Auto-Submitted: auto-generated</c>, and a small
/// organisation may write from <c>postmaster@</c> — while a reply written by a person names the notice and brings files. Such
/// a sign is outweighed by a mail that names the notice (its reference or code in its own subject, body or form, or answering
/// our mail), comes from an address registered to the notice's organisation (or answers the notice's mail), and carries a
/// returned form or attachments. A mail that names a notice and carries files but is not outweighed (an out-of-office
/// with the form attached, an unregistered sender) is held for staff, to be assigned or dismissed. Delivery and read reports
/// and mails carrying another message (a bounce returning our notice) stay what they are.
/// </summary>
public static class AutomaticMailReview
{
    public static AutomaticReview Review(AutomaticClassification automatic, ParsedMail mail, MatchResult match, MatchContext context)
    {
        ArgumentNullException.ThrowIfNull(automatic);
        ArgumentNullException.ThrowIfNull(mail);
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(context);
        if (automatic.Kind == AutomaticKind.None)
        {
            return AutomaticReview.PersonsReply;
        }

        var bringsFiles = mail.Forms.Count > 0 || mail.Attachments.Count > 0;
        if (IsReport(automatic.Sign) || mail.InnerTexts.Count > 0 || !bringsFiles || !NamesNotice(match))
        {
            return AutomaticReview.Automatic;
        }

        return IsHeaderOnly(automatic) && match.Outcome == MatchOutcome.Matched && FromTheOrganisation(mail, match, context)
            ? AutomaticReview.PersonsReply
            : AutomaticReview.HeldForStaff;
    }

    /// <summary>Signs that are only a header or an address, which a person's mail sent through a gateway or a shared mailbox can carry.</summary>
    public static bool IsHeaderOnly(AutomaticClassification automatic) => automatic.Sign switch
    {
        AutomaticSign.PrecedenceHeader => automatic.Evidence is "bulk" or "junk",
        AutomaticSign.AutoSubmittedHeader => string.Equals(automatic.Evidence, "auto-generated", StringComparison.OrdinalIgnoreCase),
        AutomaticSign.DaemonSender or AutomaticSign.DaemonReturnPath or AutomaticSign.EmptyReturnPath => true,
        _ => false,
    };

    private static bool IsReport(AutomaticSign? sign) => sign is AutomaticSign.DeliveryStatusReport or AutomaticSign.DeliveryStatusPart
        or AutomaticSign.ExchangeNdrHeader or AutomaticSign.ReadReceiptReport or AutomaticSign.ReadReceiptPart;

    /// <summary>Named by reference, code or thread — a registered sender alone names no notice.</summary>
    private static bool NamesNotice(MatchResult match) =>
        match.Outcome == MatchOutcome.Matched ? match.MatchedBy is not MatchMethod.Sender : match.Candidates.Count > 0;

    private static bool FromTheOrganisation(ParsedMail mail, MatchResult match, MatchContext context) =>
        match.MatchedBy == MatchMethod.Thread
        || (mail.FromAddress is { } from && context.OrgCodesByEmail.TryGetValue(from, out var codes)
            && context.ByReference.TryGetValue(match.Reference!, out var notice) && codes.Contains(notice.OrgCode, StringComparer.Ordinal));
}
