using System.Net;
using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Cli;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Notices;

public sealed record IssueRequest(
    string OrgCode,
    string HostIp,
    IReadOnlyList<string> MaliciousIps,
    DateOnly IncidentFrom,
    DateOnly IncidentTo,
    DateOnly Deadline,
    IReadOnlyList<string>? Items,
    bool Send);

/// <summary>Issues a notice: checks the request, records the notice and, unless told not to, queues its mail.</summary>
public sealed class NoticeIssuer(
    OrganisationRepository organisations,
    NoticeRepository notices,
    NoticeMailer mailer,
    MailIntakeOptions options,
    TimeProvider time)
{
    public Notice Issue(IssueRequest request)
    {
        var code = FullWidth.ToHalfWidth(request.OrgCode).Trim().ToUpperInvariant();
        var organisation = organisations.Find(code) ?? throw new CliException($"找不到機關代碼 {code}，請先以 orgs import 匯入");
        if (!IPAddress.TryParse(request.HostIp, out _))
        {
            throw new CliException($"--host-ip 不是有效的 IP 位址：{request.HostIp}", 2);
        }

        var invalid = request.MaliciousIps.Where(ip => !IPAddress.TryParse(ip, out _)).ToList();
        if (request.MaliciousIps.Count == 0 || invalid.Count > 0)
        {
            throw new CliException($"--malicious-ip 不是有效的 IP 位址：{string.Join(",", invalid)}", 2);
        }

        if (request.IncidentTo < request.IncidentFrom)
        {
            throw new CliException("--to 不可早於 --from", 2);
        }

        if (request.Send && organisation.Emails.Count == 0)
        {
            throw new CliException($"機關 {code} 沒有登記電子郵件，無法寄送；請補登或使用 --no-send");
        }

        var now = time.GetUtcNow();
        var items = request.Items is { Count: > 0 } given ? given : DefaultItems(request);
        var rocYear = RocDate.ToRocYear(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, options.Zone).DateTime));
        var notice = notices.Create(
            new NewNotice(code, request.HostIp, request.MaliciousIps, request.IncidentFrom, request.IncidentTo, request.Deadline, items),
            rocYear,
            now);
        if (request.Send)
        {
            mailer.QueueNotice(notice, organisation);
        }

        return notice;
    }

    /// <summary>The five improvement items of the paper form, with this incident's addresses and period.</summary>
    public static IReadOnlyList<string> DefaultItems(IssueRequest request)
    {
        var ips = string.Join("、", request.MaliciousIps);
        var period = $"{RocDate.Format(request.IncidentFrom)}至{RocDate.Format(request.IncidentTo)}";
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
