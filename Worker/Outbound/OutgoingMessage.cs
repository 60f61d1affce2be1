using MailIntake.Worker.Options;
using MimeKit;
using MimeKit.Utils;

namespace MailIntake.Worker.Outbound;

/// <summary>The headers every mail of ours carries, loop protection included.</summary>
public static class OutgoingMessage
{
    public static MimeMessage Create(
        MailIntakeOptions options, IEnumerable<string> to, string subject, BodyBuilder body, string autoSubmitted, DateTimeOffset date)
    {
        var from = MailboxAddress.Parse(options.Smtp.From);
        from.Name = options.Center.Name;
        var message = new MimeMessage
        {
            Subject = subject,
            Date = date,
            MessageId = MimeUtils.GenerateMessageId(from.Domain),
            Body = body.ToMessageBody(),
        };
        message.From.Add(from);
        message.To.AddRange(to.Select(MailboxAddress.Parse));
        // RFC 3834: an automatic sender says so, and asks Exchange not to answer with out-of-office replies.
        message.Headers.Add("Auto-Submitted", autoSubmitted);
        message.Headers.Add("X-Auto-Response-Suppress", "All");
        return message;
    }
}
