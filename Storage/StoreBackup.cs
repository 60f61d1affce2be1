using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;

namespace MailIntake.Storage;

/// <summary>
/// What a backup holds (files actually copied) and what it found wrong while copying: a file missing, altered (its
/// SHA-256 or size no longer those recorded), unreadable, or not a regular file. A backup with problems is not a clean one.
/// </summary>
public sealed record BackupSummary(int Mails, int RawFiles, int EvidenceFiles, int OutboundFiles, int OtherFiles, long Bytes, IReadOnlyList<StoreProblem> Problems, int LeftoversCleared = 0)
{
    /// <summary>Files killed backups left that this user may not remove (another user's, in a folder with the sticky bit).</summary>
    public IReadOnlyList<string> LeftoversKept { get; init; } = [];

    /// <summary>
    /// Raw mail files in the store its database snapshot does not record and no writer can still be recording (verify's
    /// 原始郵件未登錄), copied too: restored, <c>store repair</c> records them.
    /// </summary>
    public int UnrecordedRawFiles { get; init; }

    /// <summary>
    /// Unrecorded raw mail files left out as in flight: written within <see cref="StoreVerifier.InFlightWindow"/> while a
    /// worker or a repair held the store (their rows may commit just after the snapshot; the next backup has them).
    /// </summary>
    public int InFlightRawFiles { get; init; }

    public bool Clean => Problems.Count == 0;
}

/// <summary>What a restore put in place: files restored, and of them the raw mails the backup found unrecorded (for store repair).</summary>
public sealed record RestoreSummary(int Files, int UnrecordedRawFiles)
{
    /// <summary>Unrecorded raw files whose time the backup's list does not give readably: they are dated by the restore.</summary>
    public int UndatedRawFiles { get; init; }
}

/// <summary>Why a restore refused a backup; nothing was left in the target.</summary>
public enum RestoreRefusal
{
    TargetIsFile,
    TargetNotEmpty,
    NotABackup,
    UnexpectedEntry,
    EntryDamaged,
    DatabaseDamaged,
    NewerVersion,
    /// <summary>A raw or evidence entry whose bytes are not the SHA-256 its name says (swapped or planted content).</summary>
    EntryAltered,
    /// <summary>Entries the backup's own database names nowhere (a backup writes only files its snapshot names).</summary>
    EntryNotRecorded,
    /// <summary>The database names a file outside the store's own places (<c>..</c>, an absolute path): never followed.</summary>
    ForeignPath,
}

/// <summary>A restore refused, with what it refused (an entry, a path, a schema version); the target was left as it was.</summary>
public sealed class RestoreRefusedException(RestoreRefusal refusal, string subject, string? detail = null)
    : Exception($"restore refused: {refusal} {subject} {detail}")
{
    public RestoreRefusal Refusal { get; } = refusal;

    public string Subject { get; } = subject;

    public string? Detail { get; } = detail;
}

/// <summary>
/// <c>backup FILE</c> and <c>restore FILE --to DIR</c>: one zip of a consistent snapshot, safe while the worker runs.
/// The database is copied by SQLite itself (VACUUM INTO, a read transaction: one moment, whatever the worker writes
/// meanwhile); then exactly the raw, evidence and outbox files that snapshot refers to, each checked while it is copied
/// against the SHA-256 and size its row records: a disk that damaged one after it was written is reported, never
/// passed off as a clean backup. Only regular files are opened (a FIFO would block a backup for ever).
/// A restore unpacks into a temporary folder beside the target, checks every entry's name and CRC-32 and the database,
/// and only then renames the whole folder into place: a restore that fails or is refused leaves nothing behind, and of
/// two restores into one target exactly one succeeds.
/// </summary>
public static partial class StoreBackup
{
    private const string DatabaseEntry = "mailintake.db";

    /// <summary>
    /// The mark (a <c>sweep_marks</c> row) a restore leaves in the restored database: the drop folder's first pass then
    /// reads again the <c>processed/</c> files whose raw mail the restored store lacks (received after the backup), and
    /// removes it.
    /// </summary>
    public const string RereadDropFolderMark = "restore:reread-drop-folder-processed";

    /// <summary>
    /// Beside <see cref="RereadDropFolderMark"/>, a second row whose key ends with the highest mail id the restored store
    /// held at the restore (a key, so that a backup of any schema can carry it): which mails came from the backup.
    /// </summary>
    public const string RereadUpToMailPrefix = "restore:reread-drop-folder-processed:up-to-mail:";

    /// <summary>
    /// A <c>sweep_marks</c> row whose key ends with the full path of the drop folder the store was last fed from (written
    /// by a pass that took a new mail, so a backup carries it): after a restore, a pass over another folder — a copy of
    /// it — cannot spend <see cref="RereadDropFolderMark"/> while that one is there.
    /// </summary>
    public const string DropFolderFedFromPrefix = "drop-folder:fed-from:";

    /// <summary>
    /// A <c>sweep_marks</c> row whose key ends with the store's own id (random, made by migration 0039 or by the first pass
    /// that finds none): a backup carries it, so a restored store is the same store and goes on reading the drop folder
    /// this one claimed.
    /// </summary>
    public const string StoreIdPrefix = "store:id:";

    /// <summary>
    /// Beside <see cref="RereadDropFolderMark"/>, a row whose key ends with the newest moment the restored store's timeline
    /// recorded (a notice issued, a round): a mail it lacks came after that, whatever a <c>processed/</c> file's time says —
    /// the bound where the backup held no mail to bound it by (h32h R7).
    /// </summary>
    public const string RereadNotBeforePrefix = "restore:reread-drop-folder-processed:not-before:";

    /// <summary>The moment kept by <see cref="RereadNotBeforePrefix"/>; null without one.</summary>
    public static DateTimeOffset? RereadNotBefore(IEnumerable<string> keys) =>
        keys.Where(key => key.StartsWith(RereadNotBeforePrefix, StringComparison.Ordinal))
            .Select(key => Instants.ParseOrNull(key[RereadNotBeforePrefix.Length..]))
            .Max();

