using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>
/// The notice's life as explicit transitions. Each answers "from this status, what does this event lead to?" or refuses
/// with a <see cref="NoticeRuleException"/>. The use cases then write the answer with
/// <c>UPDATE … WHERE status = @expected</c>, so a stale read can never overwrite a newer status.
/// <code>
/// issued ──reply──▶ replied ──phone reached──▶ confirmed (also from extended; a call on a closed notice is refused)
///   │                  ▲  (a later reply: confirmed or extended ──reply──▶ replied)
///   └─round extended──▶ extended (from any open status but confirmed, which stays confirmed; the current deadline
///                                  moves, the issued one stays)
/// any open ──round completed──▶ completed;  ──round suspended──▶ suspended;  ──round other──▶ unchanged
/// </code>
/// </summary>
public static class NoticeStateMachine
{
    public const int MaxRounds = 3;

    /// <summary>
    /// A reply filed: an open notice becomes replied (its phone call is awaited, its evaluation follows); a closed one
    /// keeps its status (a late mail is filed all the same).
    /// </summary>
    public static NoticeStatus OnReply(NoticeStatus current) =>
        current is NoticeStatus.Issued or NoticeStatus.Confirmed or NoticeStatus.Extended ? NoticeStatus.Replied : current;

    /// <summary>
    /// A phone call about a reply: refused on a closed notice (it is no longer tracked); one that reached the organisation
    /// makes a replied — or extended (the reply came before the extension) — notice confirmed, so the status after reply,
    /// extension and call is the same whichever of the first two was recorded first. An extended notice that still misses
    /// something keeps its reminders (<see cref="DeadlineDuty"/> reads the moved deadline, not the status).
    /// One closed notice still takes a call, leaving it as it is: a suspended one whose reply came before the organisation
    /// was told of the suspension (<paramref name="replyBeforeSuspensionTold"/>): that reply answered the notice, and its
    /// receipt asked for the phone step.
    /// </summary>
    public static NoticeStatus OnPhoneCall(string reference, NoticeStatus current, PhoneResult result, bool replyBeforeSuspensionTold = false) =>
        current == NoticeStatus.Suspended && replyBeforeSuspensionTold ? current
        : !current.IsOpen() ? throw new NoticeRuleException(NoticeRuleCode.NoticeClosed, reference, StoredCodes.Text(current))
        : result == PhoneResult.Reached && current is NoticeStatus.Replied or NoticeStatus.Extended ? NoticeStatus.Confirmed
        : current;

    /// <summary>Which results round <paramref name="round"/> may take.</summary>
    public static IReadOnlyList<RoundResult> AllowedResults(int round) => round == MaxRounds
        ? [RoundResult.Completed, RoundResult.Suspended]
        : [RoundResult.Completed, RoundResult.Extended, RoundResult.Suspended, RoundResult.Other];

    /// <summary>The status after round <paramref name="round"/> with <paramref name="result"/>, or a refusal.</summary>
    public static NoticeStatus OnRound(string reference, NoticeStatus current, int round, RoundResult result)
    {
        if (!current.IsOpen())
        {
            throw new NoticeRuleException(NoticeRuleCode.NoticeClosed, reference, StoredCodes.Text(current));
        }

        if (round > MaxRounds)
        {
            throw new NoticeRuleException(NoticeRuleCode.NoMoreRounds, reference);
        }

        if (!AllowedResults(round).Contains(result))
        {
            throw new NoticeRuleException(NoticeRuleCode.RoundThreeOnlyCompletedOrSuspended, reference, StoredCodes.Text(result));
        }

        return result switch
        {
            RoundResult.Completed => NoticeStatus.Completed,
            // A notice whose replies a reached call already confirmed stays confirmed: reply, call and extension end in the
            // same status whichever was recorded first (a call after the extension confirms it too, see OnPhoneCall).
            RoundResult.Extended => current == NoticeStatus.Confirmed ? NoticeStatus.Confirmed : NoticeStatus.Extended,
            RoundResult.Suspended => NoticeStatus.Suspended,
            _ => current,
        };
    }
}
