using System.Data;
using Dapper;

namespace MailIntake.Storage;

public sealed class EvidenceRepository(Database database)
{
    public IReadOnlyList<StoredEvidence> ListForMail(long mailId)
    {
        using var connection = database.Open();
        return ListForMails(connection, [mailId]);
    }

    /// <summary>The evidence of the given mails, or of every mail when <paramref name="mailIds"/> is null.</summary>
    internal static IReadOnlyList<StoredEvidence> ListForMails(IDbConnection connection, IReadOnlyCollection<long>? mailIds, IDbTransaction? transaction = null) =>
        connection.Query<EvidenceRow>(
                $"""
                SELECT e.mail_id AS MailId, e.file_name AS FileName, e.sha256 AS Sha256, e.size AS Size,
                       e.item AS Item, e.flags AS Flags
                FROM evidence e {(mailIds is null ? "" : "WHERE e.mail_id IN @mailIds")} ORDER BY e.mail_id, e.ordinal
                """,
                new { mailIds },
                transaction)
            .Select(row => row.ToEvidence())
            .ToList();

    /// <summary>The evidence of the replies <paramref name="where"/> picks (a condition on <c>replies r</c> and <c>mails m</c>).</summary>
    internal static IReadOnlyList<StoredEvidence> ListForReplies(IDbConnection connection, string where, object parameters, IDbTransaction? transaction) =>
        connection.Query<EvidenceRow>(
                $"""
                SELECT e.mail_id AS MailId, e.file_name AS FileName, e.sha256 AS Sha256, e.size AS Size,
                       e.item AS Item, e.flags AS Flags
                FROM evidence e JOIN replies r ON r.mail_id = e.mail_id JOIN mails m ON m.id = r.mail_id
                {where} ORDER BY e.mail_id, e.ordinal
                """,
                parameters,
                transaction)
            .Select(row => row.ToEvidence())
            .ToList();

    /// <summary>Writes a mail's evidence rows; processing a mail again (after a crash) replaces them rather than doubling them.</summary>
    internal static void Replace(IDbConnection connection, IDbTransaction transaction, long mailId, IReadOnlyList<EvidenceFile> files)
    {
        connection.Execute("DELETE FROM evidence WHERE mail_id = @mailId", new { mailId }, transaction);
        for (var ordinal = 0; ordinal < files.Count; ordinal++)
        {
            var file = files[ordinal];
            connection.Execute(
                """
                INSERT INTO evidence (mail_id, ordinal, file_name, original_name, sha256, size, item, flags, content_type)
                VALUES (@mailId, @ordinal, @FileName, @OriginalName, @sha256, @size, @Item, @flags, @ContentType)
                """,
                new
                {
                    mailId,
                    ordinal,
                    file.FileName,
                    file.OriginalName,
                    sha256 = file.Stored.Sha256,
                    size = file.Stored.Size,
                    file.Item,
                    flags = string.Join(',', file.Flags),
                    file.ContentType,
                },
                transaction);
        }
    }

    private sealed record EvidenceRow(long MailId, string FileName, string Sha256, long Size, long? Item, string Flags)
    {
        public StoredEvidence ToEvidence() => new(
            MailId, FileName, Sha256, Size, Item is null ? null : (int)Item.Value,
            Flags.Split(',', StringSplitOptions.RemoveEmptyEntries),
            Path.Combine("evidence", Sha256[..2], Sha256 + ".bin"));
    }
}
