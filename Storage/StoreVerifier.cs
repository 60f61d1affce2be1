using Dapper;

namespace MailIntake.Storage;

/// <summary>One thing wrong: its kind, the file (relative to DataDirectory) and, where one is concerned, the mail.</summary>
public sealed record StoreProblem(StoreProblemKind Kind, string Path, long? MailId, string Detail)
{
    /// <summary>
    /// An evidence file missing or damaged that no raw mail can give again: every mail that recorded it has its raw file
    /// lost or damaged too (h19h H3: verify counted it as one repair handles, repair said each time it could not).
    /// </summary>
    public bool RawLostToo { get; init; }
}

public sealed record StoreReport(int RawChecked, int EvidenceChecked, int OutboundChecked, IReadOnlyList<StoreProblem> Problems)
{
    public bool Ok => Problems.Count == 0;

    /// <summary>
    /// Files a running worker was writing while verify looked (not yet recorded, or a temporary file of a write under
    /// way): not problems, counted so that the report says why they were passed over.
    /// </summary>
    public IReadOnlyList<StoreProblem> InFlight { get; init; } = [];

    /// <summary>
    /// Raw mail known lost: a <c>damaged</c> mail staff settled with <c>mail dismiss</c> (no backup had its raw file).
    /// Listed, not a problem: a monitor's verify can be green again, and a new problem is not hidden behind an old alarm.
    /// </summary>
    public IReadOnlyList<StoreProblem> Acknowledged { get; init; } = [];
}

/// <summary>
/// What <see cref="StoreVerifier.FindGone"/> found: the mails whose raw file is gone (or not of its size), and those with
/// an evidence file gone.
/// </summary>
public sealed record StoreGone(IReadOnlyList<long> RawMails, IReadOnlyList<long> EvidenceMails)
{
    public static readonly StoreGone None = new([], []);
}

/// <summary>
/// Re-hashes every raw mail and evidence file against the row that records it, and finds what no row records (an
/// orphan: written, then the process stopped before its row), half-written temporary files, outbox messages gone,
/// and what SQLite's own checks say about the database file.
/// </summary>
public sealed class StoreVerifier(Database database, string dataDirectory)
{
    private const string RawFolder = "raw";
    private const string EvidenceFolder = "evidence";
    private const string OutboundFolder = "outbound";

    /// <summary>
    /// Beside a running worker, an unrecorded or temporary file written this recently is taken for one the worker is
    /// writing (a raw file is durable before its row commits; a batch commits many at once). Older, it is a problem.
    /// </summary>
    public static readonly TimeSpan InFlightWindow = TimeSpan.FromMinutes(10);

