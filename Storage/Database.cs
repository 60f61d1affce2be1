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

/// <summary>
/// A command that uses an existing store found none: the DataDirectory does not exist (<see cref="FolderMissing"/>: a typo,
/// a disk that failed to mount) or holds no database (an empty mount point). Nothing is created there.
/// </summary>
public sealed class StoreNotFoundException(string dataDirectory, bool folderMissing)
    : IOException($"DataDirectory {dataDirectory} {(folderMissing ? "does not exist" : "holds no database")}")
{
    public string DataDirectory { get; } = dataDirectory;

    public bool FolderMissing { get; } = folderMissing;
}

/// <summary>
/// The database file (or its <c>-wal</c> or <c>-shm</c>) is there but this process may not open it: another user's (a copy
/// put back as root), or a mode that keeps this user out. Not damaged: a restore would throw away everything since the
/// backup, when a chown is all it needs. <see cref="Detail"/> names the file, its owner and mode and who runs (zh-TW).
/// </summary>
public sealed class DatabaseUnreadableException(string file, string detail, Exception? inner = null)
    : IOException($"database file {file} may not be opened by this user: {detail}", inner)
{
    public string File { get; } = file;

    public string Detail { get; } = detail;
}

/// <summary>A DataDirectory a restore into did not finish (its leftover <c>.restore-…</c> folder): no command may use it.</summary>
public sealed class RestoreUnfinishedException(string dataDirectory, string leftover)
    : IOException($"DataDirectory {dataDirectory}: a restore into it did not finish ({leftover})")
{
    public string DataDirectory { get; } = dataDirectory;

    public string Leftover { get; } = leftover;
}

/// <summary>How the database can be used, from its disk: written, or only read because nothing can be written there.</summary>
public enum DatabaseAccess
{
    ReadWrite,

    /// <summary>The file system is mounted read-only (ext4's <c>errors=remount-ro</c> after a disk error).</summary>
    ReadOnlyFileSystem,

    /// <summary>The disk is full (less than <see cref="Database.FullBelowBytes"/> free) and no <c>-wal</c> holds commits not yet in the file.</summary>
    DiskFull,
}

/// <summary>The SQLite database file: opens connections and applies the numbered migrations.</summary>
public sealed class Database
{
    private readonly string _connectionString;
    private readonly string _creatingConnectionString;

    /// <summary>Less free than this and the disk is full: SQLite's <c>-shm</c> alone takes 32 KB, a mail and its WAL pages more.</summary>
    public const long FullBelowBytes = 1024 * 1024;

