using System.Net;
using System.Text.RegularExpressions;
using MailIntake.Parsing;
using MailIntake.Parsing.StaffActions;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.StaffActions;

/// <summary>
/// The values of an action mail's <c>LABEL：value</c> lines, checked one by one; a wrong or missing line is refused
/// naming the line (<see cref="ActionFieldException"/>). The same values then go through the use case's own checks.
/// </summary>
public static partial class ActionFields
{
    /// <summary>The person on the line, or the member's own name when the line is absent or empty.</summary>
    public static string Person(ActionMail mail, string label, string memberName) =>
        Optional(mail, label) is { } named ? named : memberName;

    public static string? Optional(ActionMail mail, string label)
    {
        // Two different values on the member's own lines (not quoted): which one was meant cannot be guessed — for
        // 機關代碼 it decides who gets a formal notice.
        var written = mail.Fields.Where(field => !field.Quoted && field.Label == label && !string.IsNullOrWhiteSpace(field.Value))
            .Select(field => FullWidth.ToHalfWidth(field.Value).Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (written.Count > 1)
        {
            throw new ActionFieldException($"「{label}」一行出現 {written.Count} 次且內容不同（{string.Join("、", written.Take(3))}），無法判斷要用哪一個；請只留一行後再寄出");
        }

        if (mail.Value(label) is not { } value || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        // Line breaks separate the lines of a multi-line value; any other control or direction character would be
        // stored and then printed into mails, forms and the staff's terminal.
        if (value.Any(c => c != '\n' && (char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)))
        {
            throw new ActionFieldException($"「{label}」一行含有控制字元或文字方向字元，請刪除後再寄出");
        }

        return value.Trim();
    }

    public static string Required(ActionMail mail, string label, string what) =>
        Optional(mail, label) ?? throw new ActionFieldException($"「{label}」一行必須填寫{what}");

    public static DateOnly Date(ActionMail mail, string label)
    {
        var value = Required(mail, label, "日期（例如 115/12/31）");
        return RocDate.TryParse(value, out var date) ? date : throw new ActionFieldException($"「{label}：{value}」不是有效之日期（例如 115/12/31 或 中華民國115年12月31日）");
    }

    /// <summary>The issuing template's lines as <c>notice issue</c> takes them.</summary>
    public static IssueNoticeCommand Issue(ActionMail mail)
    {
        var code = Required(mail, ActionLabels.OrgCode, "機關代碼");
        var hostIp = FullWidth.ToHalfWidth(Required(mail, ActionLabels.HostIp, "電腦之 IP 位址")).Trim();
        if (RequestChecks.IpAddress(hostIp) is null)
        {
            throw new ActionFieldException($"「{ActionLabels.HostIp}：{hostIp}」不是有效之 IPv4 或 IPv6 位址（須為一部電腦之位址，不可為 0.0.0.0、廣播、群播或本機位址）");
        }

        var ips = IpList().Split(FullWidth.ToHalfWidth(Required(mail, ActionLabels.MaliciousIps, "惡意 IP 位址"))).Select(ip => ip.Trim()).Where(ip => ip.Length > 0).ToList();
        var bad = ips.Where(ip => RequestChecks.IpAddress(ip) is null).ToList();
        if (ips.Count == 0 || bad.Count > 0)
        {
            throw new ActionFieldException($"「{ActionLabels.MaliciousIps}」一行有無效之 IP 位址：{string.Join("、", bad)}");
        }

        var (from, to) = Period(Required(mail, ActionLabels.IncidentPeriod, "事件期間（例如 115/11/20至115/11/25）"));
        var deadline = Date(mail, ActionLabels.Deadline);
        var items = Optional(mail, ActionLabels.Items) is { } text
            ? text.Split('\n').Select(line => ItemNumber().Replace(line, string.Empty).Trim()).Where(line => line.Length > 0).ToList()
            : null;
        var again = Yes(mail, ActionLabels.Again);
        return new IssueNoticeCommand(code, hostIp, ips, from, to, deadline, items, Send: true, again);
    }

    /// <summary>A line answered 是 (or yes, Y) on purpose; absent or anything else is no.</summary>
    public static bool Yes(ActionMail mail, string label) =>
        Optional(mail, label) is { } answer && FullWidth.ToHalfWidth(answer).Trim() is "是" or "yes" or "Y" or "y";

    /// <summary>Two dates joined by 至, ~ or -, each in any form RocDate reads.</summary>
    private static (DateOnly From, DateOnly To) Period(string value)
    {
        var folded = FullWidth.ToHalfWidth(value).Trim();
        foreach (var separator in new[] { "至", "~", "～", "到" })
        {
            var parts = folded.Split(separator);
            if (parts.Length == 2 && RocDate.TryParse(parts[0].Trim(), out var a) && RocDate.TryParse(parts[1].Trim(), out var b))
            {
                return (a, b);
            }
        }

        // A hyphen may also be inside ISO dates (2026-11-20-2026-11-25): take the split where both halves are dates.
        for (var i = folded.IndexOf('-'); i >= 0; i = folded.IndexOf('-', i + 1))
        {
            if (RocDate.TryParse(folded[..i].Trim(), out var a) && RocDate.TryParse(folded[(i + 1)..].Trim(), out var b))
            {
                return (a, b);
            }
        }

        throw new ActionFieldException($"「{ActionLabels.IncidentPeriod}：{value}」應為兩個日期，以「至」、「~」或「-」連接（例如 115/11/20至115/11/25）");
    }

    [GeneratedRegex(@"[、,，;；\s]+", RegexOptions.CultureInvariant)]
    private static partial Regex IpList();

    [GeneratedRegex(@"^\s*(?:[(（]?[0-9０-９一二三四五六七八九十]+[)）.、．]|[-•・*])\s*", RegexOptions.CultureInvariant)]
    private static partial Regex ItemNumber();
}