    public async Task<StoreReport> VerifyAsync(CancellationToken cancellationToken)
    {
        var problems = new List<StoreProblem>();
        // A store folder moved to another disk and linked back (h14h G4): named once, never followed — what is behind it
        // is neither checked nor called missing or damaged.
        var linked = StoreFolderLinkedException.AllTop(dataDirectory).ToList();
        problems.AddRange(linked.Select(link => Foreign(link.Link, link.Text)));
        var linkedFolders = linked.Select(link => System.IO.Path.GetFileName(link.Link)).ToHashSet(StringComparer.Ordinal);
        bool BehindLink(string relativePath) => linkedFolders.Contains(Normal(relativePath).Split('/')[0]);
        using var connection = database.Open();
        problems.AddRange(connection.Query<string>("PRAGMA integrity_check")
            .Where(line => line != "ok")
            .Select(line => new StoreProblem(StoreProblemKind.Database, System.IO.Path.GetFileName(database.Path), null, line)));
        problems.AddRange(connection.Query<(string Table, long? RowId, string Parent)>("PRAGMA foreign_key_check")
            .Select(row => new StoreProblem(StoreProblemKind.Database, System.IO.Path.GetFileName(database.Path), null,
                $"foreign key: {row.Table} row {row.RowId} points to a missing {row.Parent} row")));

        var raws = connection.Query<(long Id, string RawPath, string Sha256, long Size, long Dismissed)>(
            "SELECT id, raw_path, sha256, size, CASE WHEN kind = 'damaged' AND dismissed_at IS NOT NULL THEN 1 ELSE 0 END FROM mails ORDER BY id").ToList();
        var acknowledged = new List<StoreProblem>();
        var rawChecked = 0;
        foreach (var raw in raws)
        {
            if (BehindLink(raw.RawPath) && OwnRawPath(raw.RawPath, raw.Sha256) is not null)
            {
                continue;
            }

            rawChecked++;
            if (OwnRawPath(raw.RawPath, raw.Sha256) is null)
            {
                // A row that names anything but its own raw/xx/SHA-256.eml (an edited or tampered database): never followed.
                problems.Add(new StoreProblem(StoreProblemKind.Database, System.IO.Path.GetFileName(database.Path), raw.Id, NotOwnRawPath(raw.Id, raw.RawPath)));
                continue;
            }

            if (await CheckAsync(raw.RawPath, raw.Sha256, raw.Size, cancellationToken) is { } state)
            {
                (raw.Dismissed != 0 ? acknowledged : problems).Add(new StoreProblem(state.Kind(StoreProblemKind.RawMissing, StoreProblemKind.RawDamaged), raw.RawPath, raw.Id, state.Detail));
            }
        }

        var evidence = connection.Query<(long MailId, string Sha256, long Size)>(
            "SELECT mail_id, sha256, size FROM evidence WHERE (',' || flags || ',') NOT LIKE '%,not-stored,%' ORDER BY mail_id, ordinal").ToList();
        var evidencePaths = new HashSet<string>(StringComparer.Ordinal);
        var rawLost = problems.Concat(acknowledged).Where(problem => problem.Kind is StoreProblemKind.RawMissing or StoreProblemKind.RawDamaged)
            .Select(problem => problem.MailId).ToHashSet();
        var recordedBy = evidence.ToLookup(file => file.Sha256, file => file.MailId);
        foreach (var file in evidence)
        {
            var path = EvidencePath(file.Sha256);
            if (evidencePaths.Add(path) && !BehindLink(path) && await CheckAsync(path, file.Sha256, file.Size, cancellationToken) is { } state)
            {
                problems.Add(new StoreProblem(state.Kind(StoreProblemKind.EvidenceMissing, StoreProblemKind.EvidenceDamaged), path, file.MailId, state.Detail)
                {
                    RawLostToo = recordedBy[file.Sha256].All(mailId => rawLost.Contains(mailId)),
                });
            }
        }

        var allOutbound = connection.Query<(string MimePath, string Status, string? MimeSha256, long? MimeSize)>(
            "SELECT mime_path, status, mime_sha256, mime_size FROM outbound").ToList();
        var outbound = allOutbound.Where(mail => mail.Status == "queued" && !BehindLink(mail.MimePath)).ToList();
        foreach (var mail in outbound)
        {
            if (UnixFiles.WhyUnreachable(Full(mail.MimePath)) is { } unreachable)
            {
                problems.Add(new StoreProblem(StoreProblemKind.Unreadable, mail.MimePath, null, unreachable));
            }
            else if (!File.Exists(Full(mail.MimePath)) && !OwnFiles.IsLink(Full(mail.MimePath)))
            {
                problems.Add(new StoreProblem(StoreProblemKind.OutboundMissing, mail.MimePath, null, "a queued mail's message file is gone"));
            }
            else if (OwnFiles.IsLink(Full(mail.MimePath)))
            {
                problems.Add(new StoreProblem(StoreProblemKind.OutboundDamaged, mail.MimePath, null, "a symbolic link, not the message written: not followed"));
            }
            else if (mail.MimeSha256 is { } sha256 && mail.MimeSize is { } size && await CheckAsync(mail.MimePath, sha256, size, cancellationToken) is { } state)
            {
                problems.Add(new StoreProblem(state.Kind(StoreProblemKind.OutboundMissing, StoreProblemKind.OutboundDamaged), mail.MimePath, null, state.Detail));
            }
        }

        var recordedRaw = raws.Select(raw => Normal(raw.RawPath)).ToHashSet(StringComparer.Ordinal);
        var unrecorded = new List<StoreProblem>();
        unrecorded.AddRange(Unrecorded(RawFolder, ".eml", recordedRaw, StoreProblemKind.RawOrphaned, "kept raw but not recorded"));
        unrecorded.AddRange(Unrecorded(EvidenceFolder, ".bin", evidencePaths, StoreProblemKind.EvidenceOrphaned, "no evidence row refers to it"));
        unrecorded.AddRange(UnrecordedOutbound(allOutbound.Select(mail => Normal(mail.MimePath)).ToHashSet(StringComparer.Ordinal)));
        unrecorded.AddRange(Leftovers());
        problems.AddRange(UnwritableFolders());
        if (Directory.Exists(Full(DataDirectoryLock.PidFileName)))
        {
            // No worker can start (its PID cannot be written): never 完好 (h14h G3).
            problems.Add(Foreign(Full(DataDirectoryLock.PidFileName), "a folder where the worker writes its PID: no worker can start"));
        }

        var inFlight = DataDirectoryLock.WriterRunningSince(dataDirectory) is { } since ? unrecorded.Where(problem => IsInFlight(problem, since)).ToList() : [];
        problems.AddRange(unrecorded.Except(inFlight));
        var evidenceChecked = linkedFolders.Contains(EvidenceFolder) ? 0 : evidencePaths.Count;
        return new StoreReport(rawChecked, evidenceChecked, outbound.Count, problems) { InFlight = inFlight, Acknowledged = acknowledged };
    }

