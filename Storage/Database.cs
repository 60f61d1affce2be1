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

/// <summary>
/// The database file is there and this process may read it, but not write it or a file SQLite writes beside it
/// (<c>-wal</c>, <c>-shm</c>, the folder that holds them): another user's (root's 0644, a copy put back as root under
/// umask 022). SQLite would open it for reading without a word and fail every write. Not damaged: a chown is all it
/// needs. <see cref="Detail"/> names the file, its owner and mode and who runs (zh-TW).
/// </summary>
public sealed class DatabaseNotWritableException(string file, string detail)
    : IOException($"database file {file} may be read but not written by this user: {detail}")
{
    public string File { get; } = file;

    public string Detail { get; } = detail;
}

/// <summary>
/// The database file is shorter than SQLite's 100-byte header (0 bytes: a failing disk, an interrupted copy,
/// <c>&gt; mailintake.db</c>): a database lost, not a new store. SQLite would write a new empty one into it.
/// </summary>
public sealed class DatabaseEmptyException(string file, long length)
    : IOException($"database file {file} is {length} bytes, shorter than a SQLite header: not a database")
{
    public string File { get; } = file;

    public long Length { get; } = length;
}

/// <summary>
/// The database file a worker opened is no longer at its path: deleted (<c>rm -rf data/*</c>) or replaced by another
/// file (an older copy moved over it) while the worker ran. SQLite would go on writing into the file it holds open,
/// which no other process sees and which is gone when the worker stops. Or (<see cref="OlderCopy"/>) still the same file,
/// but written over by an older copy (<c>cp old.db mailintake.db</c>): its header went back, and with the pages the WAL
/// still holds it is no whole database (h15h K3). An error, not a verdict: nothing is filed, moved or sent until the
/// worker is started again on the database at the path.
/// </summary>
public sealed class DatabaseReplacedException(string file, bool olderCopy = false)
    : IOException(olderCopy
        ? $"database file {file} was written over by an older copy since the worker opened it"
        : $"database file {file} was deleted or replaced since the worker opened it")
{
    public string File { get; } = file;

    /// <summary>The same file written over by an older copy, not deleted or replaced by another file.</summary>
    public bool OlderCopy { get; } = olderCopy;
}

/// <summary>
/// A folder (or another thing that is no file) where SQLite keeps the database's <c>-wal</c> or <c>-shm</c>: a failing
/// file system, a copy tool. SQLite could only say "readonly" or "unable to open"; the database itself is whole and
/// needs no restore, only that folder moved away (h14h G15).
/// </summary>
public sealed class DatabaseSideFileForeignException(string file)
    : IOException($"{file} is a folder where SQLite keeps the database's side file")
{
    public string File { get; } = file;

    /// <summary>The first of the database's <c>-wal</c> and <c>-shm</c> that is a folder, or null.</summary>
    public static DatabaseSideFileForeignException? Find(string databasePath) =>
        new[] { databasePath + "-wal", databasePath + "-shm" }.FirstOrDefault(Directory.Exists) is { } folder
            ? new DatabaseSideFileForeignException(folder)
            : null;
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

    /// <summary>The database file, its <c>-wal</c> or <c>-shm</c>, or its folder may be read but not written by this user.</summary>
    NotWritable,

    /// <summary>The disk is full (less than <see cref="Database.FullBelowBytes"/> free) and no <c>-wal</c> holds commits not yet in the file.</summary>
    DiskFull,
}

/// <summary>The SQLite database file: opens connections and applies the numbered migrations.</summary>
public sealed class Database
{
    private readonly string _connectionString;

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
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = !readOnly ? Path
                : File.Exists(Path + "-wal") ? Path
                : $"{new Uri(Path).AbsoluteUri}?immutable=1",
            // Never created by opening: only Migrate makes a new database (whole, see CreateIfMissing). A file gone from
            // under a running process is an error, not a new empty database.
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
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

        if (File.Exists(path) && WhyNoWrite(path) is not null)
        {
            return DatabaseAccess.NotWritable;
        }

