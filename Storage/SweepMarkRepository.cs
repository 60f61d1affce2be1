using Dapper;

namespace MailIntake.Storage;

/// <summary>Idempotency of the scheduled sweepers' effects that are not mail (a timeline event such as "overdue").</summary>
public sealed class SweepMarkRepository(Database database)
{
    /// <summary>Marks <paramref name="key"/> done and adds its timeline event, together; false when it was already done.</summary>
    public bool TryMark(string key, long? noticeId, DateTimeOffset now, TimelineEvent? timelineEvent = null, string? timelineDetail = null)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var inserted = connection.Execute(
            "INSERT INTO sweep_marks (key, notice_id, at) VALUES (@key, @noticeId, @now) ON CONFLICT (key) DO NOTHING",
            new { key, noticeId, now = Instants.Format(now) },
            transaction) > 0;
        if (inserted && noticeId is { } id && timelineEvent is not null)
        {
            TimelineRepository.Add(connection, transaction, id, now, timelineEvent.Value, timelineDetail);
        }

        transaction.Commit();
        return inserted;
    }

    /// <summary>Removes <paramref name="key"/> (a mark standing for work still to do, once it is done).</summary>
    public void Remove(string key)
    {
        using var connection = database.Open();
        connection.Execute("DELETE FROM sweep_marks WHERE key = @key", new { key });
    }

    /// <summary>The keys that start with <paramref name="prefix"/> (a mark that carries a value in its key).</summary>
    public IReadOnlyList<string> KeysStartingWith(string prefix)
    {
        using var connection = database.Open();
        return connection.Query<string>("SELECT key FROM sweep_marks WHERE substr(key, 1, length(@prefix)) = @prefix", new { prefix }).ToList();
    }

    /// <summary>Removes every key that starts with <paramref name="prefix"/>.</summary>
    public void RemoveStartingWith(string prefix)
    {
        using var connection = database.Open();
        connection.Execute("DELETE FROM sweep_marks WHERE substr(key, 1, length(@prefix)) = @prefix", new { prefix });
    }

    public bool Exists(string key)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sweep_marks WHERE key = @key", new { key }) > 0;
    }
}
