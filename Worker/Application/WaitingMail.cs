using MailIntake.Storage;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Application;

/// <summary>
/// Mail about a notice that is still waiting, which staff must see before deciding on a premise it may make false: a mail
/// held for them (unmatched, ambiguous or suspicious; not yet assigned or dismissed) whose subject names the notice —
/// possibly the organisation's reply from an address it never registered (a colleague, its IT vendor) — and the center's
/// own extension mail still queued (the organisation has not been told of the new deadline). The reminder, the 【逾期】
/// note and a suspension all read them here, so none says "no reply" or decides past them unseen.
/// </summary>
public static class WaitingMail
{
    /// <summary>Held mails naming <paramref name="notice"/> that could be its organisation's: never the center's own or a member's, never one older than the notice.</summary>
    public static IReadOnlyList<MailSummary> HeldNaming(StorageSession session, Notice notice, MailIntakeOptions options) =>
        Of(MailRepository.ListToSettleNaming(session, notice.Reference), notice, options);

    /// <summary>The same, from the repository (the sweepers read outside a session).</summary>
    public static IReadOnlyList<MailSummary> HeldNaming(MailRepository mails, Notice notice, MailIntakeOptions options) =>
        Of(mails.ListToSettleNaming(notice.Reference), notice, options);

    /// <summary>
    /// When the earliest mail that may be the organisation's reply to <paramref name="notice"/> from an address it never
    /// registered arrived: held for staff naming it (<see cref="HeldNaming(StorageSession, Notice, MailIntakeOptions)"/>) or
    /// still waiting on the center's own fault with a subject naming it. What an organisation is told reads this.
    /// </summary>
    public static DateTimeOffset? NamingSince(StorageSession session, Notice notice, MailIntakeOptions options) =>
        HeldNaming(session, notice, options).Concat(Of(Naming(MailRepository.ListPendingRead(session), notice.Reference), notice, options)).Min(mail => (DateTimeOffset?)mail.ReceivedAt);

    /// <summary>
    /// Mails still waiting on the center's own fault (their processing fails and is retried) that may be the reply to
    /// <paramref name="notice"/>: from one of <paramref name="addresses"/> (the organisation's registered ones) or naming
    /// the notice in their subject, never the center's own, never one older than the notice. Not yet filed, so a suspension
    /// would tell the Archives no reply came.
    /// </summary>
    public static IReadOnlyList<MailSummary> Failing(StorageSession session, Notice notice, IReadOnlyCollection<string> addresses, MailIntakeOptions options) =>
        Of(MailRepository.ListPendingRead(session).Where(mail =>
            (mail.From is { } from && addresses.Contains(from, StringComparer.OrdinalIgnoreCase))
            || Parsing.NoticeReference.FindAll(mail.Subject).Contains(notice.Reference, StringComparer.Ordinal)), notice, options);

    /// <summary>
    /// Held mails (unmatched, ambiguous) from one of <paramref name="addresses"/> (the organisation's registered ones) that
    /// do not name <paramref name="notice"/>, never older than it: its reply with a mistyped reference or none, while it
    /// has several notices (h32h R14).
    /// </summary>
    public static IReadOnlyList<MailSummary> HeldFrom(StorageSession session, Notice notice, IReadOnlyCollection<string> addresses, MailIntakeOptions options) =>
        Of(MailRepository.ListHeldFrom(session, addresses).Where(mail => !Parsing.NoticeReference.FindAll(mail.Subject).Contains(notice.Reference, StringComparer.Ordinal)), notice, options);

    private static IEnumerable<MailSummary> Naming(IEnumerable<MailSummary> mails, string reference) =>
        mails.Where(mail => Parsing.NoticeReference.FindAll(mail.Subject).Contains(reference, StringComparer.Ordinal));

    private static IReadOnlyList<MailSummary> Of(IEnumerable<MailSummary> mails, Notice notice, MailIntakeOptions options) =>
        mails.Where(mail => mail.ReceivedAt >= notice.IssuedAt && !IsCenters(mail.From, options)).ToList();

    private static bool IsCenters(string? from, MailIntakeOptions options) =>
        from is not null
        && (options.Staff.FindMember(from) is not null
            || string.Equals(from, options.Center.Email, StringComparison.OrdinalIgnoreCase)
            || string.Equals(from, MimeKit.MailboxAddress.TryParse(options.Smtp.From, out var own) ? own.Address : null, StringComparison.OrdinalIgnoreCase));

    /// <summary>The held mails for staff: 郵件 #1（寄件者 x@y，中華民國115年12月3日 01:50收到）、…</summary>
    public static string Describe(IReadOnlyList<MailSummary> held, TimeZoneInfo zone) =>
        string.Join("、", held.Select(mail => $"郵件 #{mail.MailId}（寄件者 {mail.From ?? "不明"}，{Labels.Moment(mail.ReceivedAt, zone)}收到）"));

    /// <summary>The notice's extension mails still queued (not yet sent, not failed): the organisation has not been told of them.</summary>
    public static IReadOnlyList<OutboundMail> ExtensionsQueued(IReadOnlyList<OutboundMail> mails) =>
        mails.Where(mail => mail.Kind == OutboundKind.Extension && mail.Status == OutboundStatus.Queued).ToList();

    /// <summary>The queued extension mails for staff: 第1次追蹤之展延通知（展延至中華民國115年12月20日）、…</summary>
    public static string Describe(IReadOnlyList<OutboundMail> extensions, IReadOnlyList<FollowUp> rounds) =>
        string.Join("、", extensions.Select(mail => ExtensionMailer.RoundOf(mail) is { } number && rounds.SingleOrDefault(round => round.Round == number) is { Until: { } until }
            ? $"第{number}次追蹤之展延通知（展延至{Labels.Date(until)}）"
            : "展延通知"));
}