        return File.Exists(path) && !File.Exists(path + "-wal") && FreeBytes(folder) < FullBelowBytes ? DatabaseAccess.DiskFull : DatabaseAccess.ReadWrite;
    }

    /// <summary>SQLite's file header is 100 bytes: a database file shorter than that is no database.</summary>
    public const int HeaderBytes = 100;

    /// <summary>
    /// Throws <see cref="DatabaseEmptyException"/> when the database file at <paramref name="path"/> is there but shorter
    /// than SQLite's header and no <c>-wal</c> holds its pages: a database lost, never to be set up as a new store.
    /// </summary>
    public static void RefuseEmpty(string path)
    {
        var file = new FileInfo(System.IO.Path.GetFullPath(path));
        // Measured where SQLite opens it: a link's own length says nothing of the database it leads to.
        var measured = file.LinkTarget is not null && file.ResolveLinkTarget(returnFinalTarget: true) is FileInfo { Exists: true } target ? target : file;
        if (file.Exists && measured.Length < HeaderBytes && !(new FileInfo(file.FullName + "-wal") is { Exists: true, Length: > 0 }))
        {
            throw new DatabaseEmptyException(file.FullName, measured.Length);
        }
    }

    /// <summary>
    /// Why this process may not write the database at <paramref name="path"/>: the first of the file, its <c>-wal</c> and
    /// <c>-shm</c> (where present) and its folder it may not write, as the file, its owner and mode and who runs (zh-TW);
    /// null when it may write them all. Access is asked of the kernel as this user (access(2)), so root is never refused.
    /// </summary>
    public static (string File, string Detail)? WhyNoWrite(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (UnixFiles.WhyNoAccess(full, write: false) is not null || UnixFiles.WhyNoAccess(full + "-wal", write: false) is not null)
        {
            return null; // not even readable: DatabaseUnreadableException names it when it is opened (h11x F5)
        }

        foreach (var file in new[] { full, full + "-wal", full + "-shm", System.IO.Path.GetDirectoryName(full)! })
        {
            if (UnixFiles.WhyNoWriteAccess(file) is { } detail)
            {
                return (file, detail);
            }
        }

        return null;
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
        DatabaseAccess.NotWritable when WhyNoWrite(Path) is { } refused => new DatabaseNotWritableException(refused.File, refused.Detail),
        // Chowned since it was opened: SQLite would fail the write saying only "readonly database".
        DatabaseAccess.ReadWrite when WhyNoWrite(Path) is { } refused => new DatabaseNotWritableException(refused.File, refused.Detail),
        // Full since it was opened: a write would fail half-way on SQLite's -wal or the next file.
        _ when Directory.Exists(Folder) && FreeBytes(Folder) < FullBelowBytes => new DiskFullException(Folder),
        _ => null,
    };

    /// <summary>The database file's identity (device, inode) noted by <see cref="Pin"/>; null until then.</summary>
    private (ulong Device, ulong Inode)? _pinned;

    /// <summary>The database file's identity (device, inode) noted by <see cref="Pin"/>; null until then.</summary>
    public (ulong Device, ulong Inode)? Pinned => _pinned;

    /// <summary>
    /// The pinned file, held open for reading its header for as long as the process runs. Never closed: closing any
    /// descriptor of a file drops every POSIX lock this process holds on it, SQLite's included.
    /// </summary>
    private Microsoft.Win32.SafeHandles.SafeFileHandle? _pinnedFile;

    /// <summary>Descriptors of files pinned before, kept from being finalized (closed) for the life of the process.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentBag<Microsoft.Win32.SafeHandles.SafeFileHandle> Held = [];

    /// <summary>How far the pinned file has come (its header), the furthest seen; guarded by <see cref="_gate"/>.</summary>
    private DatabaseHeaderMark _reached;

    /// <summary>The pinned file was once seen behind <see cref="_reached"/>: an older copy, for good (a later checkpoint
    /// writing newer pages into it does not make it whole again).</summary>
    private bool _wentBack;

    private readonly Lock _gate = new();

    /// <summary>Told how far the pinned file has come whenever that changes (<see cref="Pin"/>).</summary>
    private Action<DatabaseHeaderMark>? _onReached;

    /// <summary>
    /// Notes which file the path names now (the worker, once it has locked its DataDirectory): from then on every
    /// connection checks that the path still names it (<see cref="ThrowIfReplaced"/>). A file deleted or replaced under
    /// a running worker is never written into: its writes would vanish when the worker stops. And how far that file has
    /// come (<see cref="DatabaseHeaderMark"/>), noted again whenever a connection is opened or closed (a commit may have
    /// checkpointed): a file that goes back was written over by an older copy (h15h K3).
    /// </summary>
    /// <remarks><paramref name="reached"/> is told how far the file has come at the pin and each time that changes (the
    /// worker keeps it for commands run beside it: <see cref="WorkerDatabaseMark"/>); it is called under a lock, in order.</remarks>
    public void Pin(Action<DatabaseHeaderMark>? reached = null)
    {
        _pinned = UnixFiles.Identity(Path);
        _onReached = reached;
        if (_pinnedFile is not null)
        {
            // Pinned again: the descriptor held before stays open (and referenced) for the same reason.
            Held.Add(_pinnedFile);
        }

        _pinnedFile = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        lock (_gate)
        {
            _reached = DatabaseHeaderMark.Read(_pinnedFile);
            _onReached?.Invoke(_reached);
        }

        using var connection = Open();
        _generation = connection.ExecuteScalar<long>("PRAGMA user_version");
    }

    /// <summary>Whether the path still names the file noted by <see cref="Pin"/> as it was left (true when nothing was pinned).</summary>
    public bool StillPinned => WhyNotPinned() is null;

    /// <summary>
    /// Why the path no longer names the file noted by <see cref="Pin"/> as this process left it: deleted or replaced, or
    /// written over by an older copy (<see cref="DatabaseReplacedException.OlderCopy"/>); null while it does (or nothing
    /// was pinned).
    /// </summary>
    public DatabaseReplacedException? WhyNotPinned()
    {
        if (_pinned is not { } pinned)
        {
            return null;
        }

        if (UnixFiles.Identity(Path) != pinned)
        {
            return new DatabaseReplacedException(Path);
        }

        return NoteHeader() ? null : new DatabaseReplacedException(Path, olderCopy: true);
    }

    /// <summary>
    /// Reads the pinned file's header: false when it went back (for good), otherwise notes how far it has come.
    /// One read of 100 bytes of a file SQLite keeps in the page cache anyway: no query.
    /// </summary>
    private bool NoteHeader()
    {
        if (_pinnedFile is null)
        {
            return true;
        }

        var mark = DatabaseHeaderMark.Read(_pinnedFile);
        lock (_gate)
        {
            if (!_wentBack && mark.IsBehind(_reached))
            {
                _wentBack = true;
            }

            if (!_wentBack && mark != _reached)
            {
                _reached = mark;
                _onReached?.Invoke(mark);
            }

            return !_wentBack;
        }
    }

    /// <summary>
    /// Throws when the path no longer names the pinned file: <see cref="DataDirectoryGoneException"/> when the whole
    /// DataDirectory is gone, otherwise <see cref="DatabaseReplacedException"/>.
    /// </summary>
    public void ThrowIfReplaced()
    {
        if (WhyNotPinned() is { } why)
        {
            DataDirectoryGoneException.ThrowIfGone(Folder);
            throw why;
        }
    }

    public SqliteConnection Open()
    {
        // Every connection, read or write, pooled or new: a deleted or replaced file is never used again.
        ThrowIfReplaced();
        if (DatabaseSideFileForeignException.Find(Path) is { } foreign)
        {
            throw foreign;
        }

        var connection = new SqliteConnection(_connectionString);
        if (_pinnedFile is not null)
        {
            // A commit may have checkpointed: how far the file has come is noted as each connection goes back to the pool,
            // so a copy taken before it and put back at once is seen as behind (h15h K3).
            connection.StateChange += (_, change) =>
            {
                if (change.CurrentState == System.Data.ConnectionState.Closed)
                {
                    _ = NoteHeader();
                }
            };
        }

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
        catch (SqliteException exception) when ((exception.SqliteErrorCode & 0xFF) is CantOpen && DataDirectoryGoneException.IsGone(Folder))
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
        catch (SqliteException exception) when ((exception.SqliteErrorCode & 0xFF) is CantOpen or ReadOnlyDatabase && !ReadOnly && WhyNoWrite(Path) is { } refused)
        {
            connection.Dispose();
            throw new DatabaseNotWritableException(refused.File, refused.Detail);
        }
    }

    private const int ReadOnlyDatabase = 8; // SQLITE_READONLY
    private const int CantOpen = 14; // SQLITE_CANTOPEN

    /// <summary>The first of the database's files (itself, <c>-wal</c>, <c>-shm</c>) this process may not open as it must.</summary>
    private (string File, string Detail)? WhyNoAccess()
    {
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            // A WAL database is read through its -shm, which a reader writes too (unless read as immutable). What may be
            // read but not written is told apart (WhyNoWrite): nothing is unreadable there.
            if (UnixFiles.WhyNoAccess(file, write: file.EndsWith("-shm", StringComparison.Ordinal)) is { } detail)
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
    public StorageSession Begin() => WhyNotWritable() is { } refused ? throw refused : new(Open(), beforeCommit: _pinnedFile is null ? null : Advance);

    /// <summary>
    /// The worker's generation mark, SQLite's <c>user_version</c> in the file header (page 1): advanced by every use case
    /// session (<see cref="Begin"/>) and every mail marked sent of the process that pinned the database (<see cref="Pin"/>),
    /// so every checkpoint that writes any of those into the file writes a newer mark too. A file whose mark goes back was written over by an older
    /// copy (h15h K3). SQLite's own change counter does not move in WAL mode; the page count only when the file grows.
    /// </summary>
    private long _generation;

    /// <summary>Advances the generation mark inside <paramref name="transaction"/>: one small statement, page 1 one more page in the commit.</summary>
    public void Advance(SqliteConnection connection, SqliteTransaction transaction)
    {
        if (_pinnedFile is null)
        {
            return;
        }

        // A PRAGMA takes no parameter; the value is this process's own counter (BEGIN IMMEDIATE orders the writers).
        var next = Interlocked.Increment(ref _generation) & int.MaxValue;
        connection.Execute(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"PRAGMA user_version = {next}"), transaction: transaction);
    }

    /// <summary>Begins a read transaction: one consistent snapshot for a view, taking no write lock.</summary>
    public StorageSession BeginRead() => new(Open(), readOnly: true);

    /// <summary>
    /// Applies every embedded migration not yet in the journal, one transaction each. Each transaction is taken with
    /// BEGIN IMMEDIATE (the write lock first) and reads the journal inside it: two processes starting on a new
    /// DataDirectory at once apply each migration exactly once, the second waiting for the first.
    /// </summary>
    public IReadOnlyList<string> Migrate(DateTimeOffset now) => Migrate(now, through: long.MaxValue);

    /// <summary>
    /// Applies the embedded migrations up to version <paramref name="through"/> only: a store as an older version left it,
    /// for the tests that upgrade one holding data written before a migration.
    /// </summary>
    internal IReadOnlyList<string> Migrate(DateTimeOffset now, long through)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        CreateIfMissing();
        using var connection = Open();
        connection.Execute("PRAGMA journal_mode = WAL;");
        var appliedNow = new List<string>();
        foreach (var migration in EmbeddedMigrations().Where(migration => migration.Version <= through))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            connection.Execute(JournalTable, transaction: transaction);
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

    private const string JournalTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     INTEGER PRIMARY KEY,
            name        TEXT NOT NULL,
            applied_at  TEXT NOT NULL
        )
        """;

    /// <summary>
    /// Makes a new database whole under a temporary name (its journal table written, so it is more than a header) and
    /// moves it into place only if there is still none: no process ever finds a database file shorter than its header,
    /// which every command refuses as a database lost (h11y N9), however many first commands start at once.
    /// </summary>
    private void CreateIfMissing()
    {
        if (File.Exists(Path))
        {
            return;
        }

        var temporary = $"{Path}.new-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder
                   {
                       DataSource = temporary,
                       Mode = SqliteOpenMode.ReadWriteCreate,
                       Pooling = false,
                   }.ToString()))
            {
                connection.Open();
                connection.Execute("PRAGMA synchronous = FULL;");
                connection.Execute(JournalTable);
            }

            File.Move(temporary, Path, overwrite: false);
        }
        catch (IOException) when (File.Exists(Path))
        {
            // Another process made it first: that one is used, this one removed (finally).
            File.Delete(temporary);
        }
        finally
        {
            File.Delete(temporary);
            File.Delete(temporary + "-journal");
        }
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