    /// <summary>
    /// The quick look <c>status</c> and the digest take (h11x F9: a filed mail's raw file gone was heard of only once
    /// someone ran <c>store verify</c>): the mails whose raw file (a mail already known damaged aside) or one of whose
    /// evidence files — one a whole raw mail can give again — is not there as a file of its recorded size. A stat per file, nothing hashed: a file overwritten
    /// with other bytes of the same size is for <c>store verify</c> to find. What lies behind a linked store folder is
    /// named as the link, not looked into.
    /// </summary>
    /// <remarks>
    /// <paramref name="damagedToo"/>: a mail already known damaged whose raw file is gone is named among the raw mails as
    /// well — what a restored copy lacks, however the store it came from had marked it (h21h L3: a backup taken after
    /// <c>store repair</c> marked such mails damaged restored with a line that named none of them).
    /// </remarks>
    public StoreGone FindGone(bool damagedToo = false)
    {
        var linked = StoreFolderLinkedException.AllTop(dataDirectory).Select(link => System.IO.Path.GetFileName(link.Link)).ToHashSet(StringComparer.Ordinal);
        bool Gone(string relativePath, long size) =>
            !linked.Contains(Normal(relativePath).Split('/')[0]) && (new FileInfo(Full(relativePath)) is not { Exists: true } file || file.Length != size);
        using var connection = database.Open();
        var raw = connection.Query<(long Id, string Sha256, long Size)>(
                damagedToo ? "SELECT id, sha256, size FROM mails ORDER BY id" : "SELECT id, sha256, size FROM mails WHERE kind <> 'damaged' ORDER BY id")
            .Where(mail => IsSha256(mail.Sha256) && Gone(RawPath(mail.Sha256), mail.Size))
            .Select(mail => mail.Id)
            .ToList();
        // Evidence only a mail whose raw file is gone (or damaged) held cannot be rebuilt: that mail is named by the raw
        // line alone, never told 「可由原始郵件重建」 (h20h J4).
        var rawLost = raw.Concat(connection.Query<long>("SELECT id FROM mails WHERE kind = 'damaged'")).ToHashSet();
        var evidence = connection.Query<(long MailId, string Sha256, long Size)>(
                "SELECT mail_id, sha256, size FROM evidence WHERE (',' || flags || ',') NOT LIKE '%,not-stored,%' ORDER BY mail_id")
            .Where(file => IsSha256(file.Sha256))
            .GroupBy(file => file.Sha256)
            .Where(group => group.Any(file => !rawLost.Contains(file.MailId)) && Gone(EvidencePath(group.Key), group.First().Size))
            .SelectMany(group => group.Select(file => file.MailId).Where(mailId => !rawLost.Contains(mailId)))
            .Distinct()
            .Order()
            .ToList();
        return new StoreGone(raw, evidence);
    }

