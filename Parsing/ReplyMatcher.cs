using System.Text.RegularExpressions;

namespace MailIntake.Parsing;

/// <summary>A notice as the matcher sees it.</summary>
public sealed record NoticeCandidate(string Reference, string OrgCode, bool IsOpen);

/// <summary>What the matcher knows of the world: notices, the registry's codes and addresses, and the Message-IDs we sent.</summary>
public sealed record MatchContext(
    IReadOnlyList<NoticeCandidate> Notices,
    IReadOnlySet<string> OrgCodes,
    IReadOnlyDictionary<string, IReadOnlyList<string>> OrgCodesByEmail,
    IReadOnlyDictionary<string, string> NoticeByMessageId);

public enum MatchOutcome
{
    Matched,
    Ambiguous,
    Unmatched,
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

/// <summary>The result: a notice and how it was found, or why none could be chosen (zh-TW, shown to staff).</summary>
public sealed record MatchResult(MatchOutcome Outcome, string? Reference, MatchMethod? MatchedBy, IReadOnlyList<string> Candidates, string? Reason);

/// <summary>
/// Ties a mail to its notice: reference in the subject, then thread, then a registered organisation code,
/// then a registered sender. A code or sender that fits several open notices is ambiguous: it never guesses.
/// </summary>
public static partial class ReplyMatcher
{
    public static MatchResult Match(ParsedMail mail, MatchContext context)
    {
        var byReference = context.Notices.ToDictionary(notice => notice.Reference, StringComparer.Ordinal);

        // A reference in the subject, else one printed on a returned form: either names the notice outright.
        var referenced = NoticeReference.FindAll(mail.Subject).Where(byReference.ContainsKey).ToList();
        if (referenced.Count == 0)
        {
            referenced = mail.Forms.SelectMany(form => form.References).Distinct().Where(byReference.ContainsKey).ToList();
        }

        if (referenced.Count == 0)
        {
            // A reply forwarded by a colleague, or an Outlook item attached: its subject names the notice.
            referenced = mail.InnerTexts.SelectMany(NoticeReference.FindAll).Distinct().Where(byReference.ContainsKey).ToList();
        }

        if (referenced.Count > 0)
        {
            return Decide(referenced, MatchMethod.Reference, $"主旨列出多個限期改善單編號（{string.Join("、", referenced)}）");
        }

        var threaded = mail.ThreadIds
            .Select(id => context.NoticeByMessageId.GetValueOrDefault(id))
            .OfType<string>()
            .Distinct()
            .ToList();
        if (threaded.Count > 0)
        {
            return Decide(threaded, MatchMethod.Thread, $"回覆的郵件串屬於多個限期改善單（{string.Join("、", threaded)}）");
        }

        var openByOrg = context.Notices.Where(notice => notice.IsOpen).ToLookup(notice => notice.OrgCode, StringComparer.Ordinal);
        var codes = FindOrgCodes(mail, context.OrgCodes);
        var codeNotices = codes.SelectMany(code => openByOrg[code]).Select(notice => notice.Reference).Distinct().ToList();
        if (codeNotices.Count > 0)
        {
            return Decide(codeNotices, MatchMethod.OrgCode,
                $"機關代碼 {string.Join("、", codes)} 對應多件未結案的限期改善單（{string.Join("、", codeNotices)}），請以 mail assign 指定");
        }

        var senderCodes = mail.FromAddress is { } from && context.OrgCodesByEmail.TryGetValue(from, out var found) ? found : [];
        var senderNotices = senderCodes.SelectMany(code => openByOrg[code]).Select(notice => notice.Reference).Distinct().ToList();
        if (senderNotices.Count > 0)
        {
            return Decide(senderNotices, MatchMethod.Sender,
                $"寄件者 {mail.FromAddress} 對應多件未結案的限期改善單（{string.Join("、", senderNotices)}），請以 mail assign 指定");
        }

        return new MatchResult(MatchOutcome.Unmatched, null, null, [], UnmatchedReason(codes, senderCodes));
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

    private static MatchResult Decide(IReadOnlyList<string> references, MatchMethod matchedBy, string ambiguousReason) =>
        references.Count == 1
            ? new MatchResult(MatchOutcome.Matched, references[0], matchedBy, references, null)
            : new MatchResult(MatchOutcome.Ambiguous, null, null, references, ambiguousReason);

    private static string UnmatchedReason(IReadOnlyList<string> codes, IReadOnlyList<string> senderCodes)
    {
        if (codes.Count > 0)
        {
            return $"機關代碼 {string.Join("、", codes)} 目前沒有未結案的限期改善單";
        }

        if (senderCodes.Count > 0)
        {
            return $"寄件者所屬機關 {string.Join("、", senderCodes)} 目前沒有未結案的限期改善單";
        }

        return "主旨無限期改善單編號，非回覆本中心寄出的郵件，內容與附件檔名無已登記的機關代碼，寄件者亦非已登記的機關信箱";
    }

    [GeneratedRegex("[A-Z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex Tokens();
}
