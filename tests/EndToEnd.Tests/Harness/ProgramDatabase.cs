using Dapper;
using Microsoft.Data.Sqlite;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>One recorded mail as the program's database holds it (the CLI shows no raw hash).</summary>
public sealed record RecordedMail(long Id, string? MessageId, string Sha256, string Kind);

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
