using System.Net;
using MailIntake.Parsing;
using MailIntake.Parsing.StaffActions;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;
using MimeKit;

namespace MailIntake.Worker.StaffActions;

/// <summary>
/// The short zh-TW answer to a member's action mail: what was done and the notice's new state, "已處理過", or the
/// refusal and its reason. A correctable refusal quotes the action lines and the token, so replying with the corrected
/// lines on top sends the action again.
/// </summary>
public sealed class ActionAnswers(Database database, OutboxWriter outbox, MailIntakeOptions options, TimeProvider time)
{
    /// <summary>
    /// Refusals answered to one member in an hour. A member's forwarding rule (Outlook "forward to the team mailbox",
    /// no Auto-Submitted) sends each answer back as a new mail, which is refused and answered again: past this many the
    /// member gets no more answers that hour (the mails stay in the digest's 待處理郵件), so a loop ends whatever the
    /// forward does to the subject or text. No one corrects and resends a link ten times an hour.
    /// </summary>
    public const int MaxRefusalsPerMemberPerHour = 10;

    private const string RefusalKeyPrefix = "action-refusal:";

    public void QueueDone(StorageSession session, AnswerContext context, string what, Notice? notice)
    {
        var lines = new List<string> { $"已處理：{what}。" };
        if (notice is not null)
        {
            lines.Add(StateLine(session, notice));
        }

        lines.Add($"經由郵件處理：{context.Member!.Name}，{Labels.Moment(time.GetUtcNow(), options.Zone)}。");
        outbox.Queue(session, OutboundKind.ActionAnswer, notice?.Id, Message(context, "已處理", lines, quote: false), Key(context), timelineDetail: null);
    }

    /// <summary>The answer's line on the notice as it stands (「…目前狀態：已開立；改善期限：…。」); written again when the answer leaves late.</summary>
    public static string StateLine(StorageSession session, Notice notice) =>
        $"{StateLead(notice)}{Labels.Status(notice.Status, notice.Status == NoticeStatus.Suspended ? FollowUpRepository.ListFollowUps(session, notice.Id).LastOrDefault()?.SuspendFrom : null)}；改善期限：{Labels.Date(notice.Deadline)}。";

    /// <summary>How <see cref="StateLine"/> starts, to find it in an answer written earlier.</summary>
    public static string StateLead(Notice notice) => $"限期改善單 {notice.Reference}（{notice.OrgCode} {notice.OrgName}）目前狀態：";

    public void QueueAlreadyDone(AnswerContext context, UsedAction earlier)
    {
        var lines = new List<string>
        {
            $"已處理過：此動作連結已於 {Labels.Moment(earlier.UsedAt, options.Zone)} 由郵件 #{earlier.MailId} 處理。",
            "本次未作任何變更。",
        };
        outbox.Queue(OutboundKind.ActionAnswer, earlier.NoticeId, Message(context, "已處理過", lines, quote: false), Key(context), timelineDetail: null);
    }

    /// <summary>Queues the refusal; false when the member already had <see cref="MaxRefusalsPerMemberPerHour"/> refusals in the hour up to now.</summary>
    public bool QueueRefusal(AnswerContext context, string reason, bool correctable)
    {
        var lines = new List<string> { $"無法處理：{reason}。", "本次未作任何變更。" };
        if (correctable)
        {
            lines.Add($"請直接回覆本郵件，在最上方寫出修正後之各行{Example(context.Action)}，保留下方引用之原文後寄出。");
        }

        var now = time.GetUtcNow();
        using var session = database.Begin();
        if (OutboundRepository.CountRecentTo(session, OutboundKind.ActionAnswer, context.Member!.Email, now - TimeSpan.FromHours(1), now, RefusalKeyPrefix)
            >= MaxRefusalsPerMemberPerHour)
        {
            return false;
        }

        outbox.Queue(session, OutboundKind.ActionAnswer, null, Message(context, "無法處理", lines, quote: correctable), RefusalKeyPrefix + context.MailId, timelineDetail: null);
        session.Commit();
        return true;
    }

    /// <summary>
    /// An example of a corrected line in this action's own words: its date line (改善期限 for issuing, 新改善期限 for an
    /// extension, 中止日期 for a suspension), else its first line. A label the action does not read would be ignored
    /// when sent back, and the member following the example would be refused again.
    /// </summary>
    private static string Example(ActionMail action)
    {
        var labels = action.Fields.Select(field => field.Label).Where(label => label is not (ActionLabels.Token or ActionLabels.Action)).Distinct().ToList();
        var date = labels.FirstOrDefault(label => label is ActionLabels.Deadline or ActionLabels.NewDeadline or ActionLabels.SuspendFrom);
        return date is not null ? $"（例如「{date}：115/12/31」）"
            : labels.Count > 0 ? $"（例如「{labels[0]}：{action.Value(labels[0])}」改正後之內容）"
            : "";
    }

    private static string Key(AnswerContext context) => $"action-answer:{context.MailId}";

    private MimeMessage Message(AnswerContext context, string verdict, IReadOnlyList<string> lines, bool quote)
    {
        var quoted = quote ? QuotedLines(context.Action) : [];
        var text = string.Join("\n", lines) + "\n" + (quoted.Count > 0 ? "\n" + string.Join("\n", quoted.Select(line => "> " + line)) + "\n" : "");
        var html = "<!DOCTYPE html><html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\"></head><body style=\"font-family:'Microsoft JhengHei','Noto Sans CJK TC',sans-serif\">"
                   + string.Concat(lines.Select(line => $"<p>{WebUtility.HtmlEncode(line)}</p>"))
                   + (quoted.Count > 0
                       ? "<blockquote style=\"border-left:3px solid #b0bec5;margin:0;padding-left:10px;color:#455a64\">" + string.Concat(quoted.Select(line => $"<div>{WebUtility.HtmlEncode(line)}</div>")) + "</blockquote>"
                       : "")
                   + "</body></html>";
        var subject = $"【{verdict}】{TokenMask.Without(context.Message.Subject ?? "")}".Trim();
        var message = OutgoingMessage.Create(options, [context.Member!.Email], subject, new BodyBuilder { TextBody = text, HtmlBody = html }, "auto-replied", time.GetUtcNow());
        if (MailReader.NormaliseMessageId(context.Message.MessageId) is { } original)
        {
            message.InReplyTo = original;
            message.References.Add(original);
        }

        return message;
    }

    /// <summary>The member's action lines as received and the token line, for the member to correct and send again.</summary>
    private static List<string> QuotedLines(ActionMail action)
    {
        var lines = action.Fields
            .Where(field => !field.Quoted && field.Label is not (ActionLabels.Token or ActionLabels.Action))
            .SelectMany(field => $"{field.Label}：{field.Value}".Split('\n'))
            .ToList();
        if (action.Tokens.Count == 1)
        {
            lines.Add(ActionLabels.KeepBelow);
            lines.Add($"{ActionLabels.Token}：{action.Tokens[0].ToUpperInvariant()}");
        }

        return lines;
    }

}
