using MailIntake.Storage;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Application;

/// <param name="Round">The round the request was made for (a staff mail's link), if any: another round is refused as stale.</param>
/// <param name="DespiteWaitingMail">
/// A suspension decided on purpose while mail about the notice still waits (a held mail naming it, the center's own
/// extension mail not yet sent): without it such a suspension is refused, naming what waits.
/// </param>
public sealed record RecordFollowUpCommand(
    string Reference, RoundResult Result, string By, DateOnly? Until, DateOnly? SuspendFrom, string? Note, DateTimeOffset? At, int? Round = null,
    bool DespiteWaitingMail = false);

public sealed record FollowUpRecorded(Notice Notice, int Round, IReadOnlyList<OutboundKind> MailsQueued);

/// <summary>
/// Records the next round of the tracking evaluation form (追蹤評估表): rounds 1 and 2 are completed | extended (until a
/// new deadline) | suspended (from a date) | other (a note); round 3 is completed | suspended; a closed notice takes no
/// more. The round, the status and deadline change, the timeline event and every mail it sends (the extension notice to
/// the organisation; the suspension notice and the Archives report) commit together. A refusal changes nothing.
/// </summary>
public sealed class RecordFollowUp(
    Database database, ExtensionMailer extensions, SuspensionMailer suspensions, SweepMarkRepository marks, MailIntakeOptions options, TimeProvider time)
{
    public Task<FollowUpRecorded> ExecuteAsync(
        RecordFollowUpCommand command, CancellationToken cancellationToken, Action<StorageSession, FollowUpRecorded>? alongside = null)
    {
        var by = RequestChecks.Tracker(command.By);
        CheckArguments(command);
        var note = RequestChecks.Note(command.Note);
        var now = time.GetUtcNow();
        using var session = database.Begin();
        var notice = RequestChecks.Notice(session, command.Reference);
        var at = RequestChecks.Moment(command.At, notice, now);
        var rounds = FollowUpRepository.ListFollowUps(session, notice.Id);
        var round = rounds.Count + 1;
        // The same round typed twice (arrow-up, Enter), or recorded by two staff at once, would spend one of the form's
        // three rounds on a key press. Asked for by its number (a mail link names its round; --round on the command line) it
        // is meant and recorded. Judged first: a twin whose default time was read before the other committed is this.
        if (command.Round is null && rounds.Count > 0 && IsRepeat(rounds[^1], command, by, note, at))
        {
            throw new NoticeRuleException(NoticeRuleCode.RoundRepeated, notice.Reference, rounds[^1].Round.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // The form's rounds follow each other: a round dated before the one it follows is not a fact the form can hold.
        // Without a time given, "now" was read as the request began: a round dated later was recorded meanwhile, unseen
        // by whoever asked — that round is the conflict (h14h G5), not a time nobody gave.
        if (rounds.Count > 0 && at < rounds[^1].At)
        {
            throw command.At is null
                ? new NoticeRuleException(NoticeRuleCode.RoundRecordedMeanwhile, notice.Reference, Named(rounds[^1]))
                : new NoticeRuleException(NoticeRuleCode.AtBeforePreviousRound, notice.Reference, Labels.Moment(rounds[^1].At, options.Zone));
        }

        if (command.Round is { } expected && expected != round)
        {
            throw new NoticeRuleException(NoticeRuleCode.StaleRound, notice.Reference, expected.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // A reply the store lacks may wait in the drop folder's processed/ (a restore not read again, a copy that took the
        // folder): an extension mail would say none came, a suspension would tell the Archives so, a completion would close
        // the case past it (h32h R15, R6).
        if (RestoreReread.Pending(marks, options))
        {
            throw new NoticeRuleException(NoticeRuleCode.FollowUpRereadPending, notice.Reference, Path.Combine(Path.GetFullPath(options.Mailbox.DropFolder ?? "."), "processed"));
        }

        var next = NoticeStateMachine.OnRound(notice.Reference, notice.Status, round, command.Result);
        var despite = string.Empty;
        if (command.Result == RoundResult.Extended)
        {
            CheckExtension(notice, command.Until!.Value);
            // The extension mail says the organisation was told of the notice on the day of issue: never while that mail
            // still waits or failed.
            if (NotYetSent(session, notice))
            {
                throw new NoticeRuleException(NoticeRuleCode.ExtensionOfUnsentNotice, notice.Reference);
            }

            if (BouncedEverywhere(session, notice) is { } dead)
            {
                // The extension mail would go to the same dead addresses, saying the organisation was told of the notice.
                throw new NoticeRuleException(NoticeRuleCode.ExtensionOfBouncedNotice, notice.Reference, dead);
            }

            // The extension mail goes to the organisation's registered addresses now: with none, it would be told nothing
            // while the tracking form records a new deadline given to it.
            if (OrganisationRepository.Emails(session, notice.OrgCode).Count == 0)
            {
                throw new NoticeRuleException(NoticeRuleCode.ExtensionUnmailable, notice.OrgCode, notice.Reference);
            }
        }

        // A note round on a notice the organisation never saw spends a round of the form on nothing it could answer. A
        // completion is taken (the case may be settled another way): the waiting notice mail is then withdrawn unsent.
        if (command.Result == RoundResult.Other && NotYetSent(session, notice))
        {
            throw new NoticeRuleException(NoticeRuleCode.RoundOfUnsentNotice, notice.Reference);
        }

        if (command.Result == RoundResult.Suspended)
        {
            CheckSuspension(session, notice, command.SuspendFrom!.Value, at);
            if (Waiting(session, notice, rounds) is { } waiting)
            {
                // Decided on purpose past what waits: the timeline keeps that staff knew.
                var state = waiting.Code switch
                {
                    NoticeRuleCode.SuspensionWhileMailHeld => "，尚未歸入或註記不需處理",
                    NoticeRuleCode.SuspensionWhileMailFailing => "處理失敗尚未歸檔",
                    _ => "尚未寄出",
                };
                despite = command.DespiteWaitingMail ? $"；記錄時{waiting.Value}{state}，經承辦人員確認仍予中止" : throw waiting;
            }
        }

        if (command.Result == RoundResult.Completed)
        {
            CheckCompletion(session, notice);
            // A reply not filed yet because its processing fails on our side would, once filed, find the case closed and
            // its phone duty dropped unrecorded (h32h R17).
            if (WaitingForNotice.Of(session, notice, options).Failing is { Count: > 0 } failing)
            {
                throw new NoticeRuleException(NoticeRuleCode.CompletionWhileMailFailing, notice.Reference, WaitingMail.Describe(failing, options.Zone));
            }
        }

        var followUp = new FollowUp(round, command.Result, command.Until, command.SuspendFrom, by, at, note);
        FollowUpRepository.AddRound(session, notice.Id, followUp, now);
        if (!NoticeRepository.Transition(session, notice.Id, notice.Status, next, command.Until))
        {
            throw new NoticeRuleException(NoticeRuleCode.ChangedMeanwhile, notice.Reference);
        }

        TimelineRepository.Add(session, notice.Id, at, TimelineEvent.FollowUp, $"第 {round} 次追蹤（{by}）：{Detail(followUp)}{despite}");
        var updated = NoticeRepository.Get(session, notice.Id)!;
        var queued = new List<OutboundKind>();
        switch (command.Result)
        {
            case RoundResult.Extended:
                if (extensions.Queue(session, updated, followUp))
                {
                    queued.Add(OutboundKind.Extension);
                }

                break;
            case RoundResult.Suspended:
                queued.AddRange(suspensions.Queue(session, updated, followUp));
                break;
        }

        var recorded = new FollowUpRecorded(updated, round, queued);
        alongside?.Invoke(session, recorded);
        session.Commit();
        return Task.FromResult(recorded);
    }

    /// <summary>The round in words, as the timeline and the tracking form say it.</summary>
    public static string Detail(FollowUp round) => round.Result switch
    {
        RoundResult.Completed => "改善完成" + (round.Note is null ? "" : $"（{round.Note}）"),
        RoundResult.Extended => $"尚未完成，再給予改善期限至{Labels.Date(round.Until!.Value)}" + (round.Note is null ? "" : $"（{round.Note}）"),
        RoundResult.Suspended => $"自{Labels.Date(round.SuspendFrom!.Value)}起中止交換服務" + (round.Note is null ? "" : $"（{round.Note}）"),
        _ => $"其他：{round.Note}",
    };

    /// <summary>A recorded round as a refusal names it: 第 1 次追蹤（王承辦，中華民國115年12月1日 10:00，其他：…）.</summary>
    private string Named(FollowUp round) =>
        $"第 {round.Round} 次追蹤（{round.By}，{Labels.Moment(round.At, options.Zone)}，{Detail(round)}）";

    private bool IsRepeat(FollowUp last, RecordFollowUpCommand command, string by, string? note, DateTimeOffset at) =>
        last.Result == command.Result && last.Until == command.Until && last.SuspendFrom == command.SuspendFrom
        && string.Equals(last.By, by, StringComparison.Ordinal) && string.Equals(last.Note, note, StringComparison.Ordinal)
        && RequestChecks.Day(last.At, options.Zone) == RequestChecks.Day(at, options.Zone);

    private static void CheckArguments(RecordFollowUpCommand command)
    {
        switch (command.Result)
        {
            case RoundResult.Extended when command.Until is null:
                throw new NoticeRuleException(NoticeRuleCode.UntilRequired);
            case RoundResult.Suspended when command.SuspendFrom is null:
                throw new NoticeRuleException(NoticeRuleCode.SuspendFromRequired);
            case RoundResult.Other when string.IsNullOrWhiteSpace(command.Note):
                throw new NoticeRuleException(NoticeRuleCode.NoteRequired);
        }

        if (command.Until is not null && command.Result != RoundResult.Extended)
        {
            throw new NoticeRuleException(NoticeRuleCode.UntilNotTaken, value: StoredCodes.Text(command.Result));
        }

        if (command.SuspendFrom is not null && command.Result != RoundResult.Suspended)
        {
            throw new NoticeRuleException(NoticeRuleCode.SuspendFromNotTaken, value: StoredCodes.Text(command.Result));
        }
    }

    /// <summary>
    /// A suspension is told to the organisation and the Archives the moment it is recorded, and its documents say so:
    /// it cannot be dated (<c>--at</c>) on an earlier day than today, nor rest on a notice whose mail never left.
    /// A notice issued with <c>--no-send</c> was delivered another way (paper) and may be suspended.
    /// </summary>
    private void CheckSuspension(StorageSession session, Notice notice, DateOnly suspendFrom, DateTimeOffset at)
    {
        var today = RequestChecks.Today(time, options.Zone);
        if (DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, options.Zone).DateTime) < today)
        {
            throw new NoticeRuleException(NoticeRuleCode.SuspensionBackDated, notice.Reference, Labels.Moment(at, options.Zone));
        }

        RequestChecks.SuspendFrom(notice.Reference, suspendFrom, today);
        if (NotYetSent(session, notice))
        {
            throw new NoticeRuleException(NoticeRuleCode.NoticeNotYetSent, notice.Reference);
        }

        // Sent, but bounced for every address: the organisation was never told either, and the Archives report would say
        // it was (經限期改善單通知限期改善).
        if (BouncedEverywhere(session, notice) is { } dead)
        {
            throw new NoticeRuleException(NoticeRuleCode.NoticeBounced, notice.Reference, dead);
        }

        // The suspension notice goes to the organisation's registered addresses now: with none (an import dropped them),
        // nobody would be told, and the Archives report and tracking form would say the organisation was notified.
        if (OrganisationRepository.Emails(session, notice.OrgCode).Count == 0)
        {
            throw new NoticeRuleException(NoticeRuleCode.SuspensionUnmailable, notice.OrgCode, notice.Reference);
        }

        if (options.Archives.ReportRecipients.Count == 0)
        {
            throw new NoticeRuleException(NoticeRuleCode.ArchivesRecipientsUnset, notice.Reference);
        }
    }

    /// <summary>
    /// A suspension closes the notice and tells the organisation and the Archives it did not improve in time: staff decide
    /// it having seen what still waits. A mail held for them that names the notice may be the organisation's reply from an
    /// unregistered address (never looked at, the documents would say nothing came); the center's own extension mail still
    /// queued would be withdrawn, while the tracking form shows the extension beside the suspension. Both are named, to be
    /// settled first (mail assign / dismiss; the outbox) — or the suspension is recorded on purpose despite them. So is a
    /// mail held from the organisation's registered address (a mistyped reference, h32h R14), and one from it or naming the
    /// notice waiting on the center's own fault (processing failing, h31h Q8; raw file lost, h32h R16): the reply may be in
    /// it, not yet filed.
    /// </summary>
    /// <returns>The refusal naming what waits (a held mail first), or null when nothing does.</returns>
    private NoticeRuleException? Waiting(StorageSession session, Notice notice, IReadOnlyList<FollowUp> rounds) =>
        WaitingForNotice.Of(session, notice, options) is var waiting && waiting.Naming.Count + waiting.FromOrganisation.Count > 0
            ? new NoticeRuleException(NoticeRuleCode.SuspensionWhileMailHeld, notice.Reference, waiting.Held(options.Zone))
            : waiting.Failing.Count > 0
                ? new NoticeRuleException(NoticeRuleCode.SuspensionWhileMailFailing, notice.Reference, WaitingMail.Describe(waiting.Failing, options.Zone))
            : WaitingMail.ExtensionsQueued(OutboundRepository.ListForNotice(session, notice.Id)) is { Count: > 0 } queued
                ? new NoticeRuleException(NoticeRuleCode.SuspensionWhileExtensionQueued, notice.Reference, WaitingMail.Describe(queued, rounds))
                : null;

    /// <summary>
    /// The notice was mailed but no copy has left yet (queued or failed). A notice issued with <c>--no-send</c> was
    /// delivered another way (paper): not "not yet sent".
    /// </summary>
    private static bool NotYetSent(StorageSession session, Notice notice)
    {
        var noticeMails = OutboundRepository.ListForNotice(session, notice.Id).Where(mail => mail.Kind == OutboundKind.Notice).ToList();
        return noticeMails.Count > 0 && !noticeMails.Any(mail => mail.SentAt is not null);
    }

    /// <summary>
    /// The addresses the notice's mail bounced from when it bounced for every one of them and no reply came (a reply filed
    /// under the notice proves it arrived after all); null otherwise.
    /// </summary>
    private static string? BouncedEverywhere(StorageSession session, Notice notice)
    {
        var noticeMails = OutboundRepository.ListForNotice(session, notice.Id).Where(mail => mail.Kind == OutboundKind.Notice).ToList();
        return noticeMails.Count > 0 && noticeMails.All(mail => mail.Status == OutboundStatus.Bounced || mail.SentAt is null)
                                     && noticeMails.Any(mail => mail.Status == OutboundStatus.Bounced)
                                     && ReplyRepository.ListForNotice(session, notice.Id).Count == 0
            ? string.Join("、", noticeMails.Where(mail => mail.Status == OutboundStatus.Bounced).SelectMany(mail => mail.To).Distinct(StringComparer.OrdinalIgnoreCase))
            : null;
    }

    /// <summary>
    /// 以電子郵件方式回復者，應再以電話確認之: an email reply not yet confirmed by a call that reached the organisation
    /// keeps the notice open — completing it would close the phone duty unrecorded (a closed notice takes no calls).
    /// </summary>
    private static void CheckCompletion(StorageSession session, Notice notice)
    {
        var waiting = ReplyCompleteness.AwaitingPhone(ReplyRepository.ListForNotice(session, notice.Id), FollowUpRepository.ListConfirmations(session, notice.Id))
            .MaxBy(reply => reply.ReceivedAt);
        if (waiting is not null)
        {
            throw new NoticeRuleException(NoticeRuleCode.CompletionAwaitsPhone, notice.Reference, $"#{waiting.MailId}");
        }
    }

    /// <summary>
    /// A new deadline gives at least a day, like the notice's own: after today (a date already past, or today, would be
    /// mailed to the organisation as a deadline it can no longer keep) and after the current deadline.
    /// </summary>
    private void CheckExtension(Notice notice, DateOnly until)
    {
        if (until <= RequestChecks.Today(time, options.Zone))
        {
            throw new NoticeRuleException(NoticeRuleCode.UntilNotAfterToday, notice.Reference, Labels.Date(until));
        }

        if (until <= notice.Deadline)
        {
            throw new NoticeRuleException(NoticeRuleCode.UntilNotAfterDeadline, notice.Reference, Labels.Date(notice.Deadline));
        }

        if (until > RequestChecks.Today(time, options.Zone).AddYears(RequestChecks.MaxYearsAhead))
        {
            throw new NoticeRuleException(NoticeRuleCode.UntilTooFar, notice.Reference, Labels.Date(until));
        }
    }
}
