using Dapper;

namespace MailIntake.Storage;

/// <summary>One thing wrong: its kind, the file (relative to DataDirectory) and, where one is concerned, the mail.</summary>
public sealed record StoreProblem(StoreProblemKind Kind, string Path, long? MailId, string Detail);

public sealed record StoreReport(int RawChecked, int EvidenceChecked, int OutboundChecked, IReadOnlyList<StoreProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
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

    public async Task<StoreReport> VerifyAsync(CancellationToken cancellationToken)
    {
        var problems = new List<StoreProblem>();
        using var connection = database.Open();
        problems.AddRange(connection.Query<string>("PRAGMA integrity_check")
            .Where(line => line != "ok")
            .Select(line => new StoreProblem(StoreProblemKind.Database, System.IO.Path.GetFileName(database.Path), null, line)));
        problems.AddRange(connection.Query<(string Table, long? RowId, string Parent)>("PRAGMA foreign_key_check")
            .Select(row => new StoreProblem(StoreProblemKind.Database, System.IO.Path.GetFileName(database.Path), null,
                $"foreign key: {row.Table} row {row.RowId} points to a missing {row.Parent} row")));

        var raws = connection.Query<(long Id, string RawPath, string Sha256, long Size)>(
            "SELECT id, raw_path, sha256, size FROM mails ORDER BY id").ToList();
        foreach (var raw in raws)
        {
            if (await CheckAsync(raw.RawPath, raw.Sha256, raw.Size, cancellationToken) is { } damage)
            {
                problems.Add(new StoreProblem(damage ? StoreProblemKind.RawDamaged : StoreProblemKind.RawMissing, raw.RawPath, raw.Id,
                    damage ? "content differs from its SHA-256 or size" : "no such file"));
            }
        }

        var evidence = connection.Query<(long MailId, string Sha256, long Size)>(
            "SELECT mail_id, sha256, size FROM evidence WHERE (',' || flags || ',') NOT LIKE '%,not-stored,%' ORDER BY mail_id, ordinal").ToList();
        var evidencePaths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in evidence)
        {
            var path = EvidencePath(file.Sha256);
            if (evidencePaths.Add(path) && await CheckAsync(path, file.Sha256, file.Size, cancellationToken) is { } damage)
            {
                problems.Add(new StoreProblem(damage ? StoreProblemKind.EvidenceDamaged : StoreProblemKind.EvidenceMissing, path, file.MailId,
                    damage ? "content differs from its SHA-256 or size" : "no such file"));
            }
        }

        var outbound = connection.Query<(string MimePath, string Status)>("SELECT mime_path, status FROM outbound WHERE status = 'queued'").ToList();
        problems.AddRange(outbound
            .Where(mail => !File.Exists(Full(mail.MimePath)))
            .Select(mail => new StoreProblem(StoreProblemKind.OutboundMissing, mail.MimePath, null, "a queued mail's message file is gone")));

        var recordedRaw = raws.Select(raw => Normal(raw.RawPath)).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(StoredFiles(RawFolder)
            .Where(path => !recordedRaw.Contains(path))
            .Select(path => new StoreProblem(StoreProblemKind.RawOrphaned, path, null, "kept raw but not recorded")));
        problems.AddRange(StoredFiles(EvidenceFolder)
            .Where(path => !evidencePaths.Contains(path))
            .Select(path => new StoreProblem(StoreProblemKind.EvidenceOrphaned, path, null, "no evidence row refers to it")));
        problems.AddRange(Leftovers().Select(path => new StoreProblem(StoreProblemKind.Leftover, path, null, "temporary file of a write that never finished")));

        return new StoreReport(raws.Count, evidencePaths.Count, outbound.Count, problems);
    }

    /// <summary>Half-written files: anything in a store's tmp folder, and DurableFile's hidden temporaries anywhere.</summary>
    public IReadOnlyList<string> Leftovers()
    {
        var leftovers = new List<string>();
        foreach (var folder in new[] { RawFolder, EvidenceFolder })
        {
            var temp = Full(System.IO.Path.Combine(folder, "tmp"));
            if (Directory.Exists(temp))
            {
                leftovers.AddRange(Directory.EnumerateFiles(temp).Select(Relative));
            }
        }

        leftovers.AddRange(Directory.EnumerateFiles(dataDirectory, ".*.tmp", SearchOption.AllDirectories).Select(Relative));
        return leftovers.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    public static string EvidencePath(string sha256) => System.IO.Path.Combine(EvidenceFolder, sha256[..2], sha256 + ".bin");

    /// <summary>Null when the file holds that content; false when it is missing; true when it is there but different.</summary>
    private async Task<bool?> CheckAsync(string relativePath, string sha256, long size, CancellationToken cancellationToken)
    {
        var path = Full(relativePath);
        if (!File.Exists(path))
        {
            return false;
        }

        return await ContentStore.HoldsAsync(path, sha256, size, cancellationToken) ? null : true;
    }

    /// <summary>Files a content store keeps (its two-letter folders), relative to DataDirectory.</summary>
    private IEnumerable<string> StoredFiles(string folder)
    {
        var root = Full(folder);
        return Directory.Exists(root)
            ? Directory.EnumerateDirectories(root)
                .Where(sub => System.IO.Path.GetFileName(sub) != "tmp")
                .SelectMany(sub => Directory.EnumerateFiles(sub))
                .Where(path => !System.IO.Path.GetFileName(path).StartsWith('.'))
                .Select(Relative)
                .Order(StringComparer.Ordinal)
            : [];
    }

    private string Full(string relativePath) => System.IO.Path.Combine(dataDirectory, relativePath);

    private string Relative(string fullPath) => Normal(System.IO.Path.GetRelativePath(dataDirectory, fullPath));

    private static string Normal(string relativePath) => relativePath.Replace('\\', '/');
}
