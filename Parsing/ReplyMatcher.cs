using System.Text.RegularExpressions;

namespace MailIntake.Parsing;

/// <summary>A notice as the matcher sees it.</summary>
public sealed record NoticeCandidate(string Reference, string OrgCode, bool IsOpen);

/// <summary>
/// What the matcher knows of the world: notices, the registry's codes and addresses, and the notice of each mail we sent
/// that this mail answers (a plain dictionary of the Message-IDs it names; the caller looks them up). The notices are
/// indexed once, when the context is made (by reference, and the open ones by organisation): a context kept for many mails
/// costs each mail lookups, never a pass over every notice.
/// </summary>
public sealed record MatchContext(
    IReadOnlyList<NoticeCandidate> Notices,
    IReadOnlySet<string> OrgCodes,
    IReadOnlyDictionary<string, IReadOnlyList<string>> OrgCodesByEmail,
    IReadOnlyDictionary<string, string> NoticeByMessageId)
{
    private readonly NoticeIndex _index = new(Notices);

    public IReadOnlyList<NoticeCandidate> Notices
    {
        get => _index.All;
        init => _index = new NoticeIndex(value);
    }

    /// <summary>
    /// The Message-IDs the mail answers that are of our own sending but no mail we hold (a mail sent before a restore of an
    /// older backup, lost with it): the mail answers a notice we no longer know, never a reply to be filed by sender.
    /// </summary>
    public IReadOnlyList<string> LostThreadIds { get; init; } = [];

    internal IReadOnlyDictionary<string, NoticeCandidate> ByReference => _index.ByReference;

    internal ILookup<string, NoticeCandidate> OpenByOrg => _index.OpenByOrg;

    /// <summary>The notices and their indexes; equal when made from the same list, as the record was before it had them.</summary>
    private sealed class NoticeIndex(IReadOnlyList<NoticeCandidate> all)
    {
        public IReadOnlyList<NoticeCandidate> All { get; } = all;

        public IReadOnlyDictionary<string, NoticeCandidate> ByReference { get; } = all.ToDictionary(notice => notice.Reference, StringComparer.Ordinal);

        public ILookup<string, NoticeCandidate> OpenByOrg { get; } = all.Where(notice => notice.IsOpen).ToLookup(notice => notice.OrgCode, StringComparer.Ordinal);

        public override bool Equals(object? obj) => obj is NoticeIndex other && ReferenceEquals(All, other.All);

        public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(All);
    }
}

public enum MatchOutcome
{
    Matched,
    Ambiguous,
    Unmatched,

    /// <summary>Names a notice of an organisation the sender is not registered to: held for staff, never filed.</summary>
    Suspicious,
}

/// <summary>How a mail was tied to its notice (stored as text only by Storage).</summary>
public enum MatchMethod
{
    Reference,
    Thread,
    OrgCode,
    Sender,
    Staff,
}

/// <summary>Why a mail was not filed (the Worker words it in zh-TW, in one place).</summary>
public enum MatchReason
{
    /// <summary>The subject or form names several notices (<see cref="MatchResult.Candidates"/>).</summary>
    SeveralReferences,

    /// <summary>The mails it answers belong to several notices.</summary>
    SeveralThreads,

    /// <summary>The organisation codes it names (<see cref="MatchResult.OrgCodes"/>) have several open notices.</summary>
    CodeFitsSeveral,

    /// <summary>The sender is registered to organisations with several open notices.</summary>
    SenderFitsSeveral,

    /// <summary>The codes it names have no open notice.</summary>
    CodeWithoutOpenNotice,

    /// <summary>The sender's organisations have no open notice.</summary>
    SenderOrganisationWithoutOpenNotice,

    /// <summary>No reference, thread, registered code or registered sender.</summary>
    NothingToMatchBy,

    /// <summary>
    /// The sender is registered to other organisations (<see cref="MatchResult.OrgCodes"/>) than the one of the notice it
    /// names (<see cref="MatchResult.Candidates"/>), and does not answer a mail of that notice.
    /// </summary>
    SenderOfAnotherOrganisation,

    /// <summary>
    /// The subject names a notice, but the sender is registered to no organisation and does not answer a mail of it:
    /// references are sequential, so anyone can write one.
    /// </summary>
    SenderNotRegistered,

    /// <summary>
    /// As <see cref="SenderNotRegistered"/>, but only a message attached or forwarded inside the mail names the notice (the
    /// subject does not), and that message was not sent from a registered address of its organisation either.
    /// </summary>
    AttachedMessageFromUnregistered,