    /// <summary>The highest mail id the restored store held at the restore, as its mark row keeps it; null for a mark without one.</summary>
    public static long? RereadUpToMail(IEnumerable<string> keys) =>
        keys.Where(key => key.StartsWith(RereadUpToMailPrefix, StringComparison.Ordinal))
            .Select(key => long.TryParse(key[RereadUpToMailPrefix.Length..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : (long?)null)
            .Min();

    /// <summary>The list of entries a backup copied as found, knowing them damaged (one path a line).</summary>
    private const string DamagedEntry = "damaged-entries.txt";

    /// <summary>
    /// The raw mail files a backup found in the store though its database snapshot does not record them (one a line: the
    /// path, a tab, the file's time): restore accepts exactly these raw entries beside those the database names, and gives
    /// them their time back (store repair dates a mail it records by it).
    /// </summary>
    private const string UnrecordedEntry = "unrecorded-raw.txt";

    public static async Task<BackupSummary> CreateAsync(
        Database database, string dataDirectory, string backupFile, IReadOnlyList<string> keptBeside, CancellationToken cancellationToken)
    {
        using var held = BackupFileLock.Take(backupFile);
        // Beside FILE, not in the DataDirectory: a backup is taken to another disk exactly when the DataDirectory's is
        // full or read-only, and the snapshot is as large as the database.
        var snapshot = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(backupFile))!, $".{Path.GetFileName(backupFile)}.{Guid.NewGuid():N}.db.tmp");
        try
        {
            // The raw files on disk are listed before the snapshot, then whether a writer (run, run --once, store repair:
            // the holders of the DataDirectory lock, the only processes that write raw mail) holds the store. None does:
            // every file listed was written by a process that has ended, so its row is in the snapshot or never will be.
            // One does: a file it wrote within verify's in-flight window may get its row just after the snapshot, and is
            // left out as verify passes it over; an older one is not in flight.
            var onDisk = RawFilesOnDisk(dataDirectory);
            var writerSince = DataDirectoryLock.WriterRunningSince(dataDirectory);
            var listedAt = TimeProvider.System.GetUtcNow().UtcDateTime;
            using (var connection = database.Open())
            {
                try
                {
                    connection.Execute("VACUUM INTO @snapshot", new { snapshot });
                }
                catch (SqliteException exception) when (exception.SqliteErrorCode == 13)
                {
                    // SQLITE_FULL while writing the copy: the disk that lacks room is the backup's, not the database's.
                    throw new IOException($"No space left on device : '{snapshot}'", exception) { HResult = 28 };
                }
            }

            List<(long Id, string RawPath, string Sha256, long Size, long Dismissed)> raw;
            List<(long MailId, string Sha256, long Size)> evidence;
            List<(string MimePath, string Status)> outbound;
            int mails;
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = snapshot, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
            {
                connection.Open();
                mails = connection.ExecuteScalar<int>("SELECT COUNT(*) FROM mails");
                raw = connection.Query<(long, string, string, long, long)>(
                    "SELECT id, raw_path, sha256, size, CASE WHEN kind = 'damaged' AND dismissed_at IS NOT NULL THEN 1 ELSE 0 END FROM mails ORDER BY id").ToList();
                evidence = connection.Query<(long, string, long)>(
                    "SELECT mail_id, sha256, size FROM evidence WHERE (',' || flags || ',') NOT LIKE '%,not-stored,%' ORDER BY mail_id, ordinal").ToList();
                outbound = connection.Query<(string, string)>("SELECT mime_path, status FROM outbound ORDER BY id").ToList();
            }

            var problems = new List<StoreProblem>();
            // A store folder moved to another disk and linked back (h14h G4): named once, as verify names it, and never
            // followed — what is behind it is not carried, and not called missing or damaged either.
            var linked = StoreFolderLinkedException.AllTop(dataDirectory).ToList();
            problems.AddRange(linked.Select(link => new StoreProblem(StoreProblemKind.Foreign, Path.GetFileName(link.Link), null, link.Text)));
            var linkedFolders = linked.Select(link => Path.GetFileName(link.Link)).ToHashSet(StringComparer.Ordinal);
            bool BehindLink(string relativePath) => linkedFolders.Contains(Normal(relativePath).Split('/')[0]);
            var acknowledged = new List<StoreProblem>();
            var copied = new Dictionary<string, int>(StringComparer.Ordinal);
            var unrecordedDamaged = new List<string>();
            List<(string Path, DateTime Written)> unrecordedKept = [];
            var inFlight = 0;
            long bytes = 0;
            await DurableFile.WriteAsync(backupFile, async (stream, token) =>
            {
                using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
                bytes += await AddAsync(zip, snapshot, DatabaseEntry, token) ?? 0;
                var seenRaw = new HashSet<string>(StringComparer.Ordinal);
                foreach (var mail in raw.Where(mail => seenRaw.Add(mail.RawPath)))
                {
                    if (BehindLink(mail.RawPath) && StoreVerifier.OwnRawPath(mail.RawPath, mail.Sha256) is not null)
                    {
                        continue;
                    }

                    if (StoreVerifier.OwnRawPath(mail.RawPath, mail.Sha256) is null)
                    {
                        // Never followed: a tampered row must not carry a file from outside the store into the backup.
                        problems.Add(new StoreProblem(StoreProblemKind.Database, DatabaseEntry, mail.Id, StoreVerifier.NotOwnRawPath(mail.Id, mail.RawPath)));
                        continue;
                    }

                    // A damaged mail staff dismissed is a known loss (as in store verify): copied if found, never a problem.
                    bytes += await CopyCheckedAsync(zip, dataDirectory, mail.RawPath, mail.Sha256, mail.Size, mail.Id,
                        StoreProblemKind.RawMissing, StoreProblemKind.RawDamaged, mail.Dismissed != 0 ? acknowledged : problems, copied, "raw", token);
                }

                var recordedRaw = raw.Select(mail => Normal(mail.RawPath)).ToHashSet(StringComparer.Ordinal);
                var unrecorded = onDisk.Files.Where(file => !recordedRaw.Contains(file.Path)).ToList();
                var carried = unrecorded.Where(file => writerSince is not { } since || !StoreVerifier.WrittenWithinInFlightWindow(file.Written, listedAt, since)).ToList();
                inFlight = unrecorded.Count - carried.Count;
                (unrecordedKept, var unrecordedBytes) = await CopyUnrecordedRawAsync(zip, dataDirectory, carried, problems, unrecordedDamaged, token);
                bytes += unrecordedBytes;
                foreach (var (folder, exception) in onDisk.Unlistable.Where(folder => !problems.Any(problem => problem.Path.StartsWith(folder.Path + "/", StringComparison.Ordinal))))
                {
                    // A folder this user may not list: its recorded mails are named unreadable by the pass over the rows; one
                    // holding none of them is named here, since mails nobody recorded may be in it.
                    problems.Add(new StoreProblem(StoreProblemKind.Unreadable, folder, null, StoreVerifier.UnreadableDetail(Path.Combine(dataDirectory, folder), exception)));
                }

                var seenEvidence = new HashSet<string>(StringComparer.Ordinal);
                foreach (var file in evidence.Where(file => StoreVerifier.IsSha256(file.Sha256) && seenEvidence.Add(file.Sha256) && !BehindLink(StoreVerifier.EvidencePath(file.Sha256))))
                {
                    bytes += await CopyCheckedAsync(zip, dataDirectory, StoreVerifier.EvidencePath(file.Sha256), file.Sha256, file.Size, file.MailId,
                        StoreProblemKind.EvidenceMissing, StoreProblemKind.EvidenceDamaged, problems, copied, "evidence", token);
                }

                foreach (var mail in outbound.DistinctBy(mail => mail.MimePath).Where(mail => !BehindLink(mail.MimePath)))
                {
                    if (!IsOutboxPath(mail.MimePath))
                    {
                        problems.Add(new StoreProblem(StoreProblemKind.Database, DatabaseEntry, null, $"寄件記載之郵件檔「{mail.MimePath}」不是本系統存放寄件之位置（outbound/），未讀取"));
                        continue;
                    }

                    // A sent mail's message file may be cleared; a queued one's must be there.
                    var added = await AddIfRegularAsync(zip, dataDirectory, mail.MimePath, problems, mailId: null, token);
                    if (added is { } size)
                    {
                        bytes += size;
                        Count(copied, "outbound");
                    }
                    else if (mail.Status == "queued" && !problems.Any(problem => problem.Path == Normal(mail.MimePath)))
                    {
                        problems.Add(new StoreProblem(StoreProblemKind.OutboundMissing, Normal(mail.MimePath), null, "a queued mail's message file is gone"));
                    }
                }

                foreach (var name in keptBeside)
                {
                    if (await AddIfRegularAsync(zip, dataDirectory, name, problems, mailId: null, token) is { } size)
                    {
                        bytes += size;
                        Count(copied, "other");
                    }
                }

                // The raw and evidence files copied as found though they no longer hold their recorded bytes, declared
                // as such: restore leaves exactly these out (their mails are then damaged, as before the backup) and
                // restores everything else, instead of refusing the whole archive as tampered.
                var damaged = problems.Concat(acknowledged).Where(problem => problem.Kind is StoreProblemKind.RawDamaged or StoreProblemKind.EvidenceDamaged)
                    .Select(problem => problem.Path).Distinct(StringComparer.Ordinal).ToList();
                if (damaged.Count > 0)
                {
                    await using var manifest = zip.CreateEntry(DamagedEntry, CompressionLevel.Optimal).Open();
                    await manifest.WriteAsync(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', damaged) + "\n"), token);
                }

                // Every unrecorded raw entry, the damaged ones too: restore leaves those out, but must know them for the
                // backup's own (not planted) entries.
                var unrecordedLines = unrecordedKept
                    .Select(file => $"{file.Path}\t{file.Written.ToString("O", System.Globalization.CultureInfo.InvariantCulture)}")
                    .Concat(unrecordedDamaged).ToList();
                if (unrecordedLines.Count > 0)
                {
                    await using var manifest = zip.CreateEntry(UnrecordedEntry, CompressionLevel.Optimal).Open();
                    await manifest.WriteAsync(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', unrecordedLines) + "\n"), token);
                }
            }, cancellationToken);
            return new BackupSummary(mails, copied.GetValueOrDefault("raw"), copied.GetValueOrDefault("evidence"), copied.GetValueOrDefault("outbound"),
                copied.GetValueOrDefault("other"), bytes, problems, held.LeftoversCleared)
            {
                LeftoversKept = held.LeftoversKept, UnrecordedRawFiles = unrecordedKept.Count, InFlightRawFiles = inFlight,
            };
        }
        finally
        {
            File.Delete(snapshot);
            File.Delete(snapshot + "-journal");
        }
    }

    /// <summary>
    /// Unpacks a backup into <paramref name="target"/>, which must be empty or not exist yet. Everything is unpacked and
    /// checked in a temporary folder beside it first; the target appears, whole, only at the end.
    /// </summary>
    public static async Task<RestoreSummary> RestoreAsync(
        string backupFile, string target, IReadOnlyList<string> keptBeside, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        await using var input = File.OpenRead(backupFile);
        return await RestoreAsync(input, backupFile, target, keptBeside, cancellationToken, time);
    }

    /// <summary>
    /// As <see cref="RestoreAsync(string, string, IReadOnlyList{string}, CancellationToken)"/>, from a backup already open
    /// (opened by root before the restore acts as the store's owner, who may not read root's backup file). The restore's
    /// mark is dated by <paramref name="time"/> (the system clock when not given).
    /// </summary>
    public static async Task<RestoreSummary> RestoreAsync(
        Stream input, string backupFile, string target, IReadOnlyList<string> keptBeside, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        var root = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
        RefuseOccupied(root, keptBeside);

        ZipArchive zip;
        try
        {
            zip = new ZipArchive(input, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException exception)
        {
            throw new RestoreRefusedException(RestoreRefusal.NotABackup, backupFile, exception.Message);
        }

        using (zip)
        {
            var entries = zip.Entries.ToList();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (!IsBackupEntry(entry.FullName, keptBeside) || !names.Add(entry.FullName))
                {
                    throw new RestoreRefusedException(RestoreRefusal.UnexpectedEntry, entry.FullName);
                }
            }

            if (!names.Contains(DatabaseEntry))
            {
                throw new RestoreRefusedException(RestoreRefusal.NotABackup, backupFile, $"no {DatabaseEntry}");
            }

            var parent = Path.GetDirectoryName(root)!;
            DurableFile.CreateDirectory(parent);
            // An empty folder that exists (a new disk mounted at the DataDirectory's path, a folder made for it) cannot be
            // replaced by one rename — a mount point cannot be at all: the backup is unpacked inside it, on its own file
            // system, under the flock on it (a second restore into it is refused), and its entries moved into it.
            var intoExisting = Directory.Exists(root);
            using var held = intoExisting ? HoldEmptyTarget(root, keptBeside) : null;
            ClearKilledRestoresBeside(root);
            var staging = intoExisting
                ? Path.Combine(root, $"{InsideStagingPrefix}{Guid.NewGuid():N}")
                : Path.Combine(parent, $".{Path.GetFileName(root)}.restore-{Guid.NewGuid():N}");
            using var stagingHeld = CreateStaging(staging, locked: !intoExisting && !OperatingSystem.IsWindows());
            int files = 0, unrecordedRestored = 0, undated = 0;
            var restoredAt = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;
            var unrecordedTimes = new List<(string Path, DateTime? Written)>();
            try
            {
                var declaredDamaged = (await DeclaredListAsync(zip, DamagedEntry, cancellationToken)).Keys.ToHashSet(StringComparer.Ordinal);
                var declaredUnrecorded = await DeclaredListAsync(zip, UnrecordedEntry, cancellationToken);
                foreach (var entry in entries.Where(entry => entry.FullName is not (DamagedEntry or UnrecordedEntry)))
                {
                    var path = Path.Combine(staging, entry.FullName);
                    try
                    {
                        await UnpackAsync(entry, path, cancellationToken);
                        files++;
                    }
                    catch (RestoreRefusedException refused) when (refused.Refusal == RestoreRefusal.EntryAltered && declaredDamaged.Contains(entry.FullName))
                    {
                        // Damaged before the backup, and declared so by it: left out, as a file the backup found missing.
                        File.Delete(path);
                        continue;
                    }

                    if (entry.FullName.StartsWith("raw/", StringComparison.Ordinal) && declaredUnrecorded.TryGetValue(entry.FullName, out var written))
                    {
                        unrecordedRestored++;
                        unrecordedTimes.Add((path, written));
                    }
                }

                CheckDatabase(Path.Combine(staging, DatabaseEntry));
                // A raw file the database does not record came after the mails it does, never after now: another time
                // (none, unreadable, an edited 1980 — a receipt then told 中華民國69年 — or one to come) keeps the
                // restore's, and the restore says so (h11y N2, h20h J2, h21h L1).
                var earliest = EarliestUnrecorded(Path.Combine(staging, DatabaseEntry));
                foreach (var (path, written) in unrecordedTimes)
                {
                    if (written is { } writtenAt && writtenAt <= restoredAt && (earliest is null || writtenAt >= earliest))
                    {
                        File.SetLastWriteTimeUtc(path, writtenAt);
                    }
                    else
                    {
                        undated++;
                    }
                }

                CheckEntriesRecorded(Path.Combine(staging, DatabaseEntry), names, declaredUnrecorded.Keys.ToHashSet(StringComparer.Ordinal));
                MarkRestored(Path.Combine(staging, DatabaseEntry), (time ?? TimeProvider.System).GetUtcNow());
                foreach (var folder in Directory.EnumerateDirectories(staging, "*", SearchOption.AllDirectories).Append(staging))
                {
                    DurableFile.SyncDirectory(folder);
                }

                if (intoExisting)
                {
                    MoveEntriesInto(staging, root);
                }
                else
                {
                    MoveIntoPlace(staging, root);
                }
            }
            catch
            {
                Directory.Delete(staging, recursive: true);
                throw;
            }

            DurableFile.SyncDirectory(parent);
            return new RestoreSummary(files, unrecordedRestored) { UndatedRawFiles = undated };
        }
    }

    private static void RefuseOccupied(string root, IReadOnlyList<string> keptBeside)
    {
        if (File.Exists(root))
        {
            throw new RestoreRefusedException(RestoreRefusal.TargetIsFile, root);
        }

        var leftBehind = LeftByUnfinishedRestore(root, keptBeside);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any(entry => !IsInsideStaging(entry) && !leftBehind.Contains(entry) && !IsFileSystemsLostAndFound(entry)))
        {
            throw new RestoreRefusedException(RestoreRefusal.TargetNotEmpty, root);
        }
    }

    /// <summary>
    /// A restore into <paramref name="dataDirectory"/> that did not finish (killed while it unpacked, or while it moved its
    /// entries in — the database goes last): its leftover folder inside it (not an empty one beside the database: that
    /// restore had finished), or beside a DataDirectory that does not exist yet; null when there is none. Every command
    /// refuses such a DataDirectory: a fresh database created beside the leftover would be taken for the store.
    /// </summary>
    public static string? UnfinishedRestore(string dataDirectory)
    {
        var root = Path.GetFullPath(dataDirectory).TrimEnd(Path.DirectorySeparatorChar);
        try
        {
            if (Directory.Exists(root))
            {
                var hasDatabase = File.Exists(Path.Combine(root, DatabaseEntry));
                return Directory.EnumerateDirectories(root).Where(IsInsideStaging)
                    .FirstOrDefault(stale => !hasDatabase || Directory.EnumerateFileSystemEntries(stale).Any());
            }

            var parent = Path.GetDirectoryName(root);
            return parent is not null && Directory.Exists(parent)
                ? Directory.EnumerateDirectories(parent, $".{Path.GetFileName(root)}.restore-*").FirstOrDefault()
                : null;
        }
        catch (UnauthorizedAccessException)
        {
            return null; // a folder this user may not list: the command goes on and names what it cannot use
        }
    }

    /// <summary>
    /// What a restore killed while moving its entries into <paramref name="root"/> had moved there already (its leftover
    /// still holds the database): the store's own top-level names, which a new restore replaces. Empty when no restore
    /// was left unfinished there.
    /// </summary>
    private static HashSet<string> LeftByUnfinishedRestore(string root, IReadOnlyList<string> keptBeside)
    {
        if (!Directory.Exists(root) || File.Exists(Path.Combine(root, DatabaseEntry))
            || !Directory.EnumerateDirectories(root).Any(stale => IsInsideStaging(stale) && Directory.EnumerateFileSystemEntries(stale).Any()))
        {
            return [];
        }

        return new[] { "raw", "evidence", "outbound", DamagedEntry }.Concat(keptBeside)
            .Select(name => Path.Combine(root, name))
            .Where(path => Directory.Exists(path) || File.Exists(path))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The empty <c>lost+found</c> mkfs.ext4 makes at the top of a new file system (fsck puts what it finds there): a new
    /// disk mounted where the DataDirectory is to be holds it, and it is the file system's, not a store's — so it counts
    /// as empty and is left in place. Only at a mount point and only empty; one this user may not list (root's 0700, as
    /// mkfs makes it, while the restore acts as the service user) is taken for the file system's own: the store never
    /// reads or writes it.
    /// </summary>
    private static bool IsFileSystemsLostAndFound(string entry)
    {
        if (Path.GetFileName(entry) != "lost+found" || UnixFiles.IsSpecialOrLink(entry) || !Directory.Exists(entry)
            || !UnixFiles.IsMountPoint(Path.GetDirectoryName(entry)!))
        {
            return false;
        }

        try
        {
            return !Directory.EnumerateFileSystemEntries(entry).Any();
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>The folder a restore into an existing empty target unpacks into, inside it.</summary>
    private const string InsideStagingPrefix = ".restore-";

    /// <summary>
    /// Creates the staging folder; <paramref name="locked"/>: held (flock) from before it bears its name. Another restore
    /// into the same DIR removes every <c>.DIR.restore-…</c> folder it can lock, as a killed restore's leftover: made
    /// under that name and locked just after, a new one could be taken for a leftover and deleted in between (seen as
    /// 「cannot open folder … to lock it (errno 2)」 when two restores start at once). So it is made under another name,
    /// locked, then renamed — the lock is on the folder, not its name.
    /// </summary>
    private static Microsoft.Win32.SafeHandles.SafeFileHandle? CreateStaging(string staging, bool locked)
    {
        if (!locked)
        {
            Directory.CreateDirectory(staging);
            return null;
        }

        var unnamed = Path.Combine(Path.GetDirectoryName(staging)!, "." + Guid.NewGuid().ToString("N") + ".unpacking");
        Directory.CreateDirectory(unnamed);
        var held = UnixFiles.TryLockFolder(unnamed) ?? throw new IOException($"cannot lock the new folder {unnamed}");
        try
        {
            Directory.Move(unnamed, staging);
            return held;
        }
        catch
        {
            held.Dispose();
            Directory.Delete(unnamed);
            throw;
        }
    }

    private static bool IsInsideStaging(string path) => Path.GetFileName(path).StartsWith(InsideStagingPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Removes what restores into <paramref name="root"/> killed before it existed left beside it (<c>.DIR.restore-…</c>,
    /// as large as the store): each one no running restore holds the flock on. A restore running into the same DIR keeps
    /// its folder (and of the two, one succeeds).
    /// </summary>
    private static void ClearKilledRestoresBeside(string root)
    {
        if (OperatingSystem.IsWindows() || Path.GetDirectoryName(root) is not { } parent)
        {
            return;
        }

        foreach (var leftover in Directory.EnumerateDirectories(parent, $".{Path.GetFileName(root)}.restore-*").Where(path => !UnixFiles.IsSpecialOrLink(path)))
        {
            try
            {
                using var killed = UnixFiles.TryLockFolder(leftover);
                if (killed is not null)
                {
                    Directory.Delete(leftover, recursive: true);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Another user's (a restore as root killed under an older version): left as it is; it does not stop this one.
                continue;
            }
        }
    }

    /// <summary>
    /// Takes the flock on an existing target (or refuses: another restore holds it), removes what a killed restore into it
    /// left (no one else can be writing it now) and checks again, under the lock, that nothing else is in it.
    /// </summary>
    private static Microsoft.Win32.SafeHandles.SafeFileHandle? HoldEmptyTarget(string root, IReadOnlyList<string> keptBeside)
    {
        var held = OperatingSystem.IsWindows()
            ? null
            : UnixFiles.TryLockFolder(root) ?? throw new RestoreRefusedException(RestoreRefusal.TargetNotEmpty, root);
        try
        {
            foreach (var moved in LeftByUnfinishedRestore(root, keptBeside))
            {
                if (Directory.Exists(moved))
                {
                    Directory.Delete(moved, recursive: true);
                }
                else
                {
                    File.Delete(moved);
                }
            }

            foreach (var stale in Directory.EnumerateDirectories(root).Where(IsInsideStaging).ToList())
            {
                Directory.Delete(stale, recursive: true);
            }

            RefuseOccupied(root, keptBeside);
            return held;
        }
        catch
        {
            held?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Moves the unpacked entries into the target they were unpacked inside, the database last: a restore stopped half-way
    /// leaves no database, which every command refuses (raw mail without its database) rather than reading a part.
    /// </summary>
    private static void MoveEntriesInto(string staging, string root)
    {
        if (Directory.EnumerateFileSystemEntries(root).Any(entry => !IsInsideStaging(entry) && !IsFileSystemsLostAndFound(entry)))
        {
            throw new RestoreRefusedException(RestoreRefusal.TargetNotEmpty, root);
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(staging).OrderBy(entry => Path.GetFileName(entry) == DatabaseEntry).ToList())
        {
            var destination = Path.Combine(root, Path.GetFileName(entry));
            if (Directory.Exists(entry))
            {
                Directory.Move(entry, destination);
            }
            else
            {
                File.Move(entry, destination);
            }
        }

        Directory.Delete(staging);
        DurableFile.SyncDirectory(root);
    }

    /// <summary>
    /// The rename that makes the restore appear at once. An empty target folder is removed first (rmdir fails if anything
    /// came into it meanwhile); a rename onto a name another restore or command took meanwhile fails, and this one is refused.
    /// </summary>
    private static void MoveIntoPlace(string staging, string root)
    {
        try
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: false);
            }

            Directory.Move(staging, root);
        }
        catch (IOException) when (Directory.Exists(root) || File.Exists(root))
        {
            throw new RestoreRefusedException(RestoreRefusal.TargetNotEmpty, root);
        }
    }

    /// <summary>
    /// The earliest a raw mail the restored database does not record can have come: not before the newest mail it records
    /// (less the 10 minutes a batch may take to commit) — the mails an older database lacks came after its last; null
    /// when it records none. On the store's own timeline (its arrivals), not its migrations' (h21h L1: a time after the
    /// store was made but before the notice still reached a receipt).
    /// </summary>
    private static DateTime? EarliestUnrecorded(string databasePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection.Query<string>("SELECT received_at FROM mails").Select(Instants.Parse).DefaultIfEmpty().Max() is { } newest && newest != default
            ? newest.UtcDateTime - StoreVerifier.InFlightWindow
            : null;
    }

    /// <summary>A manifest's paths (one a line), each with the file time written after a tab, if any.</summary>
    private static async Task<Dictionary<string, DateTime?>> DeclaredListAsync(ZipArchive zip, string manifestName, CancellationToken cancellationToken)
    {
        var declared = new Dictionary<string, DateTime?>(StringComparer.Ordinal);
        if (zip.GetEntry(manifestName) is not { } manifest)
        {
            return declared;
        }

        await using var stream = manifest.Open();
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken);
        // A line may end in CR (the list edited or carried through a Windows tool): the time is read all the same.
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')))
        {
            var fields = line.Split('\t');
            // Written in UTC ("O"); a time with another offset (+08:00, the list edited by hand) is the same instant.
            declared[fields[0]] = fields.Length > 1
                && DateTimeOffset.TryParseExact(fields[1], ["yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-ddTHH:mm:ssK"], System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.None, out var written)
                && fields[1].Length > 19 && fields[1][19..].Any(c => c is 'Z' or '+' or '-')
                    ? written.UtcDateTime
                    : null;
        }

        return declared;
    }

    private static async Task UnpackAsync(ZipArchiveEntry entry, string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var crc = new System.IO.Hashing.Crc32();
        // Raw mail and evidence are named by their SHA-256: a CRC a tamperer recomputes is not enough, the name must hold.
        var named = ContentEntry().Match(entry.FullName) is { Success: true } match ? match.Groups["sha"].Value : null;
        using var sha256 = named is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        try
        {
            await using var content = entry.Open();
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                crc.Append(buffer.AsSpan(0, read));
                sha256?.AppendData(buffer, 0, read);
                length += read;
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }
        catch (InvalidDataException exception)
        {
            throw new RestoreRefusedException(RestoreRefusal.EntryDamaged, entry.FullName, exception.Message);
        }

        if (crc.GetCurrentHashAsUInt32() != entry.Crc32 || length != entry.Length)
        {
            throw new RestoreRefusedException(RestoreRefusal.EntryDamaged, entry.FullName, "CRC-32 or length differs from the archive's");
        }

        if (sha256 is not null && !string.Equals(Convert.ToHexStringLower(sha256.GetHashAndReset()), named, StringComparison.Ordinal))
        {
            throw new RestoreRefusedException(RestoreRefusal.EntryAltered, entry.FullName);
        }
    }

    /// <summary>
    /// Every row's raw path is the store's own <c>raw/xx/SHA-256.eml</c> and every outbox path <c>outbound/(64 hex).eml</c>;
    /// every raw, evidence and outbox entry is one the restored database names (what a backup copies, and nothing else).
    /// </summary>
    private static void CheckEntriesRecorded(string databasePath, IReadOnlySet<string> names, IReadOnlySet<string> declaredUnrecorded)
    {
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            try
            {
                connection.Open();
                foreach (var (id, rawPath, sha256) in connection.Query<(long, string, string)>("SELECT id, raw_path, sha256 FROM mails ORDER BY id"))
                {
                    var own = StoreVerifier.OwnRawPath(rawPath, sha256) ?? throw new RestoreRefusedException(RestoreRefusal.ForeignPath, rawPath, $"#{id}");
                    recorded.Add(Normal(own));
                }

                foreach (var sha256 in connection.Query<string>("SELECT sha256 FROM evidence WHERE (',' || flags || ',') NOT LIKE '%,not-stored,%'"))
                {
                    // An evidence file's path is made from its SHA-256: anything but 64 hex digits could name another place.
                    recorded.Add(StoreVerifier.IsSha256(sha256)
                        ? Normal(StoreVerifier.EvidencePath(sha256))
                        : throw new RestoreRefusedException(RestoreRefusal.ForeignPath, sha256, null));
                }
                foreach (var mimePath in connection.Query<string>("SELECT mime_path FROM outbound"))
                {
                    if (!IsOutboxPath(mimePath))
                    {
                        throw new RestoreRefusedException(RestoreRefusal.ForeignPath, mimePath, null);
                    }

                    recorded.Add(Normal(mimePath));
                }
            }
            catch (SqliteException exception)
            {
                throw new RestoreRefusedException(RestoreRefusal.DatabaseDamaged, DatabaseEntry, exception.Message);
            }
        }

        // A raw entry the backup declared unrecorded (found in the store, not in its database) is accepted: restored as it
        // was, for store repair to record. Only raw mail: evidence and outbox entries must be named by the database.
        var unnamed = names.Where(name => StoreEntry().IsMatch(name) && !recorded.Contains(name)
            && !(name.StartsWith("raw/", StringComparison.Ordinal) && declaredUnrecorded.Contains(name))).Order(StringComparer.Ordinal).ToList();
        if (unnamed.Count > 0)
        {
            throw new RestoreRefusedException(RestoreRefusal.EntryNotRecorded, string.Join("、", unnamed.Take(5)),
                unnamed.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Leaves <see cref="RereadDropFolderMark"/> in the restored database (in the staging folder, before it appears).</summary>
    private static void MarkRestored(string databasePath, DateTimeOffset now)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        connection.Execute(
            "INSERT INTO sweep_marks (key, notice_id, at) VALUES (@key, NULL, @now) ON CONFLICT (key) DO UPDATE SET at = excluded.at",
            new { key = RereadDropFolderMark, now = Instants.Format(now) });
        var upTo = connection.ExecuteScalar<long?>("SELECT MAX(id) FROM mails") ?? 0;
        connection.Execute("DELETE FROM sweep_marks WHERE key LIKE @prefix", new { prefix = RereadUpToMailPrefix + "%" });
        connection.Execute(
            "INSERT INTO sweep_marks (key, notice_id, at) VALUES (@key, NULL, @now)",
            new { key = RereadUpToMailPrefix + upTo.ToString(System.Globalization.CultureInfo.InvariantCulture), now = Instants.Format(now) });
        connection.Execute("DELETE FROM sweep_marks WHERE key LIKE @prefix", new { prefix = RereadNotBeforePrefix + "%" });
        if (Instants.ParseOrNull(connection.ExecuteScalar<string?>("SELECT MAX(at) FROM timeline")) is { } newest)
        {
            connection.Execute(
                "INSERT INTO sweep_marks (key, notice_id, at) VALUES (@key, NULL, @now)",
                new { key = RereadNotBeforePrefix + Instants.Format(newest), now = Instants.Format(now) });
        }
    }

    /// <summary>The restored database must be whole and of a schema this program knows (a newer one it would run on blindly).</summary>
    private static void CheckDatabase(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        long version;
        try
        {
            connection.Open();
            var integrity = connection.Query<string>("PRAGMA integrity_check").ToList();
            if (integrity is not ["ok"])
            {
                throw new RestoreRefusedException(RestoreRefusal.DatabaseDamaged, DatabaseEntry, string.Join("; ", integrity));
            }

            version = connection.ExecuteScalar<long?>("SELECT MAX(version) FROM schema_migrations") ?? 0;
        }
        catch (SqliteException exception)
        {
            throw new RestoreRefusedException(RestoreRefusal.DatabaseDamaged, DatabaseEntry, exception.Message);
        }

        if (version > Database.LatestVersion)
        {
            throw new RestoreRefusedException(RestoreRefusal.NewerVersion, version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Database.LatestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>What a backup writes: the database, content files under their SHA-256 names, outbox messages, the files kept beside.</summary>
    private static bool IsBackupEntry(string name, IReadOnlyList<string> keptBeside) =>
        name == DatabaseEntry || name == DamagedEntry || name == UnrecordedEntry || keptBeside.Contains(name, StringComparer.Ordinal) || StoreEntry().IsMatch(name);

    [GeneratedRegex(@"^(raw/([0-9a-f]{2})/\2[0-9a-f]{62}\.eml|evidence/([0-9a-f]{2})/\3[0-9a-f]{62}\.bin|outbound/[0-9a-f]{64}\.eml)$")]
    private static partial Regex StoreEntry();

    /// <summary>An outbox message's path as the store writes it: <c>outbound/(64 hex).eml</c>.</summary>
    private static bool IsOutboxPath(string mimePath) => OutboxEntry().IsMatch(Normal(mimePath));

    [GeneratedRegex(@"^outbound/[0-9a-f]{64}\.eml$")]
    private static partial Regex OutboxEntry();

    [GeneratedRegex(@"^(raw|evidence)/[0-9a-f]{2}/(?<sha>[0-9a-f]{64})\.(eml|bin)$")]
    private static partial Regex ContentEntry();

    /// <summary>
    /// Copies one recorded file, as found, hashing it on the way: missing, not a regular file, unreadable, or holding
    /// other bytes than its row records is a problem named in the summary. Returns the bytes copied.
    /// </summary>
    private static async Task<long> CopyCheckedAsync(
        ZipArchive zip, string dataDirectory, string relativePath, string sha256, long size, long mailId,
        StoreProblemKind missing, StoreProblemKind damaged, List<StoreProblem> problems, Dictionary<string, int> copied, string counter,
        CancellationToken cancellationToken)
    {
        var path = Normal(relativePath);
        var full = Path.Combine(dataDirectory, relativePath);
        if (UnixFiles.WhyUnreachable(full) is { } unreachable)
        {
            // Behind a folder this user may not enter (one a command as root made 0700): there, not missing — as verify says.
            problems.Add(new StoreProblem(StoreProblemKind.Unreadable, path, mailId, unreachable));
            return 0;
        }

        if (!File.Exists(full) && !OwnFiles.IsLink(full))
        {
            problems.Add(new StoreProblem(missing, path, mailId, "no such file"));
            return 0;
        }

        if (OwnFiles.PassesThroughLink(dataDirectory, relativePath))
        {
            problems.Add(new StoreProblem(damaged, path, mailId, "a symbolic link, not the file itself: not followed"));
            return 0;
        }

        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var length = await AddAsync(zip, full, path, cancellationToken, hash);
            if (length is not { } copiedLength)
            {
                problems.Add(new StoreProblem(damaged, path, mailId, "not a regular file (a link, FIFO, device or socket): not read"));
                return 0;
            }

            Count(copied, counter);
            if (copiedLength != size || !string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), sha256, StringComparison.Ordinal))
            {
                problems.Add(new StoreProblem(damaged, path, mailId, "content differs from its SHA-256 or size (copied as found)"));
            }

            return copiedLength;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            problems.Add(new StoreProblem(StoreProblemKind.Unreadable, path, mailId, StoreVerifier.UnreadableDetail(full, exception)));
            return 0;
        }
    }

    /// <summary>The store's own raw mail files on disk (<c>raw/xx/xx….eml</c>, folders reached without a link), with their times; and the folders this user may not list.</summary>
    private static (List<(string Path, DateTime Written)> Files, List<(string Path, Exception Why)> Unlistable) RawFilesOnDisk(string dataDirectory)
    {
        var files = new List<(string, DateTime)>();
        var unlistable = new List<(string, Exception)>();
        var root = Path.Combine(dataDirectory, "raw");
        if (!Directory.Exists(root) || OwnFiles.IsLink(root))
        {
            return (files, unlistable);
        }

        List<string> folders;
        try
        {
            folders = Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal).ToList();
        }
        catch (UnauthorizedAccessException exception)
        {
            unlistable.Add(("raw", exception));
            return (files, unlistable);
        }

        foreach (var folder in folders)
        {
            var prefix = Path.GetFileName(folder);
            if (prefix.Length != 2 || !prefix.All(char.IsAsciiHexDigitLower) || OwnFiles.IsLink(folder))
            {
                continue; // not a folder the store writes: verify names it foreign
            }

            try
            {
                files.AddRange(new DirectoryInfo(folder).EnumerateFiles("*.eml")
                    .Select(file => ($"raw/{prefix}/{file.Name}", file.LastWriteTimeUtc))
                    .Where(file => StoreEntry().IsMatch(file.Item1)));
            }
            catch (UnauthorizedAccessException exception)
            {
                unlistable.Add(($"raw/{prefix}", exception));
            }
            catch (DirectoryNotFoundException)
            {
                continue; // removed since it was listed: nothing in it to keep
            }
        }

        return (files, unlistable);
    }

    /// <summary>
    /// Copies raw mail files the database snapshot does not record, hashing each on the way. One whose bytes are not the
    /// SHA-256 its name says cannot be restored under that name: copied as found, declared damaged (restore leaves it
    /// out) and named. One gone since it was listed (recorded as a duplicate and removed by a repair) is passed over;
    /// one that cannot be read is named. Returns those kept whole, with their times, and the bytes copied.
    /// </summary>
    private static async Task<(List<(string Path, DateTime Written)> Kept, long Bytes)> CopyUnrecordedRawAsync(
        ZipArchive zip, string dataDirectory, List<(string Path, DateTime Written)> unrecorded, List<StoreProblem> problems, List<string> damaged,
        CancellationToken cancellationToken)
    {
        var kept = new List<(string, DateTime)>();
        long bytes = 0;
        foreach (var (relative, written) in unrecorded)
        {
            var full = Path.Combine(dataDirectory, relative);
            if (OwnFiles.PassesThroughLink(dataDirectory, relative))
            {
                continue; // a link is not the store's own file: verify names it, it is never followed
            }

            try
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                if (await AddAsync(zip, full, relative, cancellationToken, hash) is not { } length)
                {
                    continue; // not a regular file: never opened, not the store's
                }

                bytes += length;
                if (Path.GetFileNameWithoutExtension(relative) == Convert.ToHexStringLower(hash.GetHashAndReset()))
                {
                    kept.Add((relative, written));
                }
                else
                {
                    damaged.Add(relative);
                    problems.Add(new StoreProblem(StoreProblemKind.RawDamaged, relative, null,
                        "unrecorded raw mail whose content is not the SHA-256 its name says (copied as found, left out by restore)"));
                }
            }
            catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
            {
                continue; // gone since it was listed
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                problems.Add(new StoreProblem(StoreProblemKind.Unreadable, relative, null, StoreVerifier.UnreadableDetail(full, exception)));
            }
        }

        return (kept, bytes);
    }

    /// <summary>Copies a file with no recorded hash (an outbox message, the action key) if it is there and a regular file.</summary>
    private static async Task<long?> AddIfRegularAsync(ZipArchive zip, string dataDirectory, string relativePath, List<StoreProblem> problems, long? mailId, CancellationToken cancellationToken)
    {
        var full = Path.Combine(dataDirectory, relativePath);
        if (UnixFiles.WhyUnreachable(full) is { } unreachable)
        {
            problems.Add(new StoreProblem(StoreProblemKind.Unreadable, Normal(relativePath), mailId, unreachable));
            return null;
        }

        if (!File.Exists(full) || OwnFiles.PassesThroughLink(dataDirectory, relativePath))
        {
            return null;
        }

        try
        {
            var length = await AddAsync(zip, full, Normal(relativePath), cancellationToken);
            if (length is null)
            {
                problems.Add(new StoreProblem(StoreProblemKind.Foreign, Normal(relativePath), mailId, "not a regular file (a link, FIFO, device or socket): not read"));
            }

            return length;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            problems.Add(new StoreProblem(StoreProblemKind.Unreadable, Normal(relativePath), mailId, StoreVerifier.UnreadableDetail(full, exception)));
            return null;
        }
    }

    /// <summary>Adds a regular file as an entry (hashing it when asked); null, and no entry, when it is not a regular file.</summary>
    private static async Task<long?> AddAsync(ZipArchive zip, string file, string name, CancellationToken cancellationToken, IncrementalHash? hash = null)
    {
        FileStream source;
        try
        {
            source = UnixFiles.OpenRegular(file);
        }
        catch (NotARegularFileException)
        {
            return null;
        }

        await using (source)
        {
            // Raw mail and attachments are mostly compressed already (base64 aside): fastest keeps a backup quick.
            var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
            await using var target = entry.Open();
            var buffer = new byte[81920];
            long length = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash?.AppendData(buffer, 0, read);
                length += read;
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            return length;
        }
    }

    private static void Count(Dictionary<string, int> copied, string counter) => copied[counter] = copied.GetValueOrDefault(counter) + 1;

    private static string Normal(string relativePath) => relativePath.Replace('\\', '/');
}
