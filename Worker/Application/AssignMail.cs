using MailIntake.Parsing;
using MailIntake.Parsing.StaffActions;
using MailIntake.Storage;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.Application;

public sealed record AssignMailCommand(long MailId, string Reference);

public sealed record MailAssigned(Notice Notice, long MailId, bool ReceiptQueued);

/// <summary>Staff settle an unmatched, ambiguous or suspicious mail by naming its notice: it is filed as a reply matched by "staff", in one transaction.</summary>
public sealed class AssignMail(Database database, RecordReply replies, MailIntakeOptions options)
{
    public Task<MailAssigned> ExecuteAsync(
        AssignMailCommand command, CancellationToken cancellationToken, Action<StorageSession, MailAssigned>? alongside = null)
    {
        using var session = database.Begin();
        var mail = MailRepository.Get(session, command.MailId) ?? throw new NoticeRuleException(NoticeRuleCode.MailNotFound, $"#{command.MailId}");
        if (mail.Kind is not (MailKind.Unmatched or MailKind.Ambiguous or MailKind.Suspicious))
        {
            throw new NoticeRuleException(NoticeRuleCode.MailNotSettleable, $"#{command.MailId}", StoredCodes.Text(mail.Kind));
        }

        if (mail.Dismissal is not null)
        {
            throw new NoticeRuleException(NoticeRuleCode.MailAlreadySettled, $"#{command.MailId}");
        }

        var notice = RequestChecks.Notice(session, command.Reference);
        ParsedMail parsed;
        using (var raw = File.OpenRead(Path.Combine(options.DataDirectory, mail.RawPath)))
        {
            var message = MailParserOptions.Load(raw);
            if (ActionMailReader.Read(message).HasToken)
            {
                throw new NoticeRuleException(NoticeRuleCode.MailCarriesAction, $"#{command.MailId}");
            }

            parsed = MailReader.Read(message);
        }

        var filed = replies.File(session, notice, new RecordReplyCommand(command.MailId, notice.Reference, MatchMethod.Staff, parsed, Evidence: null), TimelineEvent.Assigned);
        var assigned = new MailAssigned(filed.Notice, command.MailId, filed.ReceiptQueued);
        alongside?.Invoke(session, assigned);
        session.Commit();
        return Task.FromResult(assigned);
    }
}
