using MailIntake.Parsing;
using MailIntake.Parsing.StaffActions;
using MailIntake.Storage;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Application;

public sealed record AssignMailCommand(long MailId, string Reference);

/// <summary>A mail filed under <see cref="Notice"/> by staff; <see cref="ReceivedAt"/> its arrival, which may be before the notice's issue.</summary>
public sealed record MailAssigned(Notice Notice, long MailId, bool ReceiptQueued, DateTimeOffset ReceivedAt)
{
    /// <summary>The other organisations that registered the mail's sender (「CODE 名稱」): staff are told (h30h P9).</summary>
    public IReadOnlyList<string> SenderElsewhere { get; init; } = [];

    /// <summary>
    /// What staff are told it did (zh-TW): filed, and when the mail came before the notice (h23h N2) or from an address
    /// another organisation registered (h30h P9), that too.
    /// </summary>
    public string Text(TimeZoneInfo zone) =>
        $"郵件 #{MailId} 已歸入限期改善單 {Notice.Reference}（{Notice.OrgCode} {Notice.OrgName}）"
        + (ReceivedAt < Notice.IssuedAt && Labels.Moments(ReceivedAt, Notice.IssuedAt, zone) is var (came, issued)
            ? $"；注意：本郵件於{came}收到，早於本限期改善單之開立（{issued}），回執已如實告知機關"
            : string.Empty)
        + (SenderElsewhere.Count > 0
            ? $"；注意：寄件者登記於機關 {string.Join("、", SenderElsewhere)}，非本限期改善單之機關，回執已如實告知為該寄件者之郵件"
            : string.Empty);
}

/// <summary>Staff settle an unmatched, ambiguous or suspicious mail by naming its notice: it is filed as a reply matched by "staff", in one transaction.</summary>
public sealed class AssignMail(Database database, RecordReply replies, OutboxWriter outbox, MailIntakeOptions options)
{
    public Task<MailAssigned> ExecuteAsync(
        AssignMailCommand command, CancellationToken cancellationToken, Action<StorageSession, MailAssigned>? alongside = null)
    {
        using var session = database.Begin();
        var mail = MailRepository.Get(session, command.MailId) ?? throw new NoticeRuleException(NoticeRuleCode.MailNotFound, $"#{command.MailId}");
        if (mail.Kind is not (MailKind.Unmatched or MailKind.Ambiguous or MailKind.Suspicious) || mail.Dismissal is not null)
        {
            throw SettledMailText.Refusal(session, mail, options.Zone);
        }

        var notice = RequestChecks.Notice(session, command.Reference);
        var parsed = Read(mail, MailRepository.SourceOf(session, mail.MailId));
        if (outbox.IsOwnAddress(parsed.FromAddress))
        {
            throw new NoticeRuleException(NoticeRuleCode.MailFromCenter, $"#{command.MailId}", parsed.FromAddress);
        }

        // A member's own mail (a note answered, 已聯繫 on a prompt) is the center's traffic: filed only when it carries what
        // an organisation sent — a message forwarded inside it, a file, or a forward written inline (its quoted header).
        if (options.Staff.FindMember(parsed.FromAddress) is { } member
            && parsed.InnerFromAddresses.Count == 0 && parsed.Attachments.Count == 0 && !QuotesAForward(parsed.BodyText))
        {
            throw new NoticeRuleException(NoticeRuleCode.MailFromMemberOnly, $"#{command.MailId}", member.Name);
        }

        var filed = replies.File(session, notice, new RecordReplyCommand(command.MailId, notice.Reference, MatchMethod.Staff, parsed, Evidence: null), TimelineEvent.Assigned);
        var assigned = new MailAssigned(filed.Notice, command.MailId, filed.ReceiptQueued, mail.ReceivedAt)
        {
            SenderElsewhere = OrganisationRepository.RegisteredElsewhere(session, parsed.FromAddress, notice.OrgCode),
        };
        alongside?.Invoke(session, assigned);
        session.Commit();
        return Task.FromResult(assigned);
    }

    /// <summary>An inline forward's quoted header (Outlook's, Gmail's, in English or Chinese) on a line of its own.</summary>
    private static bool QuotesAForward(string text) =>
        text.ReplaceLineEndings("\n").Split('\n').Select(line => line.Trim().TrimStart('>').Trim()).Any(line =>
            line.StartsWith("From:", StringComparison.OrdinalIgnoreCase) || line.StartsWith("寄件者:", StringComparison.Ordinal)
            || line.StartsWith("寄件者：", StringComparison.Ordinal) || line.Contains("Forwarded message", StringComparison.OrdinalIgnoreCase)
            || line.Contains("轉寄的郵件", StringComparison.Ordinal) || line.Contains("Original Message", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The kept raw mail, read again; one that is no MIME message at all cannot be filed (it stays recorded and kept), nor
    /// can a drop-folder file read again after a restore that stops before its MIME ends: cut short on disk, what is left
    /// is no proof of what was sent, and a receipt would tell the organisation it attached nothing.
    /// </summary>
    private ParsedMail Read(MailSummary mail, string? source)
    {
        using var raw = UnixFiles.OpenRegular(Path.Combine(options.DataDirectory, mail.RawPath));
        MimeKit.MimeMessage message;
        try
        {
            message = MailParserOptions.Load(raw);
        }
        catch (FormatException)
        {
            throw new NoticeRuleException(NoticeRuleCode.MailUnreadable, $"#{mail.MailId}");
        }

        if (CutShortDrop.Is(source, message, raw))
        {
            throw new NoticeRuleException(NoticeRuleCode.MailUnfinished, $"#{mail.MailId}", CutShortDrop.Sender(message));
        }

        // A staff member's command by mail is never an organisation's reply.
        if (ActionMailReader.Read(message).HasToken)
        {
            throw new NoticeRuleException(NoticeRuleCode.MailCarriesAction, $"#{mail.MailId}");
        }

        return MailReader.Read(message);
    }
}
