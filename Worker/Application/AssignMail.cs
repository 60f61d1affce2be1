using MailIntake.Parsing;
using MailIntake.Parsing.StaffActions;
using MailIntake.Storage;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Application;

public sealed record AssignMailCommand(long MailId, string Reference);

public sealed record MailAssigned(Notice Notice, long MailId, bool ReceiptQueued);

/// <summary>Staff settle an unmatched, ambiguous or suspicious mail by naming its notice: it is filed as a reply matched by "staff", in one transaction.</summary>
public sealed class AssignMail(Database database, RecordReply replies, OutboxWriter outbox, MailIntakeOptions options)
{
    public Task<MailAssigned> ExecuteAsync(
        AssignMailCommand command, CancellationToken cancellationToken, Action<StorageSession, MailAssigned>? alongside = null)
    {
        using var session = database.Begin();
        var mail = MailRepository.Get(session, command.MailId) ?? throw new NoticeRuleException(NoticeRuleCode.MailNotFound, $"#{command.MailId}");
        if (mail.Kind is not (MailKind.Unmatched or MailKind.Ambiguous or MailKind.Suspicious) || mail.Dismissal is not null)
        {
            throw SettledMailText.Refusal(session, mail, options.Zone);
        }

        var notice = RequestChecks.Notice(session, command.Reference);
        var parsed = Read(mail);
        if (outbox.IsOwnAddress(parsed.FromAddress))
        {
            throw new NoticeRuleException(NoticeRuleCode.MailFromCenter, $"#{command.MailId}", parsed.FromAddress);
        }

        var filed = replies.File(session, notice, new RecordReplyCommand(command.MailId, notice.Reference, MatchMethod.Staff, parsed, Evidence: null), TimelineEvent.Assigned);
        var assigned = new MailAssigned(filed.Notice, command.MailId, filed.ReceiptQueued);
        alongside?.Invoke(session, assigned);
        session.Commit();
        return Task.FromResult(assigned);
    }

    /// <summary>The kept raw mail, read again; one that is no MIME message at all cannot be filed (it stays recorded and kept).</summary>
    private ParsedMail Read(MailSummary mail)
    {
        using var raw = UnixFiles.OpenRegular(Path.Combine(options.DataDirectory, mail.RawPath));
        MimeKit.MimeMessage message;
        try
        {
            message = MailParserOptions.Load(raw);
        }
        catch (FormatException)
        {
            throw new NoticeRuleException(NoticeRuleCode.MailUnreadable, $"#{mail.MailId}");
        }

        // A staff member's command by mail is never an organisation's reply.
        if (ActionMailReader.Read(message).HasToken)
        {
            throw new NoticeRuleException(NoticeRuleCode.MailCarriesAction, $"#{mail.MailId}");
        }

        return MailReader.Read(message);
    }
}
