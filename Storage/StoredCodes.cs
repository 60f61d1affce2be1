using MailIntake.Parsing;

namespace MailIntake.Storage;

/// <summary>
/// The one place where the notice's enums meet their text: the TEXT stored in SQLite, which is also the code
/// JSON output and the command line use (CONTRACT.md). Everything else handles the enums.
/// </summary>
public static class StoredCodes
{
    private static readonly Dictionary<NoticeStatus, string> Statuses = new()
    {
        [NoticeStatus.Issued] = "issued",
        [NoticeStatus.Replied] = "replied",
        [NoticeStatus.Confirmed] = "confirmed",
        [NoticeStatus.Extended] = "extended",
        [NoticeStatus.Completed] = "completed",
        [NoticeStatus.Suspended] = "suspended",
    };

    private static readonly Dictionary<RoundResult, string> Results = new()
    {
        [RoundResult.Completed] = "completed",
        [RoundResult.Extended] = "extended",
        [RoundResult.Suspended] = "suspended",
        [RoundResult.Other] = "other",
    };

    private static readonly Dictionary<PhoneResult, string> PhoneResults = new()
    {
        [PhoneResult.Reached] = "reached",
        [PhoneResult.NoAnswer] = "no-answer",
        [PhoneResult.WrongNumber] = "wrong-number",
    };

    private static readonly Dictionary<StoreProblemKind, string> StoreProblems = new()
    {
        [StoreProblemKind.RawMissing] = "raw-missing",
        [StoreProblemKind.RawDamaged] = "raw-damaged",
        [StoreProblemKind.RawOrphaned] = "raw-orphaned",
        [StoreProblemKind.EvidenceMissing] = "evidence-missing",
        [StoreProblemKind.EvidenceDamaged] = "evidence-damaged",
        [StoreProblemKind.EvidenceOrphaned] = "evidence-orphaned",
        [StoreProblemKind.OutboundMissing] = "outbound-missing",
        [StoreProblemKind.OutboundDamaged] = "outbound-damaged",
        [StoreProblemKind.OutboundOrphaned] = "outbound-orphaned",
        [StoreProblemKind.Leftover] = "leftover",
        [StoreProblemKind.Database] = "database",
        [StoreProblemKind.Foreign] = "foreign",
        [StoreProblemKind.Unreadable] = "unreadable",
        [StoreProblemKind.Unwritable] = "unwritable",
        [StoreProblemKind.ActionKey] = "action-key",
    };

    private static readonly Dictionary<MailKind, string> MailKinds = new()
    {
        [MailKind.Received] = "received",
        [MailKind.Reply] = "reply",
        [MailKind.AutoReply] = "auto-reply",
        [MailKind.Bounce] = "bounce",
        [MailKind.Unmatched] = "unmatched",
        [MailKind.Ambiguous] = "ambiguous",
        [MailKind.Suspicious] = "suspicious",
        [MailKind.StaffAction] = "staff-action",
        [MailKind.Failed] = "failed",
        [MailKind.Damaged] = "damaged",
    };

    private static readonly Dictionary<MatchMethod, string> MatchMethods = new()
    {
        [MatchMethod.Reference] = "reference",
        [MatchMethod.Thread] = "thread",
        [MatchMethod.OrgCode] = "org-code",
        [MatchMethod.Sender] = "sender",
        [MatchMethod.Staff] = "staff",
    };

    private static readonly Dictionary<OutboundKind, string> OutboundKinds = new()
    {
        [OutboundKind.Notice] = "notice",
        [OutboundKind.Receipt] = "receipt",
        [OutboundKind.Reminder] = "reminder",
        [OutboundKind.Overdue] = "overdue",
        [OutboundKind.PhonePrompt] = "phone-prompt",
        [OutboundKind.Digest] = "digest",
        [OutboundKind.Suspension] = "suspension",
        [OutboundKind.ArchivesReport] = "archives-report",
        [OutboundKind.Extension] = "extension",
        [OutboundKind.ActionAnswer] = "action-answer",
        [OutboundKind.MailNote] = "mail-note",
        [OutboundKind.BounceNote] = "bounce-note",
    };

