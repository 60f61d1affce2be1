using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace MailIntake.Storage;

/// <summary>A DataDirectory holds raw mail but no database: the database was lost (or moved); nothing creates a new one there.</summary>
public sealed class DatabaseLostException(string dataDirectory)
    : IOException($"DataDirectory {dataDirectory} holds raw mail but no database")
{
    public string DataDirectory { get; } = dataDirectory;
}

/// <summary>The SQLite database file: opens connections and applies the numbered migrations.</summary>
public sealed class Database
{
    private readonly string _connectionString;

    public Database(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // busy_timeout lets a CLI command and the running worker share the file without "database is locked".
        // synchronous FULL: a commit returns only once the WAL is on the disk, so a power loss never takes back a commit
        // (README, the durability model: the mailbox checkpoint and a drop-folder move rely on it).
        connection.Execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL;");
        return connection;
    }

    /// <summary>Begins one write transaction for a use case: everything it writes commits together or not at all.</summary>
    public StorageSession Begin() => new(Open());

    /// <summary>Begins a read transaction: one consistent snapshot for a view, taking no write lock.</summary>
    public StorageSession BeginRead() => new(Open(), readOnly: true);

    /// <summary>
    /// Applies every embedded migration not yet in the journal, one transaction each. Each transaction is taken with
    /// BEGIN IMMEDIATE (the write lock first) and reads the journal inside it: two processes starting on a new
    /// DataDirectory at once apply each migration exactly once, the second waiting for the first.
    /// </summary>
    public IReadOnlyList<string> Migrate(DateTimeOffset now)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var connection = Open();
        connection.Execute("PRAGMA journal_mode = WAL;");
        var appliedNow = new List<string>();
        foreach (var migration in EmbeddedMigrations())
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            connection.Execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version     INTEGER PRIMARY KEY,
                    name        TEXT NOT NULL,
                    applied_at  TEXT NOT NULL
                )
                """, transaction: transaction);
            var applied = connection.ExecuteScalar<long>(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @Version", new { migration.Version }, transaction);
            if (applied > 0)
            {
                continue;
            }

            connection.Execute(migration.Sql, transaction: transaction);
            connection.Execute(
                """
                INSERT INTO schema_migrations (version, name, applied_at)
                VALUES (@Version, @Name, @AppliedAt)
                """,
                new { migration.Version, migration.Name, AppliedAt = Instants.Format(now) },
                transaction);
            transaction.Commit();
            appliedNow.Add(migration.Name);
        }

        return appliedNow;
    }

    /// <summary>The highest migration this program knows: a database beyond it was written by a newer version.</summary>
    public static long LatestVersion => EmbeddedMigrations().Max(migration => migration.Version);

    private sealed record Migration(long Version, string Name, string Sql);

    private static IEnumerable<Migration> EmbeddedMigrations()
    {
        var assembly = typeof(Database).Assembly;
        const string prefix = "MailIntake.Storage.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name =>
            {
                var fileName = name[prefix.Length..];
                var version = long.Parse(fileName[..fileName.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
                return new Migration(version, fileName, ReadResource(assembly, name));
            })
            .OrderBy(migration => migration.Version);
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"missing embedded migration {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