    /// <summary>
    /// <paramref name="access"/> other than <see cref="DatabaseAccess.ReadWrite"/>: nothing can be written beside the
    /// database, so it is opened for reading only — staff can still see their mail and an admin can still take a
    /// backup to another disk — and a write transaction is refused naming why. SQLite must write a <c>-shm</c> beside a
    /// WAL database even to read it; where that cannot be and no <c>-wal</c> holds commits not yet in the file, the file
    /// is read as immutable (nothing can change it: nothing can be written there).
    /// </summary>
    public Database(string path, DatabaseAccess access = DatabaseAccess.ReadWrite)
    {
        Path = System.IO.Path.GetFullPath(path);
        Access = access;
        var readOnly = access != DatabaseAccess.ReadWrite;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = !readOnly ? Path
                : File.Exists(Path + "-wal") ? Path
                : $"{new Uri(Path).AbsoluteUri}?immutable=1",
            // Only the migrations create the file: a connection opened later, after the DataDirectory was moved away
            // or its database taken, must fail rather than make an empty database at the old path.
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = 30,
        };
        _connectionString = builder.ToString();
        builder.Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate;
        _creatingConnectionString = builder.ToString();
    }

    /// <summary>
    /// How a database at <paramref name="path"/> can be used now: only read when its file system is read-only, or its
    /// disk is full and no <c>-wal</c> is waiting to be checkpointed (with one, reading needs the disk too).
    /// </summary>
    public static DatabaseAccess AccessFor(string path)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
        {
            return DatabaseAccess.ReadWrite;
        }

        if (UnixFiles.IsOnReadOnlyFileSystem(folder))
        {
            return DatabaseAccess.ReadOnlyFileSystem;
        }

        return File.Exists(path) && !File.Exists(path + "-wal") && FreeBytes(folder) < FullBelowBytes ? DatabaseAccess.DiskFull : DatabaseAccess.ReadWrite;
    }

    public string Path { get; }

    public DatabaseAccess Access { get; }

    /// <summary>Opened for reading only (<see cref="Access"/> says why).</summary>
    public bool ReadOnly => Access != DatabaseAccess.ReadWrite;

    /// <summary>The folder that holds the database (the DataDirectory).</summary>
    public string Folder => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary>The bytes this process may still write on the database's disk.</summary>
    public static long FreeBytes(string folder) => new DriveInfo(folder).AvailableFreeSpace;

    /// <summary>
    /// Why nothing can be written, as the exception a writer gets: <see cref="DataDirectoryReadOnlyException"/> or
    /// <see cref="DiskFullException"/>; null when the database can be written.
    /// </summary>
    public IOException? WhyNotWritable() => Access switch
    {
        DatabaseAccess.ReadOnlyFileSystem => new DataDirectoryReadOnlyException(Folder),
        DatabaseAccess.DiskFull => new DiskFullException(Folder),
        // Full since it was opened: a write would fail half-way on SQLite's -wal or the next file.
        _ when Directory.Exists(Folder) && FreeBytes(Folder) < FullBelowBytes => new DiskFullException(Folder),
        _ => null,
    };

    public SqliteConnection Open() => Open(_connectionString);

    private SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            // busy_timeout lets a CLI command and the running worker share the file without "database is locked".
            // synchronous FULL: a commit returns only once the WAL is on the disk, so a power loss never takes back a commit
            // (README, the durability model: the mailbox checkpoint and a drop-folder move rely on it).
            connection.Execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL;");
            // The first read maps the WAL index (-shm): on a full disk that fails here, where it can be named as such.
            _ = connection.ExecuteScalar<long>("PRAGMA schema_version");
            return connection;
        }
        catch (SqliteException exception) when (IsDiskFull(exception))
        {
            connection.Dispose();
            throw new DiskFullException(Folder, exception);
        }
        catch (SqliteException exception) when ((exception.SqliteErrorCode & 0xFF) is CantOpen && !Directory.Exists(Folder))
        {
            connection.Dispose();
            throw new DataDirectoryGoneException(Folder, exception);
        }
        catch (SqliteException exception) when ((exception.SqliteErrorCode & 0xFF) is CantOpen or ReadOnlyDatabase && WhyNoAccess() is { } refused)
        {
            // "unable to open database file" for a file that is only another user's: named as such, never as damage.
            connection.Dispose();
            throw new DatabaseUnreadableException(refused.File, refused.Detail, exception);
        }
    }

    private const int ReadOnlyDatabase = 8; // SQLITE_READONLY
    private const int CantOpen = 14; // SQLITE_CANTOPEN

    /// <summary>The first of the database's files (itself, <c>-wal</c>, <c>-shm</c>) this process may not open as it must.</summary>
    private (string File, string Detail)? WhyNoAccess()
    {
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            // A WAL database is read through its -shm, which a reader writes too (unless read as immutable).
            if (UnixFiles.WhyNoAccess(file, write: !ReadOnly || file.EndsWith("-shm", StringComparison.Ordinal)) is { } detail)
            {
                return (file, detail);
            }
        }

        return null;
    }

    /// <summary>
    /// An I/O error or SQLITE_FULL while the disk has no room: a full disk (SQLite could not grow its <c>-shm</c> or
    /// <c>-wal</c>), not a damaged database.
    /// </summary>
    public bool IsDiskFull(SqliteException exception) =>
        (exception.SqliteErrorCode & 0xFF) is 10 or 13 && Directory.Exists(Folder) && FreeBytes(Folder) < FullBelowBytes;

    /// <summary>Begins one write transaction for a use case: everything it writes commits together or not at all.</summary>
    public StorageSession Begin() => WhyNotWritable() is { } refused ? throw refused : new(Open());

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
        using var connection = Open(_creatingConnectionString);
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
