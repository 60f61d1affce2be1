using MailIntake.Storage;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Cli;

/// <summary><c>mail show --json</c>: the view with codes (kind) and ISO instants, as <c>mail list --json</c> writes them.</summary>
public static class MailDetailJson
{
    public static object Of(MailDetail detail, TimeZoneInfo zone) => new
    {
        mailId = detail.Mail.MailId,
        messageId = detail.Mail.MessageId,
        kind = StoredCodes.Text(detail.Mail.Kind),
        reason = detail.Mail.Reason,
        settled = detail.Mail.Settled,
        flags = detail.Mail.Flags,
        dismissal = detail.Mail.Dismissal is { } dismissal
            ? new { by = dismissal.By, at = CliValues.Instant(dismissal.At, zone), reason = dismissal.Reason }
            : null,
        noticeRef = detail.Mail.NoticeRef,
        from = detail.FromAddress,
        to = detail.To,
        cc = detail.Cc,
        subject = detail.Subject,
        date = CliValues.Instant(detail.Date, zone),
        receivedAt = CliValues.Instant(detail.Mail.ReceivedAt, zone),
        carriedArrival = CliValues.Instant(detail.Mail.CarriedArrival, zone),
        raw = new { path = detail.Mail.RawPath, state = detail.Raw.ToString().ToLowerInvariant() },
        headers = detail.Headers.Select(header => new { name = header.Name, value = header.Value }),
        body = detail.Body,
        attachments = detail.Attachments.Select(file => new
        {
            fileName = file.FileName,
            size = file.Size,
            sha256 = file.Sha256,
            item = file.Item,
            flags = file.Flags,
            storedPath = file.StoredPath,
        }),
    };
}
