using System.Globalization;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using MimeKit;

namespace MailIntake.Worker.Outbound;

/// <summary>
/// An extension reaches the organisation at once: the new deadline (ROC), what the center has received and what is still
/// missing, and the phone step — queued in the session that records the round. The tracker's note stays internal.
/// </summary>
public sealed class ExtensionMailer(OutboxWriter outbox, OrganisationRepository organisations, MailIntakeOptions options, TimeProvider time)
{
    public bool Queue(StorageSession session, Notice notice, FollowUp round)
    {
        if (organisations.Find(notice.OrgCode) is not { Emails.Count: > 0 } organisation)
        {
            return false;
        }

        var lines = Lines(session, notice, round, ReplyRepository.ListForNotice(session, notice.Id), FollowUpRepository.ListConfirmations(session, notice.Id),
            OutboundRepository.ListForNotice(session, notice.Id), organisation.Emails);
        var body = Body(lines);
        var message = OutgoingMessage.Create(options, organisation.Emails,
            $"【展延通知】{notice.Reference} {notice.OrgCode} 限期改善單改善期限展延至{Labels.Date(round.Until!.Value)}", body, "auto-generated", time.GetUtcNow());
        return outbox.Queue(session, OutboundKind.Extension, notice.Id, message, Key(notice, round.Round),
            $"展延通知（改善期限展延至{Labels.Date(round.Until.Value)}）已排入寄送，收件者 {string.Join("、", organisation.Emails)}", TimelineEvent.Extended, followUpRound: round.Round);
    }

    private static string Key(Notice notice, int round) => $"extension:{notice.Reference}:{round.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The round an extension mail announces (its own column, kept when it was queued); null for any other mail.</summary>
    public static int? RoundOf(OutboundMail mail) => mail.Kind == OutboundKind.Extension ? mail.FollowUpRound : null;

    /// <summary>The mail's text and HTML from its lines.</summary>
    public static BodyBuilder Body(IReadOnlyList<string> lines) => new() { TextBody = string.Join("\n\n", lines) + "\n", HtmlBody = StaffMail.Html(lines) };

    /// <summary>
    /// The mail's lines. It says when and where the notice reached the organisation: the day its mail left (a notice sent
    /// late was not told on the day it was written; one sent on paper, the day it was issued) and, when this mail goes to
    /// other addresses (<paramref name="to"/>: the registry changed since), the addresses the notice went to. Like the
    /// reminder, it never says nothing came while a mail that may be the reply waits (held for staff, or on our own fault).
    /// </summary>
    public IReadOnlyList<string> Lines(
        StorageSession session, Notice notice, FollowUp round, IReadOnlyList<Reply> replies, IReadOnlyList<PhoneConfirmation> calls, IReadOnlyList<OutboundMail> mails, IReadOnlyList<string> to)
    {
        var center = options.Center;
        var noticeMail = mails.Where(mail => mail.Kind == OutboundKind.Notice && mail.SentAt is not null).MinBy(mail => mail.SentAt);
        var issuedOn = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(noticeMail?.SentAt ?? notice.IssuedAt, options.Zone).DateTime);
        var where = noticeMail is not null && !noticeMail.To.All(address => to.Contains(address, StringComparer.OrdinalIgnoreCase))
            ? $"（寄至 {string.Join("、", noticeMail.To)}；貴單位登記之電子郵件其後已變更，本通知改寄至現登記之信箱；如未收到限期改善單，請洽聯絡窗口索取）"
            : string.Empty;
        return
        [
            $"受文者：{notice.OrgName}",
            $"主旨：貴單位公文電子交換系統限期改善單 {notice.Reference} 之改善期限，展延至{Labels.Date(round.Until!.Value)}，請查照。",
            // 說明 are numbered on: 一 is the extension itself, the progress lines follow as 二, 三, 四.
            $"說明一：本中心於{Labels.Date(issuedOn)}以限期改善單 {notice.Reference} 通知貴單位限期改善{where}（原改善期限{Labels.Date(notice.DeadlineIssued)}），" +
            // The round's note is the tracker's own 追蹤說明 on the center's tracking form, never mailed to the organisation.
            $"經第 {round.Round} 次追蹤評估，再給予改善期限至{Labels.Date(round.Until.Value)}。",
            .. ProgressText.Lines(notice, replies, calls, center, options.Zone, OtherMail.Of(session, notice, to, options)).Select((line, index) => $"說明{Numerals[index + 2]}：{line}"),
            $"聯絡窗口：{NoticeMailText.Contact(center)}",
            $"{center.Name}（本郵件由系統自動寄出）",
        ];
    }

    private static readonly string[] Numerals = ["〇", "一", "二", "三", "四", "五", "六"];
}