    /// <summary>
    /// The subject names only references no notice has (<see cref="MatchResult.UnknownReferences"/>): most likely one
    /// mistyped (or a notice a restore lost), so probably a reply all the same — but not filed by sender or organisation
    /// code under another notice; <see cref="MatchResult.OrgCodes"/> the organisations the sender or content names, and
    /// <see cref="MatchResult.Candidates"/> their open notices, for staff to choose.
    /// </summary>
    UnknownReference,

    /// <summary>
    /// The mail answers a mail of ours no store here holds (<see cref="MatchContext.LostThreadIds"/>: sent before a restore of
    /// an older backup) and names no notice that exists: held, with the organisations the sender or content names
    /// (<see cref="MatchResult.OrgCodes"/>) and their open notices (<see cref="MatchResult.Candidates"/>).
    /// </summary>
    ThreadOfLostMail,
}

/// <summary>The result: a notice and how it was found, or why none was chosen, with the notices and codes concerned.</summary>
public sealed record MatchResult(
    MatchOutcome Outcome,
    string? Reference,
    MatchMethod? MatchedBy,
    IReadOnlyList<string> Candidates,
    MatchReason? Reason,
    IReadOnlyList<string> OrgCodes)
{
    /// <summary>The references the subject names that no notice has, for <see cref="MatchReason.UnknownReference"/>.</summary>
    public IReadOnlyList<string> UnknownReferences { get; init; } = [];
}

/// <summary>
/// Ties a mail to its notice: reference in the subject, then thread, then a registered organisation code,
/// then a registered sender. A code or sender that fits several open notices is ambiguous: it never guesses.
/// A notice named by reference or code is taken only from a sender registered to its organisation, forwarding a message
/// sent from one of its registered addresses, or answering one of its mails — whether the reference stands in the subject
/// or in an attached message; otherwise it is held for staff. The notice's own form returned filled in is filed from any
/// address, as the SPEC asks.
/// </summary>
public static partial class ReplyMatcher
{
    public static MatchResult Match(ParsedMail mail, MatchContext context)
    {
        var byReference = context.ByReference;
        var senderCodes = mail.FromAddress is { } from && context.OrgCodesByEmail.TryGetValue(from, out var found) ? found : [];
        var threaded = mail.ThreadIds
            .Select(id => context.NoticeByMessageId.GetValueOrDefault(id))
            .OfType<string>()
            .Distinct()
            .ToList();

        // A reference in the subject, else one printed on a returned form, else one in a forwarded or attached message. A
        // subject or an attached message vouches for nothing (anyone can type a reference or attach a message); the notice's
        // own form, filled in, is what the SPEC matches by ("organisation code in … attached form") from any address.
        var named = NoticeReference.FindAll(mail.Subject);
        var referenced = named.Where(byReference.ContainsKey).ToList();
        var onReturnedForm = false;
        if (referenced.Count == 0)
        {
            referenced = mail.Forms.SelectMany(form => form.References).Distinct().Where(byReference.ContainsKey).ToList();
            onReturnedForm = referenced.Count > 0;
        }

        var inAttachedMessage = false;
        if (referenced.Count == 0)
        {
            // A reply forwarded by a colleague, or an Outlook item attached: its subject names the notice.
            referenced = mail.InnerTexts.SelectMany(NoticeReference.FindAll).Distinct().Where(byReference.ContainsKey).ToList();
            inAttachedMessage = referenced.Count > 0;
        }

        // A forwarded reply is the organisation's when the message inside was sent from one of its registered addresses.
        var innerCodes = mail.InnerFromAddresses
            .SelectMany(address => context.OrgCodesByEmail.TryGetValue(address, out var codes) ? codes : [])
            .ToList();
        if (referenced.Count > 0)
        {
            var decided = Decide(referenced, MatchMethod.Reference, MatchReason.SeveralReferences, []);
            return decided.Outcome == MatchOutcome.Matched
                ? Vouched(decided, byReference[decided.Reference!].OrgCode, senderCodes, innerCodes, threaded, unregisteredAllowed: onReturnedForm,
                    inAttachedMessage ? MatchReason.AttachedMessageFromUnregistered : MatchReason.SenderNotRegistered)
                : decided;
        }

        if (threaded.Count > 0)
        {
            return Decide(threaded, MatchMethod.Thread, MatchReason.SeveralThreads, []);
        }

        var openByOrg = context.OpenByOrg;
        var codes = FindOrgCodes(mail, context.OrgCodes);
        if (named.Count > 0 || context.LostThreadIds.Count > 0)
        {
            // The subject names a notice, only one no notice here has (mistyped, or issued before a restore and lost): the
            // mail is about that notice, so it is never filed by sender or code as the reply to another of the
            // organisation's notices (h31h Q2). So is an answer to a mail of ours no store here holds (sent before a restore
            // of an older backup: h32h R11). Held, naming the organisation and its open notices for staff to choose.
            var known = codes.Concat(senderCodes).Distinct(StringComparer.Ordinal).ToList();
            return new MatchResult(MatchOutcome.Unmatched, null, null, known.SelectMany(code => openByOrg[code]).Select(notice => notice.Reference).Distinct().ToList(),
                named.Count > 0 ? MatchReason.UnknownReference : MatchReason.ThreadOfLostMail, known) { UnknownReferences = named };
        }

        var codeNotices = codes.SelectMany(code => openByOrg[code]).Select(notice => notice.Reference).Distinct().ToList();
        if (codeNotices.Count > 0)
        {
            var decided = Decide(codeNotices, MatchMethod.OrgCode, MatchReason.CodeFitsSeveral, codes);
            // An organisation writing from an address not (yet) registered names its code: kept as the SPEC asks; only a
            // sender registered to other organisations is held.
            return decided.Outcome == MatchOutcome.Matched
                ? Vouched(decided, byReference[decided.Reference!].OrgCode, senderCodes, innerCodes, threaded, unregisteredAllowed: true, MatchReason.SenderNotRegistered)
                : decided;
        }

        var senderNotices = senderCodes.SelectMany(code => openByOrg[code]).Select(notice => notice.Reference).Distinct().ToList();
        if (senderNotices.Count > 0)
        {
            return Decide(senderNotices, MatchMethod.Sender, MatchReason.SenderFitsSeveral, senderCodes);
        }

        return codes.Count > 0 ? new MatchResult(MatchOutcome.Unmatched, null, null, [], MatchReason.CodeWithoutOpenNotice, codes)
            : senderCodes.Count > 0 ? new MatchResult(MatchOutcome.Unmatched, null, null, [], MatchReason.SenderOrganisationWithoutOpenNotice, senderCodes)
            : new MatchResult(MatchOutcome.Unmatched, null, null, [], MatchReason.NothingToMatchBy, []);
    }

