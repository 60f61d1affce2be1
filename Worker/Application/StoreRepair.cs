using Dapper;
using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Intake;
using MimeKit;

namespace MailIntake.Worker.Application;

/// <summary>What <c>store repair</c> did, and what it could not do (with why).</summary>
public sealed record RepairResult(
    int EvidenceRebuilt, int RawRecorded, int LeftoversCleared, int OrphanedEvidenceRemoved, int MailsMarkedDamaged, int MailsRevived, int DuplicatesRemoved,
    IReadOnlyList<StoreProblem> Unrepaired)
{
    /// <summary>Outbox message files no row names (a use case that rolled back), removed.</summary>
    public int OutboundOrphansRemoved { get; init; }

    /// <summary>Orphaned raw files whose name was not their content's SHA-256: recorded under their true name, the misnamed copy removed.</summary>
    public int MisnamedRawRemoved { get; init; }

    /// <summary>Mails recorded earlier but not processed (a run or repair stopped in between, a passing error), processed now.</summary>
    public int PendingProcessed { get; init; }
}

/// <summary>
/// <c>store repair</c>: rebuilds from the raw mail what derives from it. A raw file no row records (kept, then the
/// process stopped) is recorded and processed like a mail just fetched — first, so that what it refers to is known;
/// evidence files missing or damaged are decoded again from the mail that carried them; temporary files of unfinished
/// writes and evidence files no row refers to (checked again just before) are removed. A raw file missing or damaged
/// cannot be rebuilt — it is the source — so its mail is set aside as damaged, and comes back once its file is restored
/// from a backup. Only the store's own files are ever removed: a link, a folder or a foreign name is reported, never
/// followed or deleted. One obstacle stops nothing: it is reported and the rest goes on.
/// </summary>
public sealed class StoreRepair(
    Database database, StoreVerifier verifier, ContentStore evidenceStore, ContentStore rawStore, IntakeProcessor intake,
    MailRepository mails, RestoredMails restored, TimeProvider time, string dataDirectory)
{
    /// <summary>
    /// Whether repair can deal with a problem of this kind by itself (rebuild from raw mail, record, clear); a raw file
    /// lost or altered, a foreign or unreadable file and the database's own problems need a backup or a person.
    /// Evidence is repairable while the raw mail that carried it is whole.
    /// </summary>
    public static bool CanRepair(StoreProblem problem) => CanRepair(problem.Kind) && !problem.RawLostToo;

    public static bool CanRepair(StoreProblemKind kind) => kind is StoreProblemKind.EvidenceMissing or StoreProblemKind.EvidenceDamaged
        or StoreProblemKind.RawOrphaned or StoreProblemKind.EvidenceOrphaned or StoreProblemKind.OutboundOrphaned or StoreProblemKind.Leftover;

    public async Task<RepairResult> RepairAsync(CancellationToken cancellationToken)
    {
        var report = await verifier.VerifyAsync(cancellationToken);
        int rebuilt = 0, recorded = 0, cleared = 0, removed = 0, damaged = 0, duplicates = 0, outboundRemoved = 0, misnamed = 0;
        var unrepaired = new List<StoreProblem>();
        foreach (var problem in report.Problems.OrderBy(problem => problem.Kind == StoreProblemKind.RawOrphaned ? 0 : 1))
        {
            try
            {
                switch (problem.Kind)
                {
                    case StoreProblemKind.EvidenceMissing or StoreProblemKind.EvidenceDamaged:
                        if (await RebuildEvidenceAsync(problem.Path, cancellationToken))
                        {
                            rebuilt++;
                        }
                        else
                        {
                            unrepaired.Add(problem with { Detail = "the raw mail that carried it is gone or no longer holds it" });
                        }

                        break;
                    case StoreProblemKind.RawOrphaned:
                        RecordResult ingested;
                        await using (var raw = UnixFiles.OpenRegular(rawStore.FullPath(problem.Path)))
                        {
                            // Written when the mail arrived and never changed after: its time is the arrival's (a repair after
                            // an older database was restored must not re-date replies to the day of the repair).
                            var written = new DateTimeOffset(File.GetLastWriteTimeUtc(rawStore.FullPath(problem.Path)), TimeSpan.Zero);
                            ingested = await intake.IngestAsync(raw, $"store-repair:{problem.Path}", checkpoint: null, cancellationToken, written);
                        }

                        if (ingested.IsNew)
                        {
                            recorded++;
                        }
                        else
                        {
                            // Another delivery of a mail already recorded: intake did not keep its bytes.
                            duplicates++;
                        }

                        // A file whose name is not its content's hash stays where it was while its bytes are now kept
                        // (or known) under their true name: that copy goes, or every repair would record it again.
                        if (!mails.IsRawRecorded(problem.Path)
                            && OwnFiles.DeleteIfOwn(dataDirectory, problem.Path, name => OwnFiles.IsContentName(name, ".eml")))
                        {
                            misnamed++;
                        }

                        break;
                    case StoreProblemKind.Leftover:
                        if (OwnFiles.DeleteIfOwn(dataDirectory, problem.Path, name => OwnFiles.IsStoreTempName(name) || OwnFiles.IsDurableTempName(name)))
                        {
                            cleared++;
                        }
                        else
                        {
                            unrepaired.Add(problem with { Kind = StoreProblemKind.Foreign, Detail = "not the store's own file: left alone" });
                        }

                        break;
                    case StoreProblemKind.EvidenceOrphaned:
                        // Recording an orphaned raw mail above may have filed this very file: only what no row names now goes.
                        if (EvidenceRecorded(Path.GetFileNameWithoutExtension(problem.Path)))
                        {
                            break;
                        }

                        if (OwnFiles.DeleteIfOwn(dataDirectory, problem.Path, name => OwnFiles.IsContentName(name, ".bin")))
                        {
                            removed++;
                        }
                        else
                        {
                            unrepaired.Add(problem with { Kind = StoreProblemKind.Foreign, Detail = "not the store's own file: left alone" });
                        }

                        break;
                    case StoreProblemKind.OutboundOrphaned:
                        // Written by a use case that rolled back: redoing it writes the same file again, so none is lost.
                        if (OutboundRecorded(problem.Path))
                        {
                            break;
                        }

                        if (OwnFiles.DeleteIfOwn(dataDirectory, problem.Path, name => OwnFiles.IsContentName(name, ".eml")))
                        {
                            outboundRemoved++;
                        }
                        else
                        {
                            unrepaired.Add(problem with { Kind = StoreProblemKind.Foreign, Detail = "not the store's own file: left alone" });
                        }

                        break;
                    case StoreProblemKind.RawMissing or StoreProblemKind.RawDamaged:
                        if (problem.MailId is { } mailId && mails.Get(mailId)?.Kind != MailKind.Damaged)
                        {
                            mails.MarkDamaged(mailId, problem.Kind == StoreProblemKind.RawMissing
                                ? $"原始檔不存在（{problem.Path}），無法處理；請由備份還原"
                                : $"原始檔內容與收件時不符（{problem.Path}），可能已損壞；請由備份還原", time.GetUtcNow());
                            damaged++;
                        }

                        unrepaired.Add(problem with { Detail = "the raw mail is the source: restore it from a backup" });
                        break;
                    default:
                        unrepaired.Add(problem);
                        break;
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                unrepaired.Add(problem with { Detail = exception is UnauthorizedAccessException ? "permission denied" : exception.Message.ReplaceLineEndings(" ") });
            }
        }

        var revived = await restored.ReviveAsync(cancellationToken);
        // What an earlier repair or run recorded but did not get to process (killed in between) is finished here too,
        // whatever its retry time: verify sees no problem in it, so no later repair would.
        var pending = await intake.ProcessPendingAsync(cancellationToken, retryAll: true);
        return new RepairResult(rebuilt, recorded, cleared, removed, damaged, revived, duplicates, unrepaired)
        {
            OutboundOrphansRemoved = outboundRemoved,
            MisnamedRawRemoved = misnamed,
            PendingProcessed = pending,
        };
    }

    private static async Task<string> DecodedSha256Async(IMimeContent content, CancellationToken cancellationToken)
    {
        using var sha = System.Security.Cryptography.SHA256.Create();
        await using (var sink = new System.Security.Cryptography.CryptoStream(Stream.Null, sha, System.Security.Cryptography.CryptoStreamMode.Write))
        {
            await content.DecodeToAsync(sink, cancellationToken);
        }

        return Convert.ToHexStringLower(sha.Hash!);
    }

    private bool OutboundRecorded(string mimePath)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM outbound WHERE mime_path = @mimePath)", new { mimePath });
    }

    private bool EvidenceRecorded(string sha256)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM evidence WHERE sha256 = @sha256)", new { sha256 });
    }

    /// <summary>Decodes every attachment of each mail that recorded this evidence file again; true once the file is whole.</summary>
    private async Task<bool> RebuildEvidenceAsync(string evidencePath, CancellationToken cancellationToken)
    {
        var sha256 = Path.GetFileNameWithoutExtension(evidencePath);
        List<(string RawPath, long Size)> sources;
        using (var connection = database.Open())
        {
            sources = connection.Query<(string RawPath, long Size)>(
                """
                SELECT m.raw_path AS RawPath, e.size AS Size FROM evidence e JOIN mails m ON m.id = e.mail_id
                WHERE e.sha256 = @sha256 ORDER BY m.id
                """,
                new { sha256 }).ToList();
        }

        foreach (var (rawPath, size) in sources)
        {
            if (!File.Exists(rawStore.FullPath(rawPath)))
            {
                continue;
            }

            MimeMessage message;
            await using (var raw = UnixFiles.OpenRegular(rawStore.FullPath(rawPath)))
            {
                message = MailParserOptions.Load(raw);
            }

            foreach (var attachment in MailReader.Read(message).Attachments.Where(attachment => attachment.Part.Content is not null))
            {
                // Only the attachment that decodes to this very file is saved (the store replaces a damaged copy when the
                // same content is saved again): a raw mail damaged inside another attachment must not leave a new orphan.
                if (await DecodedSha256Async(attachment.Part.Content!, cancellationToken) == sha256)
                {
                    await evidenceStore.SaveAsync((target, token) => attachment.Part.Content!.DecodeToAsync(target, token), cancellationToken);
                }
            }

            if (await ContentStore.HoldsAsync(evidenceStore.FullPath(evidencePath), sha256, size, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }
}
