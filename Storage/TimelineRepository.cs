using System.Data;
using Dapper;

namespace MailIntake.Storage;

public static class TimelineEvent
{
    public const string Issued = "issued";
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string ReplyFiled = "reply-filed";
    public const string Assigned = "assigned";
    public const string Bounced = "bounced";
    public const string Receipt = "receipt";
    public const string Reminder = "reminder";
    public const string Overdue = "overdue";
    public const string PhonePrompt = "phone-prompt";
    public const string Confirmed = "confirmed";
    public const string Suspended = "suspended";
    public const string Reported = "reported";
}

public sealed record TimelineEntry(DateTimeOffset At, string Event, string? Detail);

public sealed class TimelineRepository(Database database)
{
    public IReadOnlyList<TimelineEntry> List(long noticeId)
    {
        using var connection = database.Open();
        return connection.Query<(string At, string Event, string? Detail)>(
                "SELECT at, event, detail FROM timeline WHERE notice_id = @noticeId ORDER BY id",
                new { noticeId })
            .Select(row => new TimelineEntry(Instants.Parse(row.At), row.Event, row.Detail))
            .ToList();
    }

    public void Add(long noticeId, DateTimeOffset at, string @event, string? detail)
    {
        using var connection = database.Open();
        Add(connection, null, noticeId, at, @event, detail);
    }

    /// <summary>Adds an event inside the caller's transaction, so the event and the change it describes land together.</summary>
    public static void Add(IDbConnection connection, IDbTransaction? transaction, long noticeId, DateTimeOffset at, string @event, string? detail) =>
        connection.Execute(
            "INSERT INTO timeline (notice_id, at, event, detail) VALUES (@noticeId, @at, @event, @detail)",
            new { noticeId, at = Instants.Format(at), @event, detail },
            transaction);
}
