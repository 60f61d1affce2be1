using System.Text;
using MailIntake.Storage;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.StaffActions;

/// <summary>An action link: the anchor text and the <c>mailto:</c> address it opens.</summary>
public sealed record ActionLink(string Text, string Href);

/// <summary>
/// Builds the signed <c>mailto:</c> links of staff mails for one member: to the center's address, a subject and a body
/// holding the token, the lines the member may edit (prefilled with their own name) and the action in words.
/// </summary>
public sealed class ActionLinks(ActionKeyStore keys, MailIntakeOptions options, StaffMember member, DateTimeOffset now)
{
    public StaffMember Member => member;

    /// <summary>Confirms the call about <paramref name="replyMailId"/>, the latest reply when the mail was made; a later one makes the link stale.</summary>
    public ActionLink PhoneReached(Notice notice, long replyMailId) =>
        Link(StaffActionKind.ConfirmReached, $"{notice.Id}-{replyMailId}", "已電話確認", "電話確認", $"{notice.Reference} 已電話確認（{notice.OrgCode} {notice.OrgName}）",
            [(ActionLabels.Confirmer, member.Name), (ActionLabels.Note, "")]);

    public ActionLink PhoneNoAnswer(Notice notice, long replyMailId) =>
        Link(StaffActionKind.ConfirmNoAnswer, $"{notice.Id}-{replyMailId}", "未接通", "電話確認", $"{notice.Reference} 致電未接通（{notice.OrgCode} {notice.OrgName}）",
            [(ActionLabels.Confirmer, member.Name), (ActionLabels.Note, "")]);

    public ActionLink Assign(long mailId, Notice notice) =>
        Link(StaffActionKind.Assign, $"{mailId}-{notice.Id}", $"歸入 {notice.Reference}", "郵件歸入", $"郵件 #{mailId} 歸入 {notice.Reference}（{notice.OrgCode} {notice.OrgName}）",
            [(ActionLabels.Note, "")]);

    public ActionLink Dismiss(long mailId) =>
        Link(StaffActionKind.Dismiss, mailId.ToString(Invariant), "不需處理", "不需處理", $"郵件 #{mailId} 不需處理",
            [(ActionLabels.Handler, member.Name), (ActionLabels.Reason, "")]);

    /// <summary>
    /// The results the tracking form allows for the notice's next round: rounds 1–2 four, round 3 two; 中止交換服務 only
    /// for admins. Each link is for that round only: once the round is recorded, the link is stale.
    /// </summary>
    public IReadOnlyList<ActionLink> FollowUp(Notice notice, int roundsDone)
    {
        var round = roundsDone + 1;
        var target = $"{notice.Id}-{round}";
        var about = $"{notice.Reference} 第 {round} 次追蹤";
        var links = new List<ActionLink>
        {
            Link(StaffActionKind.FollowUpCompleted, target, "改善完成", "追蹤評估", $"{about}：改善完成",
                [(ActionLabels.Tracker, member.Name), (ActionLabels.Note, "")]),
        };
        if (round < 3)
        {
            links.Add(Link(StaffActionKind.FollowUpExtended, target, "展延至…", "追蹤評估", $"{about}：尚未完成，再給予改善期限",
                [(ActionLabels.NewDeadline, ""), (ActionLabels.Tracker, member.Name), (ActionLabels.Note, "")],
                "請填寫新改善期限（例如 115/12/31），再按「傳送」。"));
            links.Add(Link(StaffActionKind.FollowUpOther, target, "其他", "追蹤評估", $"{about}：其他",
                [(ActionLabels.Explanation, ""), (ActionLabels.Tracker, member.Name)],
                "請填寫說明，再按「傳送」。"));
        }

        if (member.Role != StaffRole.Admin)
        {
            return links;
        }

        links.Add(Link(StaffActionKind.FollowUpSuspended, target, "中止交換服務", "追蹤評估", $"{about}：尚未完成，中止交換服務",
            [(ActionLabels.SuspendFrom, ""), (ActionLabels.Reason, ""), (ActionLabels.Tracker, member.Name)],
            "請填寫中止日期（例如 115/12/31）與原因，再按「傳送」；將通知機關並回報檔案管理局。"));
        return links;
    }

    /// <summary>A new notice: the template of <c>notice issue</c>'s values, one line each.</summary>
    public ActionLink Issue() =>
        Link(StaffActionKind.Issue, "0", "開立限期改善單", "開立限期改善單", "開立限期改善單並寄送機關",
            [(ActionLabels.OrgCode, ""), (ActionLabels.HostIp, ""), (ActionLabels.MaliciousIps, ""), (ActionLabels.IncidentPeriod, ""),
             (ActionLabels.Deadline, ""), (ActionLabels.Items, "")],
            "請填寫各行冒號後之內容再按「傳送」。惡意IP 可填多個（以、分隔）；事件期間如 115/11/20至115/11/25；改善期限如 115/12/31；改善事項可不填（使用預設五項），多項請分行。");

    private ActionLink Link(
        StaffActionKind kind, string target, string anchor, string category, string description,
        IReadOnlyList<(string Label, string Value)> fields, string instruction = "請確認或修改下列各行冒號後之內容，再按「傳送」。")
    {
        var token = ActionSignature.Sign(keys.Key, kind, target, member.Email, now + options.Staff.ActionLinkValidity).ToString();
        var body = new StringBuilder();
        body.Append(instruction).Append("\r\n");
        foreach (var (label, value) in fields)
        {
            body.Append(label).Append('：').Append(value).Append("\r\n");
        }

        body.Append(ActionLabels.KeepBelow).Append("\r\n")
            .Append(ActionLabels.Action).Append('：').Append(description).Append("\r\n")
            .Append(ActionLabels.Token).Append('：').Append(token).Append("\r\n");
        var subject = $"【{category}】{description} {token}";
        return new ActionLink(anchor, Mailto(CenterAddress(options), subject, body.ToString()));
    }

    /// <summary>Where action mails go: the center's published address, else the address we send from.</summary>
    public static string CenterAddress(MailIntakeOptions options) =>
        !string.IsNullOrWhiteSpace(options.Center.Email) ? options.Center.Email.Trim() : MimeKit.MailboxAddress.Parse(options.Smtp.From).Address;

    /// <summary>RFC 6068: UTF-8 percent-encoded, CRLF line breaks, and '+' encoded (some clients read it as a space).</summary>
    public static string Mailto(string to, string subject, string body) =>
        "mailto:" + Uri.EscapeDataString(to).Replace("%40", "@", StringComparison.Ordinal)
        + "?subject=" + Uri.EscapeDataString(subject) + "&body=" + Uri.EscapeDataString(body);

    private static readonly IFormatProvider Invariant = System.Globalization.CultureInfo.InvariantCulture;
}
