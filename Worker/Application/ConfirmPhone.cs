using MailIntake.Storage;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.Application;

/// <param name="ReplyMailId">The reply the request was made for (a staff mail's link), if any: a later reply makes it stale.</param>
public sealed record ConfirmPhoneCommand(string Reference, string By, PhoneResult Result, string? Note, DateTimeOffset? At, long? ReplyMailId = null);

/// <param name="ConfirmedBefore">The reached call that had already confirmed this reply, if any: a second caller is told, so
/// the organisation is not called again for a reply already confirmed.</param>
public sealed record PhoneCallRecorded(Notice Notice, long MailId, PhoneResult Result, int Attempts, PhoneConfirmation? ConfirmedBefore);

/// <summary>
/// Records a phone call about the notice's latest email reply — the latest that had arrived when the call was made (a
/// call dated before any reply is refused; one dated between two replies is about the earlier). Every call is kept (with its result) and shown in the
/// timeline, digest and prompt; only a call that reached the organisation confirms the reply (replied → confirmed).
/// </summary>
public sealed class ConfirmPhone(Database database, MailIntakeOptions options, TimeProvider time)
{
    public Task<PhoneCallRecorded> ExecuteAsync(
        ConfirmPhoneCommand command, CancellationToken cancellationToken, Action<StorageSession, PhoneCallRecorded>? alongside = null)
    {
        var by = RequestChecks.Tracker(command.By);
        var note = RequestChecks.Note(command.Note);
        var now = time.GetUtcNow();
        using var session = database.Begin();
        var notice = RequestChecks.Notice(session, command.Reference);
        if (notice.Status != NoticeStatus.Suspended)
        {
            _ = NoticeStateMachine.OnPhoneCall(notice.Reference, notice.Status, command.Result); // a closed notice is refused first
        }

        var at = RequestChecks.Moment(command.At, notice, now);
        var replies = ReplyRepository.ListForNotice(session, notice.Id);
        var newest = replies.MaxBy(reply => reply.ReceivedAt) ?? throw (notice.Status.IsOpen()
            ? new NoticeRuleException(NoticeRuleCode.NoReplyToConfirm, notice.Reference)
            : new NoticeRuleException(NoticeRuleCode.NoticeClosed, notice.Reference, StoredCodes.Text(notice.Status)));

        // A call is about the latest reply that had arrived when it was made: it cannot confirm a mail not yet received.
        var latest = replies.Where(reply => reply.ReceivedAt <= at).MaxBy(reply => reply.ReceivedAt)
            ?? throw new NoticeRuleException(NoticeRuleCode.AtBeforeReply, $"#{replies.MinBy(reply => reply.ReceivedAt)!.MailId}",
                Labels.Moment(replies.Min(reply => reply.ReceivedAt), options.Zone));

        // A link made for an earlier reply than the one latest when the call was made was not seen by the caller; a reply
        // that came after the call (a Friday call read on Monday) does not make it stale.
        if (command.ReplyMailId is { } named && replies.All(reply => reply.MailId != named))
        {
            throw new NoticeRuleException(NoticeRuleCode.MailNotReplyOfNotice, $"#{named}", notice.Reference);
        }

        // A call dated before the very reply it is said to be about: that is what is wrong, not a later reply.
        if (command.ReplyMailId is { } about && replies.Single(reply => reply.MailId == about) is { } aboutReply && aboutReply.ReceivedAt > at)
        {
            throw new NoticeRuleException(NoticeRuleCode.AtBeforeReply, $"#{aboutReply.MailId}", Labels.Moment(aboutReply.ReceivedAt, options.Zone));
        }

        if (command.ReplyMailId is { } seen && seen != latest.MailId)
        {
            throw new NoticeRuleException(NoticeRuleCode.StalePhonePrompt, notice.Reference, $"#{latest.MailId}");
        }

        var beforeTold = notice.Status == NoticeStatus.Suspended && SuspensionTiming.ReplyBeforeOrganisationTold(latest.ReceivedAt,
            FollowUpRepository.ListFollowUps(session, notice.Id).LastOrDefault(round => round.Result == RoundResult.Suspended),
            OutboundRepository.ListForNotice(session, notice.Id));
        var afterCall = NoticeStateMachine.OnPhoneCall(notice.Reference, notice.Status, command.Result, beforeTold);
        var confirmedBefore = FollowUpRepository.ListConfirmations(session, notice.Id)
            .Where(call => call.MailId == latest.MailId && call.Result == PhoneResult.Reached)
            .MinBy(call => call.At);
        FollowUpRepository.AddCall(session, notice.Id, latest.MailId, new PhoneConfirmation(latest.MailId, by, at, note, command.Result), now);
        var noteText = note is null ? "" : $"：{note}";
        if (command.Result == PhoneResult.Reached)
        {
            // A reply that arrived after the call still awaits its own call: the notice stays replied.
            var next = latest.MailId == newest.MailId ? afterCall : notice.Status;
            if (next != notice.Status && !NoticeRepository.Transition(session, notice.Id, notice.Status, next))
            {
                throw new NoticeRuleException(NoticeRuleCode.ChangedMeanwhile, notice.Reference);
            }

            TimelineRepository.Add(session, notice.Id, at, TimelineEvent.Confirmed, $"{by} 以電話確認郵件 #{latest.MailId} 之回覆{noteText}");
        }
        else
        {
            TimelineRepository.Add(session, notice.Id, at, TimelineEvent.PhoneAttempt,
                $"{by} 致電確認郵件 #{latest.MailId} 之回覆：{Labels.Phone(command.Result)}{noteText}");
        }

        var attempts = FollowUpRepository.ListConfirmations(session, notice.Id).Count(call => call.MailId == latest.MailId);
        var recorded = new PhoneCallRecorded(NoticeRepository.Get(session, notice.Id)!, latest.MailId, command.Result, attempts, confirmedBefore);
        alongside?.Invoke(session, recorded);
        session.Commit();
        return Task.FromResult(recorded);
    }
}
