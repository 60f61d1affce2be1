using Dapper;

namespace MailIntake.Storage;

public sealed record ConnectionDrop(DateTimeOffset At, string Error);

/// <summary>
/// Connections the mail server dropped. The worker reconnects at once, so a drop costs seconds, not mail; but a server
/// that keeps dropping is something an admin must hear of, which a health flag that is green again a second later hides.
/// </summary>
public sealed class ConnectionDropRepository(Database database)
{
    /// <summary>How long drops are kept: the digest looks back a day, status an hour.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(7);

    public void Record(string component, string error, DateTimeOffset at)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            "INSERT INTO connection_drops (component, at, error) VALUES (@component, @at, @error)",
            new { component, at = Instants.Format(at), error },
            transaction);
        connection.Execute(
            "DELETE FROM connection_drops WHERE at < @before",
            new { before = Instants.Format(at - Kept) },
            transaction);
        transaction.Commit();
    }

    /// <summary>The drops of <paramref name="component"/> at or after <paramref name="since"/>, oldest first.</summary>
    public IReadOnlyList<ConnectionDrop> ListSince(string component, DateTimeOffset since)
    {
        using var connection = database.Open();
        return connection.Query<(string At, string Error)>(
                """
                SELECT at, error FROM connection_drops
                WHERE component = @component AND at >= @since
                ORDER BY at, id
                """,
                new { component, since = Instants.Format(since) })
            .Select(row => new ConnectionDrop(Instants.Parse(row.At), row.Error))
            .ToList();
    }
}
