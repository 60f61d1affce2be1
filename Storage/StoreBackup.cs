using System.IO.Compression;
using Dapper;
using Microsoft.Data.Sqlite;

namespace MailIntake.Storage;

public sealed record BackupSummary(int Mails, int RawFiles, int EvidenceFiles, int OutboundFiles, int OtherFiles, long Bytes);

/// <summary>
/// <c>backup FILE</c> and <c>restore FILE --to DIR</c>: one zip of a consistent snapshot, safe while the worker runs.
/// The database is copied by SQLite itself (VACUUM INTO, a read transaction: one moment, whatever the worker writes
/// meanwhile); then exactly the raw, evidence and outbox files that snapshot refers to. Those files are written before
/// their rows and never changed after, so every one the snapshot names is on disk, whole.
/// </summary>
public static class StoreBackup
{
    private const string DatabaseEntry = "mailintake.db";

    // Never part of a backup: the live database (the snapshot stands for it) and the running worker's lock.
    private static readonly string[] NotCopied = ["mailintake.db", "mailintake.db-wal", "mailintake.db-shm", "mailintake.db-journal", "worker.lock", "worker.pid"];

    public static async Task<BackupSummary> CreateAsync(Database database, string dataDirectory, string backupFile, CancellationToken cancellationToken)
    {
        var snapshot = Path.Combine(dataDirectory, $".backup-{Guid.NewGuid():N}.db.tmp");
        try
        {
            using (var connection = database.Open())
            {
                connection.Execute("VACUUM INTO @snapshot", new { snapshot });
            }

            List<string> raw, evidence, outbound;
            int mails;
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = snapshot, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
            {
                connection.Open();
                mails = connection.ExecuteScalar<int>("SELECT COUNT(*) FROM mails");
                raw = connection.Query<string>("SELECT DISTINCT raw_path FROM mails").ToList();
                evidence = connection.Query<string>("SELECT DISTINCT sha256 FROM evidence WHERE (',' || flags || ',') NOT LIKE '%,not-stored,%'")
                    .Select(StoreVerifier.EvidencePath).ToList();
                outbound = connection.Query<string>("SELECT DISTINCT mime_path FROM outbound").ToList();
            }

            var others = Directory.EnumerateFiles(dataDirectory)
                .Select(Path.GetFileName).OfType<string>()
                .Where(name => !NotCopied.Contains(name, StringComparer.Ordinal) && !name.StartsWith('.'))
                .ToList();
            long bytes = 0;
            await DurableFile.WriteAsync(backupFile, async (stream, token) =>
            {
                using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
                bytes += await AddAsync(zip, snapshot, DatabaseEntry, token);
                foreach (var path in raw.Concat(evidence).Concat(outbound).Concat(others))
                {
                    var full = Path.Combine(dataDirectory, path);
                    // An outbox message may be gone once sent and cleared; a raw or evidence file gone is what verify reports.
                    if (File.Exists(full))
                    {
                        bytes += await AddAsync(zip, full, path.Replace('\\', '/'), token);
                    }
                }
            }, cancellationToken);
            return new BackupSummary(mails, raw.Count, evidence.Count, outbound.Count, others.Count, bytes);
        }
        finally
        {
            File.Delete(snapshot);
        }
    }

    /// <summary>Unpacks a backup into <paramref name="target"/>, which must be empty or not exist yet.</summary>
    public static async Task<int> RestoreAsync(string backupFile, string target, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(target);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new IOException($"restore target {root} is not empty");
        }

        DurableFile.CreateDirectory(root);
        await using var input = File.OpenRead(backupFile);
        using var zip = new ZipArchive(input, ZipArchiveMode.Read);
        if (zip.GetEntry(DatabaseEntry) is null)
        {
            throw new InvalidDataException($"{backupFile} is not a MailIntake backup (no {DatabaseEntry})");
        }

        var files = 0;
        foreach (var entry in zip.Entries.Where(entry => entry.FullName.Length > 0 && !entry.FullName.EndsWith('/')))
        {
            var path = Path.GetFullPath(Path.Combine(root, entry.FullName));
            if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{backupFile}: entry {entry.FullName} points outside the target");
            }

            await using var content = entry.Open();
            await DurableFile.WriteAsync(path, (stream, token) => content.CopyToAsync(stream, token), cancellationToken);
            files++;
        }

        return files;
    }

    private static async Task<long> AddAsync(ZipArchive zip, string file, string name, CancellationToken cancellationToken)
    {
        // Raw mail and attachments are mostly compressed already (base64 aside): fastest keeps a backup quick.
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        await using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.Asynchronous);
        await using var target = entry.Open();
        await source.CopyToAsync(target, cancellationToken);
        return source.Length;
    }
}