    /// <summary>
    /// A notice named by reference or code is filed only for a sender registered to its organisation, forwarding a message
    /// sent from one of its registered addresses, or answering one of its mails; a sender registered to other organisations is
    /// suspicious, an unregistered one is held unless allowed.
    /// </summary>
    private static MatchResult Vouched(
        MatchResult matched, string noticeOrg, IReadOnlyList<string> senderCodes, IReadOnlyList<string> innerCodes, IReadOnlyList<string> threaded,
        bool unregisteredAllowed, MatchReason unregistered)
    {
        if (senderCodes.Contains(noticeOrg, StringComparer.Ordinal) || innerCodes.Contains(noticeOrg, StringComparer.Ordinal)
            || threaded.Contains(matched.Reference!, StringComparer.Ordinal))
        {
            return matched;
        }

        if (senderCodes.Count > 0)
        {
            return new MatchResult(MatchOutcome.Suspicious, null, null, matched.Candidates, MatchReason.SenderOfAnotherOrganisation, senderCodes);
        }

        return unregisteredAllowed
            ? matched
            : new MatchResult(MatchOutcome.Ambiguous, null, null, matched.Candidates, unregistered, [noticeOrg]);
    }

    /// <summary>Registered organisation codes named in the subject, body, attachment file names or attached documents (half- or full-width, any case).</summary>
    public static IReadOnlyList<string> FindOrgCodes(ParsedMail mail, IReadOnlySet<string> orgCodes)
    {
        var texts = new[] { mail.Subject, mail.BodyText }
            .Concat(mail.Attachments.Select(attachment => attachment.OriginalName ?? attachment.Name.FileName))
            .Concat(mail.Attachments.Select(attachment => attachment.Text).OfType<string>())
            .Concat(mail.InnerTexts);
        return texts
            .SelectMany(text => Tokens().Matches(FullWidth.ToHalfWidth(text).ToUpperInvariant()).Select(match => match.Value))
            .Where(orgCodes.Contains)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static MatchResult Decide(IReadOnlyList<string> references, MatchMethod matchedBy, MatchReason ambiguous, IReadOnlyList<string> codes) =>
        references.Count == 1
            ? new MatchResult(MatchOutcome.Matched, references[0], matchedBy, references, null, codes)
            : new MatchResult(MatchOutcome.Ambiguous, null, null, references, ambiguous, codes);

    [GeneratedRegex("[A-Z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex Tokens();
}
