using MailIntake.Storage;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.Application;

public sealed record DismissMailCommand(long MailId, string By, string Reason);

public sealed record MailDismissed(MailSummary Mail);

/// <summary>Staff settle a mail that needs no notice (spam, misdirected): it leaves the digest's list; the mail and its raw file stay.</summary>
public sealed class DismissMail(Database database, TimeProvider time, MailIntakeOptions options)
{
    public Task<MailDismissed> ExecuteAsync(
        DismissMailCommand command, CancellationToken cancellationToken, Action<StorageSession, MailDismissed>? alongside = null)
    {
        var by = RequestChecks.Tracker(command.By);
        var reason = RequestChecks.Reason(command.Reason);

        using var session = database.Begin();
        var mail = MailRepository.Get(session, command.MailId) ?? throw new NoticeRuleException(NoticeRuleCode.MailNotFound, $"#{command.MailId}");
        // A damaged mail whose raw file no backup holds can be settled too, or it would be warned about for ever.
        if (mail.Kind is not (MailKind.Unmatched or MailKind.Ambiguous or MailKind.Suspicious or MailKind.Damaged) || mail.Dismissal is not null)
        {
            throw SettledMailText.Refusal(session, mail, options.Zone);
        }

        if (!MailRepository.Dismiss(session, command.MailId, new MailDismissal(by, time.GetUtcNow(), reason)))
        {
            throw new NoticeRuleException(NoticeRuleCode.ChangedMeanwhile, $"#{command.MailId}");
        }

        var dismissed = new MailDismissed(MailRepository.Get(session, command.MailId)!);
        alongside?.Invoke(session, dismissed);
        session.Commit();
        return Task.FromResult(dismissed);
    }
}
