using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Application;

public sealed record IssueNoticeCommand(
    string OrgCode,
    string HostIp,
    IReadOnlyList<string> MaliciousIps,
    DateOnly IncidentFrom,
    DateOnly IncidentTo,
    DateOnly Deadline,
    IReadOnlyList<string>? Items,
    bool Send,
    bool Again = false);

/// <summary>A notice issued; <see cref="Skipped"/>: the references passed over, named by recorded mails though no notice here has them.</summary>
public sealed record IssuedNotice(Notice Notice, bool MailQueued)
{
    public IReadOnlyList<string> Skipped { get; init; } = [];

    /// <summary>Why references were passed over (zh-TW), or empty when none were.</summary>
    public string SkippedText => Skipped.Count == 0 ? string.Empty
        : $"編號 {string.Join("、", Skipped)} 見於收到之郵件主旨而本資料庫查無其限期改善單（可能係資料還原前所開立），為免重複已跳過";
}

/// <summary>
/// Issues a notice: the notice, its issue event and (unless told not to) its mail, in one transaction. An incident that
/// already has an open notice is refused unless asked again on purpose (<see cref="IssueNoticeCommand.Again"/>): the same
/// command run twice would mail the organisation a second notice, and its reminders would say nothing was received.
/// </summary>
public sealed class IssueNotice(
    Database database, OrganisationRepository organisations, NoticeMailer mailer, SweepMarkRepository marks, MailIntakeOptions options, TimeProvider time)
{
    public Task<IssuedNotice> ExecuteAsync(
        IssueNoticeCommand command, CancellationToken cancellationToken, Action<StorageSession, IssuedNotice>? alongside = null)
    {
        var code = FullWidth.ToHalfWidth(command.OrgCode).Trim().ToUpperInvariant();
        var (hostIp, maliciousIps) = RequestChecks.Addresses(command.HostIp, command.MaliciousIps);
        var given = RequestChecks.Items(command.Items);
        var now = time.GetUtcNow();
        var today = RequestChecks.Today(time, options.Zone);
        RequestChecks.IncidentPeriod(command.IncidentFrom, command.IncidentTo, today);
        RequestChecks.Deadline(command.Deadline, today);
        var organisation = organisations.Find(code) ?? throw new NoticeRuleException(NoticeRuleCode.OrganisationNotFound, code);
        if (command.Send && organisation.Emails.Count == 0)
        {
            throw new NoticeRuleException(NoticeRuleCode.OrganisationHasNoEmail, code);
        }

        var items = given ?? DefaultItems(maliciousIps, command.IncidentFrom, command.IncidentTo);
        // After a restore, the replies read again name the references notices issued since the backup took: none is handed
        // out before they are read (NoticeRepository.Create passes over those they name).
        if (RestoreReread.Pending(marks, options))
        {
            throw new NoticeRuleException(NoticeRuleCode.RereadPendingAfterRestore, Path.Combine(Path.GetFullPath(options.Mailbox.DropFolder ?? "."), "processed"));
        }

        using var session = database.Begin();
        if (!command.Again && NoticeRepository.FindOpenForIncident(session, code, hostIp, maliciousIps, command.IncidentFrom, command.IncidentTo) is { } open)
        {
            throw new NoticeRuleException(NoticeRuleCode.SameIncidentOpen, open.Reference, code);
        }

        var notice = NoticeRepository.Create(
            session,
            new NewNotice(code, hostIp, maliciousIps, command.IncidentFrom, command.IncidentTo, command.Deadline, items, CustomItems: given is not null),
            RocDate.ToRocYear(today),
            now,
            out var skipped);
        var issued = new IssuedNotice(notice, command.Send && mailer.QueueNotice(session, notice, organisation)) { Skipped = skipped };
        TimelineRepository.Add(session, notice.Id, now, TimelineEvent.Issued, $"限期改善單 {notice.Reference} 已開立，改善期限{Labels.Date(notice.Deadline)}"
            + (skipped.Count == 0 ? string.Empty : $"；{issued.SkippedText}"));
        alongside?.Invoke(session, issued);
        session.Commit();
        return Task.FromResult(issued);
    }

    /// <summary>The five improvement items of the paper form, with this incident's addresses and period.</summary>
    public static IReadOnlyList<string> DefaultItems(IReadOnlyList<string> maliciousIps, DateOnly from, DateOnly to)
    {
        var ips = string.Join("、", maliciousIps);
        var period = $"{RocDate.Format(from)}至{RocDate.Format(to)}";
        return
        [
            $"請確認貴用戶使用本系統電腦連線惡意 IP({ips})原因。",
            "請對貴用戶使用本系統電腦進行掃毒及採樣回報掃描 log 或結果。",
            $"請確認資安事件發生期間({period})之公文電子交換檔案是否感染惡意程式。",
            "請貴用戶資訊人員配合進行事件跡證蒐集。",
            "以上改善事項請提供佐證資料併同本限期改善單 email 或回文至主管機關聯絡窗口；以電子郵件方式回復者，應再以電話確認之。",
        ];
    }
}