    private static readonly Dictionary<OutboundStatus, string> OutboundStatuses = new()
    {
        [OutboundStatus.Queued] = "queued",
        [OutboundStatus.Sent] = "sent",
        [OutboundStatus.Failed] = "failed",
        [OutboundStatus.Bounced] = "bounced",
        [OutboundStatus.Withdrawn] = "withdrawn",
    };

    private static readonly Dictionary<TimelineEvent, string> Events = new()
    {
        [TimelineEvent.Issued] = "issued",
        [TimelineEvent.Queued] = "queued",
        [TimelineEvent.Sent] = "sent",
        [TimelineEvent.SendFailed] = "send-failed",
        [TimelineEvent.ReplyFiled] = "reply-filed",
        [TimelineEvent.Assigned] = "assigned",
        [TimelineEvent.Bounced] = "bounced",
        [TimelineEvent.Receipt] = "receipt",
        [TimelineEvent.ReceiptSuppressed] = "receipt-suppressed",
        [TimelineEvent.Reminder] = "reminder",
        [TimelineEvent.Overdue] = "overdue",
        [TimelineEvent.PhonePrompt] = "phone-prompt",
        [TimelineEvent.Confirmed] = "confirmed",
        [TimelineEvent.PhoneAttempt] = "phone-attempt",
        [TimelineEvent.FollowUp] = "follow-up",
        [TimelineEvent.Extended] = "extended",
        [TimelineEvent.Suspended] = "suspended",
        [TimelineEvent.Reported] = "reported",
        [TimelineEvent.ViaMail] = "via-mail",
        [TimelineEvent.Withdrawn] = "withdrawn",
        [TimelineEvent.Rewritten] = "rewritten",
    };

    public static string Text(NoticeStatus value) => Statuses[value];
    public static string Text(RoundResult value) => Results[value];
    public static string Text(PhoneResult value) => PhoneResults[value];
    public static string Text(MailKind value) => MailKinds[value];
    public static string Text(StoreProblemKind value) => StoreProblems[value];
    public static string Text(MatchMethod value) => MatchMethods[value];
    public static string Text(OutboundKind value) => OutboundKinds[value];
    public static string Text(OutboundStatus value) => OutboundStatuses[value];
    public static string Text(TimelineEvent value) => Events[value];

    public static NoticeStatus NoticeStatusOf(string text) => Parse(Statuses, text);
    public static RoundResult RoundResultOf(string text) => Parse(Results, text);
    public static PhoneResult PhoneResultOf(string text) => Parse(PhoneResults, text);
    public static MailKind MailKindOf(string text) => Parse(MailKinds, text);
    public static MatchMethod MatchMethodOf(string text) => Parse(MatchMethods, text);
    public static OutboundKind OutboundKindOf(string text) => Parse(OutboundKinds, text);
    public static OutboundStatus OutboundStatusOf(string text) => Parse(OutboundStatuses, text);

    /// <summary>Timeline rows written before an event had its own code (e.g. "follow-up-2") read as their family.</summary>
    public static TimelineEvent TimelineEventOf(string text) =>
        text.StartsWith("follow-up", StringComparison.Ordinal) ? TimelineEvent.FollowUp : Parse(Events, text);

    /// <summary>The codes a command line accepts or a JSON consumer reads, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Enum.GetValues<T>().Select(value => value switch
    {
        NoticeStatus status => Text(status),
        RoundResult result => Text(result),
        PhoneResult phone => Text(phone),
        MailKind kind => Text(kind),
        MatchMethod method => Text(method),
        OutboundKind kind => Text(kind),
        OutboundStatus status => Text(status),
        TimelineEvent @event => Text(@event),
        _ => throw new ArgumentOutOfRangeException(nameof(T), typeof(T).Name, "no stored text for this enum"),
    }).ToList();

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        var index = text is null ? -1 : All<T>().ToList().IndexOf(text);
        value = index < 0 ? default : Enum.GetValues<T>()[index];
        return index >= 0;
    }

    private static T Parse<T>(Dictionary<T, string> map, string text) where T : notnull =>
        map.FirstOrDefault(pair => pair.Value == text) is { Value: not null } found
            ? found.Key
            : throw new FormatException($"unknown stored code '{text}' for {typeof(T).Name}");

    /// <summary>The stored text of the closed statuses, for SQL parameters.</summary>
    public static string[] ClosedStatuses => [Text(NoticeStatus.Completed), Text(NoticeStatus.Suspended)];
}
