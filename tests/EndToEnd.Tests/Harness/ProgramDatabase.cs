using Dapper;
using Microsoft.Data.Sqlite;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>One recorded mail as the program's database holds it (the CLI shows no raw hash).</summary>
public sealed record RecordedMail(long Id, string? MessageId, string Sha256, string Kind);

/// <summary>One outbox row: <paramref name="NextAttemptAt"/> far ahead while a sender holds it (its claim lease).</summary>
public sealed record OutboundRow(long Id, string Kind, string MessageId, string Status, int Attempts, DateTimeOffset NextAttemptAt);

/// <summary>
/// Read-only look into the program's SQLite file, for what the command line does not show: raw hashes, and counts
/// taken between two kills without starting the program again. Assertions about behaviour go through the CLI.
/// </summary>
public static class ProgramDatabase
{
    public static IReadOnlyList<RecordedMail> Mails(string dataDirectory)
    {
        // Killed before its first migration, the program may have left no database or no table yet: nothing recorded.
        if (!File.Exists(Path.Combine(dataDirectory, "mailintake.db")))
            return [];
        using var connection = Open(dataDirectory);
        if (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'mails'") == 0)
            return [];
        return connection.Query<RecordedMail>(
                "SELECT id AS Id, message_id AS MessageId, sha256 AS Sha256, kind AS Kind FROM mails ORDER BY id")
            .ToList();
    }

    public static IReadOnlyList<OutboundRow> Outbound(string dataDirectory)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "mailintake.db")))
            return [];
        using var connection = Open(dataDirectory);
        return connection.Query<(long Id, string Kind, string MessageId, string Status, long Attempts, string NextAttemptAt)>(
                "SELECT id, kind, message_id, status, attempts, next_attempt_at FROM outbound ORDER BY id")
            .Select(row => new OutboundRow(row.Id, row.Kind, row.MessageId.Trim('<', '>'), row.Status, (int)row.Attempts,
                DateTimeOffset.Parse(row.NextAttemptAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal)))
            .ToList();
    }

    /// <summary>Raw files kept under <c>DataDirectory/raw</c> (named by SHA-256), whether or not a row records them yet.</summary>
    public static IReadOnlySet<string> RawFiles(string dataDirectory)
    {
        var raw = Path.Combine(dataDirectory, "raw");
        return Directory.Exists(raw)
            ? Directory.EnumerateFiles(raw, "*.eml", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet()
            : new HashSet<string>();
    }

    private static SqliteConnection Open(string dataDirectory)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "mailintake.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }
}
