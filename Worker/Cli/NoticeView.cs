using MailIntake.Storage;

namespace MailIntake.Worker.Cli;

/// <summary>The JSON shapes of CONTRACT.md for notices, built from storage records.</summary>
public static class NoticeView
{
    public static object Summary(Notice notice, TimeZoneInfo zone) => new
    {
        reference = notice.Reference,
        orgCode = notice.OrgCode,
        orgName = notice.OrgName,
        status = notice.Status,
        deadline = CliValues.Date(notice.Deadline),
        issuedAt = CliValues.Instant(notice.IssuedAt, zone),
    };

    public static object Detail(
        Notice notice,
        IReadOnlyList<OutboundMail> outbound,
        IReadOnlyList<Reply> replies,
        IReadOnlyList<PhoneConfirmation> confirmations,
        IReadOnlyList<FollowUp> followUps,
        IReadOnlyList<TimelineEntry> timeline,
        TimeZoneInfo zone) => new
    {
        reference = notice.Reference,
        orgCode = notice.OrgCode,
        orgName = notice.OrgName,
        status = notice.Status,
        deadline = CliValues.Date(notice.Deadline),
        issuedAt = CliValues.Instant(notice.IssuedAt, zone),
        hostIp = notice.HostIp,
        maliciousIps = notice.MaliciousIps,
        incidentFrom = CliValues.Date(notice.IncidentFrom),
        incidentTo = CliValues.Date(notice.IncidentTo),
        outbound = outbound.Select(mail => new
        {
            kind = mail.Kind,
            to = mail.To,
            messageId = mail.MessageId,
            sentAt = CliValues.Instant(mail.SentAt, zone),
            status = mail.Status,
            attempts = mail.Attempts,
            lastError = mail.LastError,
        }),
        replies = replies.Select(reply => new
        {
            mailId = reply.MailId,
            messageId = reply.MessageId,
            from = reply.From,
            receivedAt = CliValues.Instant(reply.ReceivedAt, zone),
            matchedBy = reply.MatchedBy,
            filler = new { name = reply.FillerName, phone = reply.FillerPhone, email = reply.FillerEmail },
            completedOn = CliValues.Date(reply.CompletedOn),
            answers = reply.Answers.Select(answer => new { item = answer.Item, text = answer.Text }),
            evidence = reply.Evidence.Select(file => new
            {
                fileName = file.FileName,
                sha256 = file.Sha256,
                size = file.Size,
                item = file.Item,
                flags = file.Flags,
                storedPath = file.StoredPath,
            }),
        }),
        phoneConfirmations = confirmations.Select(call => new
        {
            by = call.By,
            at = CliValues.Instant(call.At, zone),
            note = call.Note,
            mailId = call.MailId,
        }),
        followUps = followUps.Select(round => new
        {
            round = round.Round,
            result = round.Result,
            until = CliValues.Date(round.Until),
            suspendFrom = CliValues.Date(round.SuspendFrom),
            by = round.By,
            at = CliValues.Instant(round.At, zone),
            note = round.Note,
        }),
        timeline = timeline.Select(entry => new
        {
            at = CliValues.Instant(entry.At, zone),
            @event = entry.Event,
            detail = entry.Detail,
        }),
    };
}
