using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Outbound;
using MimeKit;

namespace MailIntake.Worker.Intake;

/// <summary>A delivery report tied to the mail of ours that bounced, and which of its recipients failed.</summary>
public sealed record BouncedMail(OutboundMail Mail, IReadOnlyList<string> Recipients)
{
    /// <summary>Every recipient of the mail bounced (else it reached the others).</summary>
    public bool All => Mail.To.All(to => Recipients.Contains(to, StringComparer.OrdinalIgnoreCase));
}

/// <summary>
/// Ties a delivery report to the mail of ours that bounced: by the Message-ID in the returned headers,
/// else by the failed recipient (and the reference in the returned subject when there is one). Only the recipients
/// the report names as failed are recorded as bounced: a notice sent to three addresses of an organisation that
/// bounced for one of them reached the other two (a report that names none of the mail's recipients counts for all).
/// </summary>
public sealed class BounceLinker(OutboundRepository outbound, NoticeRepository notices, SuspensionBounceNote suspensionBounces, TimeProvider time)
{
    /// <summary>
    /// Why a report could not be tied, in words for staff: the failed recipient and, when it got mails of several
    /// notices and the report returns no Message-ID, which notices they were — never "no mail of ours" when there are.
    /// </summary>
    public string UntiedReason(MimeMessage report)
    {
        var info = BounceReader.Read(report);
        if (info.FailedRecipients.Count == 0)
        {
            return "找不到對應之寄出郵件（退信未載明收件者，亦未附原郵件識別碼）";
        }

        var references = Candidates(info).Select(mail => mail.NoticeId).OfType<long>().Distinct()
            .Select(id => notices.Get(id)?.Reference).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var recipients = string.Join("、", info.FailedRecipients);
        return references.Count == 0
            ? $"寄給 {recipients} 之郵件無法投遞，找不到寄給此收件者之寄出郵件"
            : $"寄給 {recipients} 之郵件無法投遞；此收件者收過限期改善單 {string.Join("、", references)} 之郵件，退信未附原郵件識別碼，無法判定是哪一封，請確認該機關之電子郵件";
    }

    public BouncedMail? Link(long bounceMailId, MimeMessage report)
    {
        var info = BounceReader.Read(report);
        var original = info.OriginalMessageId is { } messageId ? outbound.FindByMessageId(messageId) : null;
        original ??= ByRecipient(info);
        if (original is null)
        {
            return null;
        }

        var failed = original.To.Where(to => info.FailedRecipients.Contains(to, StringComparer.OrdinalIgnoreCase)).ToList();
        var bounced = new BouncedMail(original, failed.Count > 0 ? failed : original.To);
        var everyone = false;
        var added = outbound.MarkBounced(original, bounced.Recipients, time.GetUtcNow(), (added, all) =>
        {
            everyone = all;
            return $"{Labels.Outbound(original.Kind)}寄給 {string.Join("、", added)} 被退信（退信郵件 #{bounceMailId}）"
                   + (all ? string.Empty : $"；其餘收件者（{string.Join("、", original.To.Except(added, StringComparer.OrdinalIgnoreCase))}）未退信");
        });
        // The suspension notice itself failed: staff must know now, not from tomorrow's digest.
        if (original.Kind == OutboundKind.Suspension && everyone && added.Count > 0)
        {
            suspensionBounces.Queue(original, bounceMailId);
        }

        return bounced;
    }

    private OutboundMail? ByRecipient(BounceInfo info)
    {
        if (info.FailedRecipients.Count == 0)
        {
            return null;
        }

        var candidates = Candidates(info);
        // Never guess between notices: only a single notice among the candidates ties the bounce.
        return candidates.Select(mail => mail.NoticeId).Distinct().Count() == 1 ? candidates.MaxBy(mail => mail.Id) : null;
    }

    private List<OutboundMail> Candidates(BounceInfo info)
    {
        var references = NoticeReference.FindAll(info.OriginalSubject);
        return outbound.ListByStatus(OutboundStatus.Sent)
            .Where(mail => mail.To.Any(to => info.FailedRecipients.Contains(to, StringComparer.OrdinalIgnoreCase)))
            .Where(mail => references.Count == 0 || references.Any(reference => mail.Subject.Contains(reference, StringComparison.Ordinal)))
            .ToList();
    }
}
