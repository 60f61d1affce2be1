using System.Data;
using Dapper;

namespace MailIntake.Storage;

public sealed record TimelineEntry(DateTimeOffset At, TimelineEvent Event, string? Detail);

public sealed class TimelineRepository(Database database)
{
    /// <summary>
    /// A notice's events in time order (those of one moment in the order written): an event dated by when it happened —
    /// a call recorded from a staff member's mail read later — stands where it happened, not where it was written.
    /// </summary>
    public IReadOnlyList<TimelineEntry> List(long noticeId)
    {
        using var connection = database.Open();
        return List(connection, null, noticeId);
    }

    public static IReadOnlyList<TimelineEntry> List(StorageSession session, long noticeId) => List(session.Connection, session.Transaction, noticeId);

    private static IReadOnlyList<TimelineEntry> List(IDbConnection connection, IDbTransaction? transaction, long noticeId) =>
        connection.Query<(string At, string Event, string? Detail)>(
                "SELECT at, event, detail FROM timeline WHERE notice_id = @noticeId ORDER BY at, id",
                new { noticeId },
                transaction)
            .Select(row => new TimelineEntry(Instants.Parse(row.At), StoredCodes.TimelineEventOf(row.Event), row.Detail))
            .ToList();

    public void Add(long noticeId, DateTimeOffset at, TimelineEvent @event, string? detail)
    {
        using var connection = database.Open();
        Add(connection, null, noticeId, at, @event, detail);
    }

    public static void Add(StorageSession session, long noticeId, DateTimeOffset at, TimelineEvent @event, string? detail) =>
        Add(session.Connection, session.Transaction, noticeId, at, @event, detail);

    /// <summary>Adds an event inside the caller's transaction, so the event and the change it describes land together.</summary>
    internal static void Add(IDbConnection connection, IDbTransaction? transaction, long noticeId, DateTimeOffset at, TimelineEvent @event, string? detail) =>
        connection.Execute(
            "INSERT INTO timeline (notice_id, at, event, detail) VALUES (@noticeId, @at, @event, @detail)",
            new { noticeId, at = Instants.Format(at), @event = StoredCodes.Text(@event), detail },
            transaction);
}
