using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MimeKit;

namespace MailIntake.Worker.Intake;

/// <summary>
/// Ties a delivery report to the mail of ours that bounced: by the Message-ID in the returned headers,
/// else by the failed recipient (and the reference in the returned subject when there is one).
/// </summary>
public sealed class BounceLinker(OutboundRepository outbound, TimeProvider time)
{
    public OutboundMail? Link(long bounceMailId, MimeMessage report)
    {
        var info = BounceReader.Read(report);
        var original = info.OriginalMessageId is { } messageId ? outbound.FindByMessageId(messageId) : null;
        original ??= ByRecipient(info);
        if (original is not null && original.Status != OutboundStatus.Bounced)
        {
            outbound.MarkBounced(original, time.GetUtcNow(),
                $"{Labels.Outbound(original.Kind)}被退信（退信郵件 #{bounceMailId}，收件者 {string.Join("、", original.To)}）");
        }

        return original;
    }

    private OutboundMail? ByRecipient(BounceInfo info)
    {
        if (info.FailedRecipients.Count == 0)
        {
            return null;
        }

        var references = NoticeReference.FindAll(info.OriginalSubject);
        var candidates = outbound.ListByStatus(OutboundStatus.Sent)
            .Where(mail => mail.To.Any(to => info.FailedRecipients.Contains(to, StringComparer.OrdinalIgnoreCase)))
            .Where(mail => references.Count == 0 || references.Any(reference => mail.Subject.Contains(reference, StringComparison.Ordinal)))
            .ToList();
        // Never guess between notices: only a single notice among the candidates ties the bounce.
        return candidates.Select(mail => mail.NoticeId).Distinct().Count() == 1 ? candidates.MaxBy(mail => mail.Id) : null;
    }
}