    /// <summary>
    /// The DataDirectory and the store's folders below it that this user may read but not write (root's 0755, a copy put
    /// back as root): no mail can be kept there, so the store is never called whole. Nothing is lost and nothing needs a
    /// restore, only a chown (h11z F10).
    /// </summary>
    private IEnumerable<StoreProblem> UnwritableFolders()
    {
        var folders = new List<string> { System.IO.Path.GetFullPath(dataDirectory) };
        foreach (var top in new[] { RawFolder, EvidenceFolder, OutboundFolder }.Select(Full).Where(folder => Directory.Exists(folder) && !OwnFiles.IsLink(folder)))
        {
            folders.Add(top);
            folders.AddRange(Directory.EnumerateDirectories(top, "*", Deep).Where(folder => !OwnFiles.IsLink(folder)).Order(StringComparer.Ordinal));
        }

        foreach (var folder in folders)
        {
            if (UnixFiles.WhyFolderNotWritable(folder) is { } why)
            {
                yield return new StoreProblem(StoreProblemKind.Unwritable, folder == folders[0] ? "." : Relative(folder), null,
                    $"資料夾無法寫入：{why}；檔案仍在，非損壞，不需還原；無法收件、寄件或修復：請將其 chown 給收件服務之使用者（chown {UnixFiles.UserName(UnixFiles.EffectiveUserId)} {folder}）");
            }
        }
    }

    /// <summary>
    /// A file the running worker may be writing now: an orphan or a temporary file written within
    /// <see cref="InFlightWindow"/> since the worker took the store (<paramref name="writerSince"/>), or one already gone
    /// (renamed into place or recorded since the walk). File times are the operating system's, so they are compared with
    /// its clock, not with the application's.
    /// </summary>
    private bool IsInFlight(StoreProblem problem, DateTime writerSince)
    {
        if (problem.Kind is not (StoreProblemKind.RawOrphaned or StoreProblemKind.EvidenceOrphaned or StoreProblemKind.OutboundOrphaned or StoreProblemKind.Leftover))
        {
            return false;
        }

        var file = new FileInfo(Full(problem.Path));
        return !file.Exists || WrittenWithinInFlightWindow(file.LastWriteTimeUtc, TimeProvider.System.GetUtcNow().UtcDateTime, writerSince);
    }

    /// <summary>
    /// Written less than <see cref="InFlightWindow"/> before <paramref name="nowUtc"/> (the operating system's clock: file
    /// times are its), and not before the running writer took the store (<paramref name="writerSinceUtc"/>: a file an
    /// earlier, dead writer left is not in flight). A time in the future (a clock that was ahead, a copy that kept times)
    /// is not "just written".
    /// </summary>
    public static bool WrittenWithinInFlightWindow(DateTime lastWriteUtc, DateTime nowUtc, DateTime writerSinceUtc)
    {
        var age = nowUtc - lastWriteUtc;
        return age >= TimeSpan.Zero && age < InFlightWindow && lastWriteUtc >= writerSinceUtc;
    }

    /// <summary>Outbox message files no outbound row names (<c>outbound/(64 hex).eml</c>); anything else there is foreign.</summary>
    private IEnumerable<StoreProblem> UnrecordedOutbound(HashSet<string> recorded)
    {
        var root = Full(OutboundFolder);
        if (OwnFiles.IsLink(root))
        {
            yield break; // named once, with what to do (StoreFolderLinkedException), never walked
        }

        if (!Directory.Exists(root))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", Flat).Order(StringComparer.Ordinal))
        {
            var fileName = System.IO.Path.GetFileName(path);
            var relative = Relative(path);
            if (recorded.Contains(relative) || (fileName.StartsWith('.') && OwnFiles.IsDurableTempName(fileName)))
            {
                continue;
            }

            yield return File.Exists(path) && !OwnFiles.IsLink(path) && OwnFiles.IsContentName(fileName, ".eml")
                ? new StoreProblem(StoreProblemKind.OutboundOrphaned, relative, null, "no outbound row names it")
                : Foreign(path, "not a file the store writes (a link, a folder or another name)");
        }
    }

