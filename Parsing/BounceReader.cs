using MimeKit;

namespace MailIntake.Parsing;

/// <summary>What a delivery report says about the mail that bounced: its Message-ID, subject and failed recipients.</summary>
public sealed record BounceInfo(string? OriginalMessageId, string? OriginalSubject, IReadOnlyList<string> FailedRecipients);

public static class BounceReader
{
    public static BounceInfo Read(MimeMessage report)
    {
        string? messageId = null, subject = null;
        var recipients = new List<string>();
        foreach (var entity in report.BodyParts)
        {
            switch (entity)
            {
                case MessageDeliveryStatus status:
                    recipients.AddRange(FailedRecipients(status));
                    break;
                // message/rfc822 and text/rfc822-headers (a MessagePart holding only the headers) alike.
                case MessagePart { Message: { } returned }:
                    messageId ??= MailReader.NormaliseMessageId(returned.MessageId);
                    subject ??= returned.Subject;
                    break;
            }
        }

        return new BounceInfo(messageId, subject, recipients.Distinct(StringComparer.OrdinalIgnoreCase).ToList());
    }

    private static IEnumerable<string> FailedRecipients(MessageDeliveryStatus status)
    {
        // The first group is per-message; every later one is a recipient ("Final-Recipient: rfc822; user@host").
        foreach (var group in status.StatusGroups.Skip(1))
        {
            var action = group["Action"]?.Trim();
            if (action is not null && !action.StartsWith("failed", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var recipient = group["Final-Recipient"] ?? group["Original-Recipient"];
            if (recipient is null)
            {
                continue;
            }

            var address = recipient[(recipient.IndexOf(';') + 1)..].Trim().Trim('<', '>');
            if (address.Contains('@'))
            {
                yield return address.ToLowerInvariant();
            }
        }
    }
}
