using MailIntake.Storage;
using MailIntake.Worker.Jobs;

namespace MailIntake.Worker.Application;

/// <summary>Builds the <see cref="DigestView"/> as of the clock's moment.</summary>
public sealed class DigestQuery(
    NoticeRepository notices,
    OrganisationRepository organisations,
    ReplyRepository replies,
    FollowUpRepository followUps,
    MailRepository mails,
    OutboundRepository outbound,
    HealthQuery health,
    CenterClock clock,
    JobRun run,
    Options.MailIntakeOptions options)
{
    /// <summary>"Due soon" looks this many working days ahead.</summary>
    public const int DueSoonWorkingDays = 3;

    /// <summary>When the round that closed <paramref name="notice"/> was recorded; null while it is open.</summary>
    private DateTimeOffset? ClosedAt(Notice notice) =>
        notice.Status.IsOpen() ? null : followUps.ListFollowUps(notice.Id).LastOrDefault(round => round.Result is RoundResult.Completed or RoundResult.Suspended)?.At;

    /// <summary>A reply to a suspended notice that came before the organisation was told of the suspension (<see cref="SuspensionTiming.ReplyBeforeOrganisationTold"/>).</summary>
    private bool BeforeSuspensionTold(Notice notice, Reply reply) =>
        notice.Status == NoticeStatus.Suspended
        && SuspensionTiming.ReplyBeforeOrganisationTold(reply.ReceivedAt,
            followUps.ListFollowUps(notice.Id).LastOrDefault(round => round.Result == RoundResult.Suspended), outbound.ListForNotice(notice.Id));

    public DigestView Get()
    {
        var today = clock.Today;
        // The previous digest queued up to now: one queued by a `jobs run digest --as-of` in the future (a preview) is not "the last".
        // No digest before: every reply is new (none was ever reported).
        var since = outbound.LatestCreatedAt(OutboundKind.Digest, notAfter: clock.UtcNow, keyPrefix: DailyDigest.KeyPrefix, includePreviews: run.Preview)
                    ?? DateTimeOffset.MinValue;
        // What the digest shows and nothing more: the open notices with their replies, calls and rounds, and the replies
        // new since the last digest (a closed notice's too): years of closed notices cost it nothing.
        var open = notices.ListOpen().OrderBy(notice => notice.Deadline).ThenBy(notice => notice.Id).ToList();
        var byId = open.ToDictionary(notice => notice.Id);
        Notice? Of(long id)
        {
            if (!byId.TryGetValue(id, out var notice) && notices.Get(id) is { } closed)
            {
                byId[id] = notice = closed;
            }

            return notice;
        }

        var repliesByNotice = replies.ListForOpenOrRepliedSince(since);
        var callsByNotice = followUps.ListOpenCallsByNotice();
        var horizon = clock.Calendar.AddWorkingDays(today, DueSoonWorkingDays);
        var rounds = followUps.CountRoundsOfOpenNotices();

        var newReplies = repliesByNotice
            // New by when it was filed, not when it arrived: a reply fetched late (the worker was down) keeps its true,
            // earlier arrival and is still new to staff.
            .SelectMany(group => group.Where(reply => reply.FiledAt >= since)
                .Select(reply => (Of(group.Key)!, reply, ReplyCompleteness.Missing(Of(group.Key)!, group.ToList()), ReplyDates.CompletionDoubt(Of(group.Key)!, reply, clock.Zone),
                    ClosedAt(Of(group.Key)!), BeforeSuspensionTold(Of(group.Key)!, reply))))
            .OrderBy(entry => entry.reply.ReceivedAt)
            .ToList();
        // Judged by the deadline the organisation was told, as the overdue sweep judges (OverdueNote.Passed): an extension
        // whose mail never reached it (queued, failed, withdrawn, bounced) moved nothing it knows of. Only a notice whose
        // deadline changed since it was issued has any extension to look at.
        var untold = new Dictionary<long, UntoldExtension>();
        var passed = new HashSet<long>();
        foreach (var notice in open)
        {
            var changed = notice.Deadline != notice.DeadlineIssued;
            IReadOnlyList<FollowUp> noticeRounds = changed ? followUps.ListFollowUps(notice.Id) : [];
            IReadOnlyList<OutboundMail> noticeMails = changed ? outbound.ListForNotice(notice.Id) : [];
            if (OverdueNote.UntoldExtensions(notice, noticeRounds, noticeMails) is { } extension)
            {
                untold[notice.Id] = extension;
            }

            if (OverdueNote.Passed(notice, noticeRounds, noticeMails, today) is not null)
            {
                passed.Add(notice.Id);
            }
        }

        var phones = organisations.PhonesOfOpenNotices();
        // Every email reply of an open notice not yet confirmed by a call that reached the organisation — whatever
        // happened to the deadline meanwhile.
        var awaitingPhone = open
            .Select(notice =>
            {
                var filed = repliesByNotice[notice.Id].ToList();
                var calls = callsByNotice[notice.Id].ToList();
                var waiting = ReplyCompleteness.AwaitingPhone(filed, calls).MaxBy(reply => reply.ReceivedAt);
                return waiting is null
                    ? null
                    : new PhoneDuty(notice, waiting, ReplyCompleteness.LatestWithFiller(filed), phones.GetValueOrDefault(notice.OrgCode),
                        calls.Where(call => call.MailId == waiting.MailId).ToList(), untold.GetValueOrDefault(notice.Id));
            })
            .OfType<PhoneDuty>()
            .ToList();
        // Due soon: every open notice whose deadline is near and for which something the form asks is still missing —
        // a partial reply does not make a deadline less near.
        DateOnly Told(Notice notice) => untold.TryGetValue(notice.Id, out var extension) ? extension.Told : notice.Deadline;
        var dueSoon = open.Where(notice => Told(notice) >= today && Told(notice) <= horizon
                                           && ReplyCompleteness.Missing(notice, repliesByNotice[notice.Id].ToList()).Count > 0)
            .ToList();
        // "No reply" means none at all: a notice with a filed reply is never listed here.
        var overdue = open.Where(notice => passed.Contains(notice.Id) && !repliesByNotice[notice.Id].Any()).ToList();
        // Staff evaluate a notice once its reply is confirmed by phone, or when its deadline has passed — replied or not.
        var followUpsDue = open.Where(notice => notice.Status == NoticeStatus.Confirmed || passed.Contains(notice.Id))
            .Select(notice => (notice, rounds.GetValueOrDefault(notice.Id)))
            .Where(entry => entry.Item2 < NoticeStateMachine.MaxRounds)
            .ToList();
        var problems = outbound.ListByStatus(OutboundStatus.Failed).Concat(outbound.ListByStatus(OutboundStatus.Bounced)).Concat(outbound.ListPartlyBounced())
            .Select(mail => (mail, mail.NoticeId is { } id ? Of(id)?.Reference : null))
            .ToList();
        return new DigestView(today, since, open, newReplies, awaitingPhone, dueSoon, overdue, followUpsDue, mails.ListToSettle(), problems, health.Get(), repliesByNotice,
            mails.ListUntiedBouncesSince(since), mails.List(MailKind.Failed), Unreachable(open))
        {
            // "No reply" while a held mail names the notice (perhaps its reply from an unregistered address) says so.
            HeldNaming = overdue.ToDictionary(notice => notice.Id, notice => WaitingMail.HeldNaming(mails, notice, options)),
            Untold = untold,
            PassedIds = passed,
        };
    }

    /// <summary>Open notices (mailed to the organisation, not issued with --no-send) whose organisation has no registered address now.</summary>
    private IReadOnlyList<Notice> Unreachable(IReadOnlyList<Notice> open)
    {
        var withAddress = organisations.List().Where(organisation => organisation.Emails.Count > 0).Select(organisation => organisation.Code).ToHashSet(StringComparer.Ordinal);
        return open.Where(notice => !withAddress.Contains(notice.OrgCode)).ToList();
    }
}