    /// <summary>
    /// Half-written files: what a store's tmp folder holds, and write-then-rename temporaries anywhere below
    /// DataDirectory. A link (folder or file) or a name the store never writes is reported as foreign, never walked.
    /// </summary>
    public IReadOnlyList<StoreProblem> Leftovers()
    {
        var found = new List<StoreProblem>();
        foreach (var folder in new[] { RawFolder, EvidenceFolder }.Where(folder => !OwnFiles.IsLink(Full(folder))))
        {
            var temp = Full(System.IO.Path.Combine(folder, "tmp"));
            if (OwnFiles.IsLink(temp))
            {
                found.Add(Foreign(temp, "a symbolic link where the store keeps its temporary files"));
            }
            else if (Directory.Exists(temp))
            {
                found.AddRange(Directory.EnumerateFileSystemEntries(temp, "*", Flat).Order(StringComparer.Ordinal).Select(path =>
                    File.Exists(path) && !OwnFiles.IsLink(path) && OwnFiles.IsStoreTempName(System.IO.Path.GetFileName(path))
                        ? new StoreProblem(StoreProblemKind.Leftover, Relative(path), null, "temporary file of a write that never finished")
                        : Foreign(path, "not a temporary file the store writes")));
            }
        }

        found.AddRange(WalkWithoutLinks(dataDirectory)
            .Where(path => OwnFiles.IsDurableTempName(System.IO.Path.GetFileName(path)))
            .Select(path => new StoreProblem(StoreProblemKind.Leftover, Relative(path), null, "temporary file of a write that never finished")));
        return found.DistinctBy(problem => problem.Path).OrderBy(problem => problem.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>Where the store keeps a raw mail: <c>raw/xx/SHA-256.eml</c>.</summary>
    public static string RawPath(string sha256) => System.IO.Path.Combine(RawFolder, sha256[..2], sha256 + ".eml");

    /// <summary>
    /// The row's raw path if it is the one the store writes for its SHA-256 (<c>raw/xx/SHA-256.eml</c>); null for
    /// anything else (<c>..</c>, an absolute path, another mail's file), which is never opened.
    /// </summary>
    public static string? OwnRawPath(string recordedPath, string sha256) =>
        IsSha256(sha256) && Normal(recordedPath) == Normal(RawPath(sha256)) ? RawPath(sha256) : null;

    /// <summary>Why a row's raw path is not followed, for staff (zh-TW).</summary>
    public static string NotOwnRawPath(long mailId, string recordedPath) =>
        $"郵件 #{mailId} 記載之原始郵件路徑「{recordedPath}」不是本系統存放原始郵件之位置（raw/xx/SHA-256.eml），未讀取";

    /// <summary>64 lower-case hex digits, as the store names its files.</summary>
    public static bool IsSha256(string value) => value.Length == 64 && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    public static string EvidencePath(string sha256) => System.IO.Path.Combine(EvidenceFolder, sha256[..2], sha256 + ".bin");

    private static readonly EnumerationOptions Flat = new() { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };
    private static readonly EnumerationOptions Deep = new() { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = true };

    /// <summary>
    /// Null when the file holds that content; otherwise missing, damaged or unreadable, with why. A file that cannot be
    /// read is a problem of its own, and the walk goes on.
    /// </summary>
    private async Task<FileState?> CheckAsync(string relativePath, string sha256, long size, CancellationToken cancellationToken)
    {
        var path = Full(relativePath);
        if (Directory.Exists(path))
        {
            // Not missing: something else is in the way, and repair must not remove a folder (nor write through it).
            return new FileState(Missing: false, Unreadable: false, "a folder stands where the file belongs") { InTheWay = true };
        }

        if (UnixFiles.WhyUnreachable(path) is { } unreachable)
        {
            // Behind a folder this user may not enter: not missing (nothing to restore), only out of reach.
            return new FileState(Missing: false, Unreadable: true, unreachable);
        }

        if (!File.Exists(path))
        {
            return new FileState(Missing: true, Unreadable: false, "no such file");
        }

        try
        {
            return await ContentStore.HoldsAsync(path, sha256, size, cancellationToken)
                ? null
                : new FileState(Missing: false, Unreadable: false, "content differs from its SHA-256 or size");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new FileState(Missing: false, Unreadable: true, UnreadableDetail(path, exception));
        }
    }

    /// <summary>Why a file could not be read, as verify and backup both say it (zh-TW for permissions, naming the owner).</summary>
    internal static string UnreadableDetail(string fullPath, Exception exception) =>
        exception is UnauthorizedAccessException ? $"沒有存取權限：{fullPath} 屬於 {OwnerName(fullPath)}" : exception.Message.ReplaceLineEndings(" ");

    private static string OwnerName(string path) => UnixFiles.Owner(path) is { } owner ? UnixFiles.UserName(owner.Uid) : "另一使用者";

    private sealed record FileState(bool Missing, bool Unreadable, string Detail)
    {
        /// <summary>A folder where the file belongs: reported as foreign, never removed.</summary>
        public bool InTheWay { get; init; }

        public StoreProblemKind Kind(StoreProblemKind missing, StoreProblemKind damaged) =>
            InTheWay ? StoreProblemKind.Foreign : Unreadable ? StoreProblemKind.Unreadable : Missing ? missing : damaged;
    }

    /// <summary>
    /// What a content store holds that no row records: its own files (<c>ab/ab….ext</c>, reached without a link) are
    /// orphans; a link, a folder, a stray file at the top or a name it never writes is foreign.
    /// </summary>
    private IEnumerable<StoreProblem> Unrecorded(string folder, string extension, HashSet<string> recorded, StoreProblemKind orphan, string detail)
    {
        var root = Full(folder);
        if (!Directory.Exists(root) || OwnFiles.IsLink(root))
        {
            yield break; // a link is named once, with what to do (StoreFolderLinkedException), never walked
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", Flat).Order(StringComparer.Ordinal))
        {
            var name = System.IO.Path.GetFileName(entry);
            if (name == "tmp")
            {
                continue;
            }

            if (OwnFiles.IsLink(entry) || !Directory.Exists(entry))
            {
                yield return Foreign(entry, "not a folder of the store (a link or a stray file)");
                continue;
            }

            foreach (var path in Directory.EnumerateFileSystemEntries(entry, "*", Flat).Order(StringComparer.Ordinal))
            {
                var relative = Relative(path);
                var fileName = System.IO.Path.GetFileName(path);
                if (recorded.Contains(relative) || (fileName.StartsWith('.') && OwnFiles.IsDurableTempName(fileName)))
                {
                    continue;
                }

                yield return File.Exists(path) && !OwnFiles.IsLink(path) && OwnFiles.IsContentName(fileName, extension) && fileName.StartsWith(name, StringComparison.Ordinal)
                    ? new StoreProblem(orphan, relative, null, detail)
                    : Foreign(path, "not a file the store writes (a link, a folder or another name)");
            }
        }
    }

    private StoreProblem Foreign(string fullPath, string detail) => new(StoreProblemKind.Foreign, Relative(fullPath), null, detail);

    /// <summary>Every file below a folder, never entering a symbolic link.</summary>
    private static IEnumerable<string> WalkWithoutLinks(string folder)
    {
        var pending = new Stack<string>([folder]);
        while (pending.TryPop(out var current))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(current, "*", Flat))
            {
                if (OwnFiles.IsLink(entry))
                {
                    continue;
                }

                if (Directory.Exists(entry))
                {
                    pending.Push(entry);
                }
                else
                {
                    yield return entry;
                }
            }
        }
    }

    private string Full(string relativePath) => System.IO.Path.Combine(dataDirectory, relativePath);

    private string Relative(string fullPath) => Normal(System.IO.Path.GetRelativePath(dataDirectory, fullPath));

    private static string Normal(string relativePath) => relativePath.Replace('\\', '/');
}
