using Dapper;
using MailIntake.Parsing;

namespace MailIntake.Storage;

public sealed class NoticeRepository(Database database)
{
    private const string SelectNotice = """
        SELECT n.id AS Id, n.reference AS Reference, n.org_code AS OrgCode, n.org_name AS OrgName, n.status AS Status,
               n.host_ip AS HostIp, n.malicious_ips AS MaliciousIps, n.incident_from AS IncidentFrom,
               n.incident_to AS IncidentTo, n.deadline AS Deadline, n.original_deadline AS DeadlineIssued,
               n.items AS Items, n.issued_at AS IssuedAt, n.custom_items AS CustomItems
        FROM notices n JOIN organisations o ON o.code = n.org_code
        """;

    /// <summary>
    /// Creates the notice with the next reference of its ROC year (TN-115-0001, … TN-115-10000), keeping the
    /// organisation's name as it is sent (a later rename in the registry does not rewrite the notice).
    /// </summary>
    public static Notice Create(StorageSession session, NewNotice notice, int rocYear, DateTimeOffset now) =>
        Create(session, notice, rocYear, now, out _);

    /// <summary>
    /// <see cref="Create(StorageSession, NewNotice, int, DateTimeOffset)"/>, passing over the next references a recorded
    /// mail's subject already names though no notice here has them (<paramref name="skipped"/>): after a restore of an
    /// older backup, notices issued since are not in the store, but the replies read again name them — such a reference
    /// is on another organisation's paper and mail and is never handed out again (h30h P8).
    /// </summary>
    public static Notice Create(StorageSession session, NewNotice notice, int rocYear, DateTimeOffset now, out IReadOnlyList<string> skipped)
    {
        var prefix = NoticeReference.Prefix(rocYear);
        // Numeric, not textual: "TN-115-10000" sorts before "TN-115-9999" as text.
        var last = session.Connection.ExecuteScalar<long?>(
            "SELECT MAX(CAST(substr(reference, length(@prefix) + 1) AS INTEGER)) FROM notices WHERE reference LIKE @pattern",
            new { prefix, pattern = prefix + "%" },
            session.Transaction);
        var named = NamedInMailSubjects(session, rocYear);
        var sequence = (int)(last ?? 0) + 1;
        var passed = new List<string>();
        while (named.Contains(NoticeReference.Format(rocYear, sequence)))
        {
            passed.Add(NoticeReference.Format(rocYear, sequence++));
        }

        skipped = passed;
        var reference = NoticeReference.Format(rocYear, sequence);
        var id = session.Connection.ExecuteScalar<long>(
            """
            INSERT INTO notices (reference, org_code, org_name, status, host_ip, malicious_ips, incident_from, incident_to, deadline, original_deadline, items, issued_at, custom_items)
            VALUES (@reference, @OrgCode, (SELECT name FROM organisations WHERE code = @OrgCode), @status, @HostIp, @maliciousIps, @incidentFrom, @incidentTo, @deadline, @deadline, @items, @issuedAt, @customItems)
            RETURNING id
            """,
            new
            {
                reference,
                notice.OrgCode,
                status = StoredCodes.Text(NoticeStatus.Issued),
                notice.HostIp,
                maliciousIps = string.Join(',', notice.MaliciousIps),
                incidentFrom = Instants.FormatDate(notice.IncidentFrom),
                incidentTo = Instants.FormatDate(notice.IncidentTo),
                deadline = Instants.FormatDate(notice.Deadline),
                items = string.Join('\n', notice.Items),
                issuedAt = Instants.Format(now),
                customItems = notice.CustomItems ? 1 : 0,
            },
            session.Transaction);
        return Get(session, id) ?? throw new InvalidOperationException($"notice {reference} vanished after insert");
    }

