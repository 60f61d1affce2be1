using Dapper;
using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Intake;
using MimeKit;

namespace MailIntake.Worker.Application;

/// <summary>What <c>store repair</c> did, and what it could not do (with why).</summary>
public sealed record RepairResult(
    int EvidenceRebuilt, int RawRecorded, int LeftoversCleared, int OrphanedEvidenceRemoved, int MailsMarkedDamaged,
    IReadOnlyList<StoreProblem> Unrepaired);

/// <summary>
/// <c>store repair</c>: rebuilds from the raw mail what derives from it. Evidence files missing or damaged are decoded
/// again from the mail that carried them; a raw file no row records (kept, then the process stopped) is recorded and
/// processed like a mail just fetched; temporary files of unfinished writes and evidence files no row refers to are
/// removed (both can be made again from the raw mail). A raw file missing or damaged cannot be rebuilt — it is the
/// source — so its mail is set aside as damaged and the backup is where it comes back from.
/// </summary>
public sealed class StoreRepair(
    Database database, StoreVerifier verifier, ContentStore evidenceStore, ContentStore rawStore, IntakeProcessor intake,
    MailRepository mails, TimeProvider time)
{
    public async Task<RepairResult> RepairAsync(CancellationToken cancellationToken)
    {
        var report = await verifier.VerifyAsync(cancellationToken);
        int rebuilt = 0, recorded = 0, cleared = 0, removed = 0, damaged = 0;
        var unrepaired = new List<StoreProblem>();
        foreach (var problem in report.Problems)
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
                    await using (var raw = File.OpenRead(rawStore.FullPath(problem.Path)))
                    {
                        await intake.IngestAsync(raw, $"store-repair:{problem.Path}", checkpoint: null, cancellationToken);
                    }

                    recorded++;
                    break;
                case StoreProblemKind.Leftover:
                    File.Delete(rawStore.FullPath(problem.Path));
                    cleared++;
                    break;
                case StoreProblemKind.EvidenceOrphaned:
                    File.Delete(evidenceStore.FullPath(problem.Path));
                    removed++;
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

        return new RepairResult(rebuilt, recorded, cleared, removed, damaged, unrepaired);
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
            await using (var raw = File.OpenRead(rawStore.FullPath(rawPath)))
            {
                message = MailParserOptions.Load(raw);
            }

            foreach (var attachment in MailReader.Read(message).Attachments.Where(attachment => attachment.Part.Content is not null))
            {
                // The store replaces a damaged copy when the same content is saved again.
                await evidenceStore.SaveAsync((target, token) => attachment.Part.Content!.DecodeToAsync(target, token), cancellationToken);
            }

            if (await ContentStore.HoldsAsync(evidenceStore.FullPath(evidencePath), sha256, size, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }
}
