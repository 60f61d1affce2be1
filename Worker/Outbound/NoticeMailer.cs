using MailIntake.Storage;
using MailIntake.Worker.Documents;
using MailIntake.Worker.Options;
using MimeKit;

namespace MailIntake.Worker.Outbound;

/// <summary>Queues the mails the center sends: each is rendered, kept as a file and recorded as an outbox row before any sending.</summary>
public sealed class NoticeMailer(OutboxWriter outbox, MailIntakeOptions options, TimeProvider time)
{
    public bool QueueNotice(StorageSession session, Notice notice, Organisation organisation)
    {
        var message = OutgoingMessage.Create(options, organisation.Emails, NoticeMailText.Subject(notice), Body(notice, options, sentLateOn: null), autoSubmitted: "auto-generated", time.GetUtcNow());
        return outbox.Queue(session, OutboundKind.Notice, notice.Id, message, $"notice:{notice.Reference}",
            $"限期改善單郵件（附可填寫之 .docx 與 .odt）已排入寄送佇列，收件者 {string.Join("、", organisation.Emails)}");
    }

    /// <summary>
    /// The notice mail's words and its fillable forms. <paramref name="sentLateOn"/>: the day it finally leaves, when that
    /// is after the day it was written (the mail says so, beside the deadline it was moved to).
    /// </summary>
    public static BodyBuilder Body(Notice notice, MailIntakeOptions options, DateOnly? sentLateOn)
    {
        var issuedOn = IssuedOn(notice, options.Zone);
        var body = new BodyBuilder
        {
            TextBody = NoticeMailText.PlainText(notice, options.Center, issuedOn, sentLateOn),
            HtmlBody = NoticeMailText.Html(notice, options.Center, issuedOn, sentLateOn),
        };
        var form = NoticeFormFor(notice, options.Center, issuedOn);
        var formName = $"限期改善單_{notice.Reference}_{notice.OrgCode}";
        body.Attachments.Add($"{formName}.docx", NoticeFormDocx.Create(form), ContentType.Parse(DocxMediaType));
        body.Attachments.Add($"{formName}.odt", NoticeFormOdt.Create(form), ContentType.Parse(NoticeFormOdt.MediaType));
        return body;
    }

    private const string DocxMediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /// <summary>The notice's date as printed on it: the day it was issued, in the center's time zone.</summary>
    public static DateOnly IssuedOn(Notice notice, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(notice.IssuedAt, zone).DateTime);

    /// <summary>The notice as it was sent: with the deadline it was sent with, never an extended one.</summary>
    public static NoticeForm NoticeFormFor(Notice notice, CenterOptions center, DateOnly issuedOn) => new(
        notice.Reference, notice.OrgCode, notice.OrgName, issuedOn, notice.HostIp, notice.MaliciousIps,
        notice.IncidentFrom, notice.IncidentTo, notice.Items, center.LegalBasis, notice.DeadlineIssued,
        center.Unit, center.ContactName, center.Phone, center.Email,
        Application.NoticeAsks.Evidence(notice).Select((what, index) => $"附件{index + 1}\u3000{what}").ToList());
}
