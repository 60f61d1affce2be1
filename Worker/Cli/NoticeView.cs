using MailIntake.Storage;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Cli;

/// <summary>The JSON shapes of CONTRACT.md for notices, rendered from the views (codes stay English).</summary>
public static class NoticeView
{
    public static object Summary(Notice notice, TimeZoneInfo zone) => new
    {
        reference = notice.Reference,
        orgCode = notice.OrgCode,
        orgName = notice.OrgName,
        status = StoredCodes.Text(notice.Status),
        deadline = CliValues.Date(notice.Deadline),
        issuedAt = CliValues.Instant(notice.IssuedAt, zone),
    };

    public static object Detail(NoticeDetail detail, TimeZoneInfo zone)
    {
        var notice = detail.Notice;
        return new
        {
            reference = notice.Reference,
            orgCode = notice.OrgCode,
            orgName = notice.OrgName,
            status = StoredCodes.Text(notice.Status),
            deadline = CliValues.Date(notice.Deadline),
            deadlineIssued = CliValues.Date(notice.DeadlineIssued),
            issuedAt = CliValues.Instant(notice.IssuedAt, zone),
            hostIp = notice.HostIp,
            maliciousIps = notice.MaliciousIps,
            incidentFrom = CliValues.Date(notice.IncidentFrom),
            incidentTo = CliValues.Date(notice.IncidentTo),
            outbound = detail.Outbound.Select(mail => new
            {
                kind = StoredCodes.Text(mail.Kind),
                to = mail.To,
                messageId = mail.MessageId,
                sentAt = CliValues.Instant(mail.SentAt, zone),
                status = StoredCodes.Text(mail.Status),
                bouncedTo = mail.BouncedTo,
                attempts = mail.Attempts,
                lastError = mail.LastError,
            }),
            replies = detail.Replies.Select(reply => new
            {
                mailId = reply.MailId,
                messageId = reply.MessageId,
                from = reply.From,
                fromRegisteredTo = detail.SendersElsewhere.GetValueOrDefault(reply.MailId, []),
                receivedAt = CliValues.Instant(reply.ReceivedAt, zone),
                carriedArrival = CliValues.Instant(reply.CarriedArrival, zone),
                matchedBy = StoredCodes.Text(reply.MatchedBy),
                filler = new { name = reply.FillerName, phone = reply.FillerPhone, email = reply.FillerEmail },
                completedOn = CliValues.Date(reply.CompletedOn),
                completedOnWritten = reply.CompletedOnUnreadable,
                completedOnDoubt = ReplyDates.Completion(notice, reply, zone) switch
                {
                    CompletionDateDoubt.AfterReceived => "after-received",
                    CompletionDateDoubt.BeforeIssued => "before-issued",
                    _ => null,
                },
                formReturned = reply.FormReturned,
                answers = reply.Answers.Select(answer => new { item = answer.Item, text = answer.Text }),
                evidence = reply.Evidence.Select(file => new
                {
                    fileName = file.FileName,
                    sha256 = file.Sha256,
                    size = file.Size,
                    item = file.Item,
                    flags = file.Flags,
                    storedPath = file.KeptPath,
                }),
            }),
            missing = detail.Missing,
            awaitingPhone = detail.AwaitingPhone.Select(reply => reply.MailId),
            phoneConfirmations = detail.Calls.Select(call => new
            {
                by = call.By,
                at = CliValues.Instant(call.At, zone),
                note = call.Note,
                result = StoredCodes.Text(call.Result),
                mailId = call.MailId,
            }),
            followUps = detail.Rounds.Select(round => new
            {
                round = round.Round,
                result = StoredCodes.Text(round.Result),
                until = CliValues.Date(round.Until),
                suspendFrom = CliValues.Date(round.SuspendFrom),
                by = round.By,
                at = CliValues.Instant(round.At, zone),
                note = round.Note,
            }),
            timeline = detail.Timeline.Select(entry => new
            {
                at = CliValues.Instant(entry.At, zone),
                @event = StoredCodes.Text(entry.Event),
                detail = entry.Detail,
            }),
        };
    }
}