    /// <summary>The references of <paramref name="rocYear"/> recorded mails' subjects name.</summary>
    private static HashSet<string> NamedInMailSubjects(StorageSession session, int rocYear)
    {
        var year = rocYear.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
        var fullWidthYear = string.Concat(year.Select(digit => (char)(digit - '0' + '０')));
        return session.Connection.Query<string>(
                "SELECT subject FROM mails WHERE subject LIKE @half OR subject LIKE @full",
                new { half = $"%{year}%", full = $"%{fullWidthYear}%" },
                session.Transaction)
            .SelectMany(NoticeReference.FindAll)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Moves the notice from <paramref name="expected"/> to <paramref name="next"/> (and to a new current deadline),
    /// only if it still is <paramref name="expected"/>: false when another change came first.
    /// </summary>
    public static bool Transition(StorageSession session, long noticeId, NoticeStatus expected, NoticeStatus next, DateOnly? deadline = null) =>
        session.Connection.Execute(
            """
            UPDATE notices SET status = @next, deadline = COALESCE(@deadline, deadline)
            WHERE id = @noticeId AND status = @expected
            """,
            new
            {
                noticeId,
                expected = StoredCodes.Text(expected),
                next = StoredCodes.Text(next),
                deadline = deadline is { } date ? Instants.FormatDate(date) : null,
            },
            session.Transaction) == 1;

    /// <summary>
    /// Moves the deadline of a notice whose own mail is only now leaving (it waited in the outbox past the day it was
    /// written): the deadline it is sent with is its deadline as issued and in force. False when the notice changed meanwhile.
    /// </summary>
    public static bool Redate(StorageSession session, long noticeId, DateOnly expected, DateOnly deadline) =>
        session.Connection.Execute(
            """
            UPDATE notices SET deadline = @deadline, original_deadline = @deadline
            WHERE id = @noticeId AND deadline = @expected AND original_deadline = @expected AND status NOT IN @closed
            """,
            new { noticeId, expected = Instants.FormatDate(expected), deadline = Instants.FormatDate(deadline), closed = StoredCodes.ClosedStatuses },
            session.Transaction) == 1;

    /// <summary>An open notice to the organisation for the same incident: computer, malicious addresses (in any order) and period.</summary>
    public static Notice? FindOpenForIncident(
        StorageSession session, string orgCode, string hostIp, IReadOnlyList<string> maliciousIps, DateOnly from, DateOnly to) =>
        ListOpenForIncident(session, orgCode, hostIp, maliciousIps, from, to).FirstOrDefault();

    /// <summary>Every open notice to the organisation for this incident (computer, malicious IPs in any order, period), oldest first.</summary>
    public static IReadOnlyList<Notice> ListOpenForIncident(
        StorageSession session, string orgCode, string hostIp, IReadOnlyList<string> maliciousIps, DateOnly from, DateOnly to) =>
        session.Connection.Query<NoticeRow>(
                SelectNotice + " WHERE n.org_code = @orgCode AND n.host_ip = @hostIp AND n.incident_from = @from AND n.incident_to = @to AND n.status NOT IN @closed ORDER BY n.id",
                new { orgCode, hostIp, from = Instants.FormatDate(from), to = Instants.FormatDate(to), closed = StoredCodes.ClosedStatuses },
                session.Transaction)
            .Select(row => row.ToNotice())
            .Where(notice => notice.MaliciousIps.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(maliciousIps.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase))
            .ToList();

    /// <summary>
    /// The notice's state as a mail to it is written: status, current deadline, the replies filed, the calls and the
    /// rounds recorded. A queued reminder or receipt keeps it; another value when the mail is sent means the notice changed.
    /// </summary>
    public static string State(StorageSession session, long id) =>
        session.Connection.ExecuteScalar<string>(
            """
            SELECT n.status || '|' || n.deadline
                   || '|' || (SELECT COUNT(*) || ':' || IFNULL(MAX(mail_id), 0) FROM replies WHERE notice_id = n.id)
                   || '|' || (SELECT COUNT(*) FROM phone_confirmations WHERE notice_id = n.id)
                   || '|' || (SELECT COUNT(*) FROM follow_ups WHERE notice_id = n.id)
            FROM notices n WHERE n.id = @id
            """,
            new { id },
            session.Transaction) ?? string.Empty;

    public static Notice? Get(StorageSession session, long id) =>
        session.Connection.QuerySingleOrDefault<NoticeRow>(SelectNotice + " WHERE n.id = @id", new { id }, session.Transaction)?.ToNotice();

    public static Notice? Get(StorageSession session, string reference) =>
        session.Connection.QuerySingleOrDefault<NoticeRow>(SelectNotice + " WHERE n.reference = @reference", new { reference }, session.Transaction)?.ToNotice();

    public Notice? Get(string reference)
    {
        using var connection = database.Open();
        return connection.QuerySingleOrDefault<NoticeRow>(SelectNotice + " WHERE n.reference = @reference", new { reference })?.ToNotice();
    }

    public Notice? Get(long id)
    {
        using var connection = database.Open();
        return connection.QuerySingleOrDefault<NoticeRow>(SelectNotice + " WHERE n.id = @id", new { id })?.ToNotice();
    }

    public IReadOnlyList<Notice> List(NoticeStatus? status = null)
    {
        using var connection = database.Open();
        return connection.Query<NoticeRow>(
                SelectNotice + " WHERE (@status IS NULL OR n.status = @status) ORDER BY n.id",
                new { status = status is { } value ? StoredCodes.Text(value) : null })
            .Select(row => row.ToNotice())
            .ToList();
    }

    /// <summary>Notices still waiting for their organisation: everything not completed or suspended.</summary>
    public IReadOnlyList<Notice> ListOpen()
    {
        using var connection = database.Open();
        return connection.Query<NoticeRow>(SelectNotice + " WHERE n.status NOT IN @closed ORDER BY n.id", new { closed = StoredCodes.ClosedStatuses })
            .Select(row => row.ToNotice())
            .ToList();
    }

    private sealed record NoticeRow(
        long Id, string Reference, string OrgCode, string OrgName, string Status, string HostIp, string MaliciousIps,
        string IncidentFrom, string IncidentTo, string Deadline, string DeadlineIssued, string Items, string IssuedAt, long CustomItems)
    {
        public Notice ToNotice() => new(
            Id, Reference, OrgCode, OrgName, StoredCodes.NoticeStatusOf(Status), HostIp,
            MaliciousIps.Split(',', StringSplitOptions.RemoveEmptyEntries),
            Instants.ParseDate(IncidentFrom), Instants.ParseDate(IncidentTo), Instants.ParseDate(Deadline), Instants.ParseDate(DeadlineIssued),
            Items.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Instants.Parse(IssuedAt),
            CustomItems != 0);
    }
}
