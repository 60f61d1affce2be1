using Dapper;

namespace MailIntake.Storage;

/// <summary>An action link that was used: by whom, with which mail, for which notice.</summary>
public sealed record UsedAction(string Nonce, string Action, string Target, string Member, long MailId, long? NoticeId, DateTimeOffset UsedAt);

/// <summary>The used action links (single use).</summary>
public sealed class StaffActionRepository(Database database)
{
    public UsedAction? Find(string nonce)
    {
        using var connection = database.Open();
        return connection.Query<(string Nonce, string Action, string Target, string Member, long MailId, long? NoticeId, string UsedAt)>(
                """
                SELECT nonce, action, target, member, mail_id, notice_id, used_at
                FROM staff_actions WHERE nonce = @nonce
                """,
                new { nonce })
            .Select(row => new UsedAction(row.Nonce, row.Action, row.Target, row.Member, row.MailId, row.NoticeId, Instants.Parse(row.UsedAt)))
            .SingleOrDefault();
    }

    /// <summary>
    /// Marks the link used inside a use case's session; false when it was used already (the caller then throws, so the
    /// session rolls back and the action's change with it).
    /// </summary>
    public static bool TryUse(StorageSession session, UsedAction used) =>
        session.Connection.Execute(
            """
            INSERT INTO staff_actions (nonce, action, target, member, mail_id, notice_id, used_at)
            VALUES (@Nonce, @Action, @Target, @Member, @MailId, @NoticeId, @UsedAt)
            ON CONFLICT (nonce) DO NOTHING
            """,
            new { used.Nonce, used.Action, used.Target, used.Member, used.MailId, used.NoticeId, UsedAt = Instants.Format(used.UsedAt) },
            session.Transaction) == 1;
}
