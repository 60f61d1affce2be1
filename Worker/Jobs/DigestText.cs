using System.Net;
using System.Text;
using MailIntake.Storage;
using MailIntake.Worker.Application;

using MailIntake.Worker.StaffActions;

namespace MailIntake.Worker.Jobs;

/// <summary>The daily digest's words and look (zh-TW): counts first, then one table per thing to act on, a colour per status.</summary>
public static class DigestText
{
    private static readonly Dictionary<NoticeStatus, string> StatusColours = new()
    {
        [NoticeStatus.Issued] = "#1565c0",
        [NoticeStatus.Replied] = "#ef6c00",
        [NoticeStatus.Confirmed] = "#2e7d32",
        [NoticeStatus.Extended] = "#6a1b9a",
        [NoticeStatus.Completed] = "#616161",
        [NoticeStatus.Suspended] = "#b71c1c",
    };

    public static string Subject(DigestView content) =>
        $"【每日摘要】{Labels.Date(content.Day)}：新回覆 {content.NewReplies.Count}、待電話確認 {content.AwaitingPhone.Count}、逾期 {content.PastDeadline}";

    private static IReadOnlyList<(string Label, int Count, string Colour)> Counts(DigestView content) =>
    [
        ("未結案", content.Open.Count, "#37474f"),
        ("新回覆", content.NewReplies.Count, "#ef6c00"),
        ("待電話確認", content.AwaitingPhone.Count, "#ef6c00"),
        ("即將到期", content.DueSoon.Count, "#f9a825"),
        ("已逾期", content.PastDeadline, "#b71c1c"),
        ("逾期未回覆", content.Overdue.Count, "#b71c1c"),
        ("待追蹤評估", content.FollowUpsDue.Count, "#6a1b9a"),
        ("待處理郵件", content.MailsToSettle.Count, "#1565c0"),
        ("寄送失敗／退信", content.SendProblems.Count + content.UntiedBounces.Count, "#b71c1c"),
    ];

    /// <summary>A row's colour: a notice's status, a warning (overdue, failed mail), or none (a mail to settle).</summary>
    private abstract record Tone
    {
        public sealed record Of(NoticeStatus Status) : Tone;

        public sealed record Alarm : Tone;

        public sealed record Plain : Tone;
    }

    private static string Colour(Tone tone) => tone switch
    {
        Tone.Of of => StatusColours[of.Status],
        Tone.Alarm => "#b71c1c",
        _ => "#90a4ae",
    };

    /// <summary>
    /// At most this many rows a table, in the table's order (the most urgent first); the title keeps the whole count and a
    /// line says how many are not listed. Every open notice is about 1 KB of the mail: without a bound, above some 9,000
    /// open notices the digest outgrows the 10 MB a mail server takes (Postfix's default) and staff get no digest at all.
    /// </summary>
    public const int MaxRowsPerSection = 300;

    /// <summary>
    /// A table of the digest: <see cref="Total"/> things, of which <see cref="Rows"/> are listed; <see cref="Actions"/>,
    /// when given, holds each listed row's action links (HTML only).
    /// </summary>
    private sealed record Section(string Title, int Total, string[] Columns, IReadOnlyList<(Tone Tone, string[] Cells)> Rows, string Empty)
    {
        public IReadOnlyList<IReadOnlyList<ActionLink>>? Actions { get; init; }

        public string? NotListed => Total > Rows.Count ? $"另有 {Total - Rows.Count} 件未列出（每表至多列出 {MaxRowsPerSection} 件）" : null;
    }

    private static IEnumerable<T> Top<T>(IReadOnlyList<T> all) => all.Take(MaxRowsPerSection);

    /// <summary>
    /// At most this many characters of a cell a sender writes (a subject, a sender, a reason quoting them): the row bound
    /// holds the digest under the size a mail server takes only while each row is bounded too (a 30,000-character subject
    /// made one row 200 KB). The whole text stays in <c>mail show</c>.
    /// </summary>
    public const int MaxCellLength = 200;

    private static string Cut(string? text) =>
        text is null ? "" : text.Length <= MaxCellLength ? text : text[..MaxCellLength] + $"…（共 {text.Length} 字，全文請見郵件詳情）";

    private static IReadOnlyList<Section> Sections(DigestView content, TimeZoneInfo zone, ActionLinks? links = null, Func<MailSummary, IReadOnlyList<Notice>>? candidates = null)
    {
        string At(DateTimeOffset instant) => Labels.Moment(instant, zone);
        string Notice(Notice notice) => $"{notice.Reference} {notice.OrgCode} {notice.OrgName}";
        string Replies(Notice notice) => content.RepliesByNotice[notice.Id].Count() is var count and > 0 ? $"已回覆 {count} 封" : "尚未回覆";
        string HeldNaming(Notice notice) => content.HeldNaming.GetValueOrDefault(notice.Id) is { Count: > 0 } held
            ? $"{Application.WaitingMail.Describe(held, zone)}之主旨載有本單編號，可能為機關之回覆，請先歸入或註記不需處理"
            : "無";
        // The deadline the organisation was told, and the extension it never was (its mail failed, withdrawn, bounced, waiting).
        string Untold(Notice notice) => content.Untold.TryGetValue(notice.Id, out var untold) ? $"（{untold.Named}，機關未獲告知展延）" : "";
        string Deadline(Notice notice) => Labels.Date(content.ToldDeadline(notice)) + Untold(notice);
        string Attempts(PhoneDuty duty) => PhoneAttemptText.List(duty.Attempts, At)
                                           + (PhoneAttemptText.WrongNumber(duty.Attempts) is { } warning ? $"；{warning}" : "");
        return
        [
            new(content.Since != DateTimeOffset.MinValue ? "新回覆・自上次摘要起" : content.NewReplies.Count <= MaxRowsPerSection ? "新回覆・首次摘要，列出全部回覆" : "新回覆・首次摘要（全部回覆）", content.NewReplies.Count, ["限期改善單", "收件時間", "寄件者", "附檔", "尚待補充", "注意"],
                Top(content.NewReplies).Select(entry => (entry.DateDoubt is null ? (Tone)new Tone.Of(entry.Notice.Status) : new Tone.Alarm(), new[]
                {
                    Notice(entry.Notice), At(entry.Reply.ReceivedAt), Cut(entry.Reply.From), entry.Reply.Evidence.Count == 0 ? "未附檔案" : $"{entry.Reply.Evidence.Count} 件",
                    entry.Notice.Status.IsOpen() ? entry.Missing.Count == 0 ? "無" : string.Join("、", entry.Missing) : ClosedCase(entry.Notice, entry.Reply, entry.ClosedAt, entry.BeforeSuspensionTold),
                    entry.DateDoubt is { } doubt ? $"⚠ 日期有疑義：{doubt}，請與機關確認" : "",
                })).ToList(), "沒有新回覆"),
            new("待電話確認", content.AwaitingPhone.Count, ["限期改善單", "回覆時間", "填寫人", "填寫人電話", "機關登記電話", "已致電"],
                Top(content.AwaitingPhone).Select(duty => ((Tone)new Tone.Of(duty.Notice.Status), new[]
                {
                    Notice(duty.Notice), At(duty.Reply.ReceivedAt), duty.Filler?.FillerName ?? "（未填）", duty.Filler?.FillerPhone ?? "（未填）",
                    duty.RegisteredPhone ?? "（未登記）", Attempts(duty),
                })).ToList(), "沒有待電話確認之回覆")
            {
                Actions = links is null ? null : Top(content.AwaitingPhone).Select(duty => (IReadOnlyList<ActionLink>)[links.PhoneReached(duty.Notice, duty.Reply.MailId), links.PhoneNoAnswer(duty.Notice, duty.Reply.MailId)]).ToList(),
            },
            new($"{DigestQuery.DueSoonWorkingDays} 個上班日內到期", content.DueSoon.Count, ["限期改善單", "改善期限", "狀態", "回覆"],
                Top(content.DueSoon).Select(notice => ((Tone)new Tone.Of(notice.Status), new[] { Notice(notice), Deadline(notice), Labels.Status(notice.Status), Replies(notice) })).ToList(),
                "沒有即將到期之限期改善單"),
            new("已逾期・未收到回覆", content.Overdue.Count, ["限期改善單", "改善期限", "逾期日數", "待處理郵件"],
                Top(content.Overdue).Select(notice => ((Tone)new Tone.Alarm(), new[]
                {
                    Notice(notice), Deadline(notice), $"{content.Day.DayNumber - content.ToldDeadline(notice).DayNumber} 日", HeldNaming(notice),
                })).ToList(),
                "沒有逾期而未收到回覆之限期改善單"),
            new("待追蹤評估", content.FollowUpsDue.Count, ["限期改善單", "狀態", "已追蹤次數"],
                Top(content.FollowUpsDue).Select(entry => ((Tone)new Tone.Of(entry.Notice.Status), new[] { Notice(entry.Notice), Labels.Status(entry.Notice.Status) + Untold(entry.Notice), $"{entry.Rounds} / 3" })).ToList(),
                "沒有待追蹤之限期改善單")
            {
                Actions = links is null ? null : Top(content.FollowUpsDue).Select(entry => links.FollowUp(entry.Notice, entry.Rounds)).ToList(),
            },
            new("待處理郵件・未比對、比對不明、可疑（請以「歸入」或「不需處理」處理；處理前每日列出）", content.MailsToSettle.Count, ["郵件", "類別", "收件時間", "寄件者", "主旨", "原因"],
                Top(content.MailsToSettle).Select(mail => ((Tone)new Tone.Plain(), new[] { $"#{mail.MailId}", Labels.Kind(mail.Kind), At(mail.ReceivedAt), Cut(mail.From), Cut(StaffActions.TokenMask.Without(mail.Subject ?? "")), Cut(mail.Reason) })).ToList(),
                "沒有待處理之郵件")
            {
                Actions = links is null ? null : Top(content.MailsToSettle)
                    .Select(mail => (IReadOnlyList<ActionLink>)(candidates?.Invoke(mail) ?? []).Select(notice => links.Assign(mail.MailId, notice)).Append(links.Dismiss(mail.MailId)).ToList())
                    .ToList(),
            },
            new("寄送失敗或退信", content.SendProblems.Count, ["限期改善單", "郵件", "收件者", "狀態", "錯誤"],
                Top(content.SendProblems).Select(entry => ((Tone)new Tone.Alarm(), new[]
                {
                    // A mail that bounced for some of its recipients names only those: it reached the others.
                    entry.Reference ?? "", Labels.Outbound(entry.Mail.Kind), string.Join("、", entry.Mail.BouncedTo.Count > 0 ? entry.Mail.BouncedTo : entry.Mail.To),
                    entry.Mail.PartlyBounced ? $"{Labels.Delivery(OutboundStatus.Bounced)}（其餘收件者已寄出）"
                    : entry.Mail is { Kind: OutboundKind.Suspension, Status: OutboundStatus.Bounced } ? $"{Labels.Delivery(OutboundStatus.Bounced)}：機關尚未收到中止交換服務通知"
                    : Labels.Delivery(entry.Mail.Status), entry.Mail.LastError ?? "",
                })).ToList(), "沒有寄送問題"),
            new("機關未登記電子郵件（期限提醒、收件回執與中止交換服務通知均無法寄送，請補登）", content.NoAddress.Count, ["限期改善單", "機關", "目前改善期限", "狀態"],
                Top(content.NoAddress).Select(notice => ((Tone)new Tone.Alarm(), new[] { Notice(notice), notice.OrgCode, Deadline(notice), Labels.Status(notice.Status) })).ToList(),
                "沒有未登記電子郵件之機關"),
            new("處理失敗之郵件（系統持續重試，原始檔已保存）", content.FailedMails.Count, ["郵件", "收件時間", "寄件者", "主旨", "原因"],
                Top(content.FailedMails).Select(mail => ((Tone)new Tone.Alarm(), new[] { $"#{mail.MailId}", At(mail.ReceivedAt), Cut(mail.From), Cut(StaffActions.TokenMask.Without(mail.Subject ?? "")), Cut(mail.Reason) })).ToList(),
                "沒有處理失敗之郵件"),
            new("無法對應寄出郵件之退信（收件信箱可能已失效，請確認機關之電子郵件）", content.UntiedBounces.Count, ["郵件", "收件時間", "原因"],
                Top(content.UntiedBounces).Select(mail => ((Tone)new Tone.Alarm(), new[] { $"#{mail.MailId}", At(mail.ReceivedAt), Cut(mail.Reason) })).ToList(),
                "沒有無法對應之退信"),
            new("未結案之限期改善單・依目前改善期限", content.Open.Count, ["限期改善單", "目前改善期限", "原改善期限", "狀態", "回覆"],
                Top(content.Open).Select(notice => ((Tone)new Tone.Of(notice.Status), new[]
                {
                    Notice(notice), Deadline(notice), Labels.Date(notice.DeadlineIssued), Labels.Status(notice.Status), Replies(notice),
                })).ToList(), "沒有未結案之限期改善單"),
        ];
    }

    /// <summary>
    /// The digest's buttons left out: the action link key file cannot be used (h15h K5). In words for staff, what to ask
    /// the administrator to look at — a staff mail names no command.
    /// </summary>
    public const string ActionKeyUnusable =
        "動作連結金鑰檔無法使用，本摘要未附動作按鈕（開立限期改善單、電話確認等）；請通知系統管理者查看收件服務之狀態及資料目錄檢查結果中關於動作連結金鑰檔之說明並依其處理";

    /// <summary>The warnings at the top of the digest: what is failing, mails that need a look, drop-folder files waiting, buttons left out.</summary>
    private static IEnumerable<string> Warnings(DigestView content, TimeZoneInfo zone) =>
        HealthText.Warnings(content.Health.Failing, zone, content.Health.At)
            .Concat(HealthText.MailWarnings(content.Health, forShell: false))
            .Concat(HealthText.DropFolder(content.Health.DropFolder, zone))
            .Concat(content.ActionKeyUnusable ? [ActionKeyUnusable] : []);

    public static string PlainText(DigestView content, TimeZoneInfo zone)
    {
        var text = new StringBuilder();
        text.AppendLine($"限期改善單每日摘要　{Labels.Date(content.Day)}");
        text.AppendLine(string.Join("　", Counts(content).Select(count => $"{count.Label} {count.Count}")));
        foreach (var line in Warnings(content, zone))
        {
            text.AppendLine($"⚠ {line}");
        }

        if (HealthText.Drops(content.Health.IntakeDrops, zone) is { } drops)
        {
            text.AppendLine(content.Health.IntakeDrops.IsStorm ? $"⚠ {drops}" : drops);
        }

        if (HealthText.Rescan(content.Health.IntakeRescan, zone) is { } rescan)
        {
            text.AppendLine(rescan);
        }

        foreach (var section in Sections(content, zone))
        {
            text.AppendLine();
            text.AppendLine($"■ {section.Title}（{section.Total}）");
            if (section.Rows.Count == 0)
            {
                text.AppendLine($"  {section.Empty}");
            }

            foreach (var (_, cells) in section.Rows)
            {
                text.AppendLine("  " + string.Join("｜", cells));
            }

            if (section.NotListed is { } notListed)
            {
                text.AppendLine($"  {notListed}");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The digest's HTML. With <paramref name="links"/> (a member's copy) the rows to act on carry their action links,
    /// and the top a link to issue a new notice; <paramref name="candidates"/> names each mail's possible notices.
    /// </summary>
    public static string Html(DigestView content, TimeZoneInfo zone, ActionLinks? links = null, Func<MailSummary, IReadOnlyList<Notice>>? candidates = null)
    {
        static string E(string value) => WebUtility.HtmlEncode(value);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\"><title>限期改善單每日摘要</title></head>")
            .Append("<body style=\"margin:0;padding:24px;background:#f4f6f8;font-family:'Microsoft JhengHei','Noto Sans CJK TC',sans-serif;color:#212121\">")
            .Append("<div style=\"max-width:980px;margin:auto;background:#fff;padding:24px;border-radius:8px\">")
            .Append("<h1 style=\"font-size:22px;margin:0 0 4px\">限期改善單每日摘要</h1>")
            .Append("<div style=\"color:#616161;margin-bottom:16px\">").Append(E(Labels.Date(content.Day))).Append("</div>");
        // Four tiles a row: eight in one row would not fit a phone screen.
        html.Append("<table role=\"presentation\" style=\"border-collapse:separate;border-spacing:8px;margin:0 -8px 8px\"><tr>");
        foreach (var ((label, count, colour), index) in Counts(content).Select((tile, index) => (tile, index)))
        {
            if (index > 0 && index % 4 == 0)
            {
                html.Append("</tr><tr>");
            }

            html.Append("<td style=\"background:").Append(count == 0 ? "#eceff1" : colour).Append(";color:").Append(count == 0 ? "#607d8b" : "#fff")
                .Append(";border-radius:6px;padding:10px 14px;text-align:center;min-width:72px\"><div style=\"font-size:24px;font-weight:bold\">")
                .Append(count).Append("</div><div style=\"font-size:13px\">").Append(E(label)).Append("</div></td>");
        }

        html.Append("</tr></table>");
        if (links is not null)
        {
            html.Append("<p style=\"margin:8px 0\">").Append(ActionButtons.Html([links.Issue()])).Append("</p>");
        }

        foreach (var line in Warnings(content, zone))
        {
            html.Append("<div style=\"background:#ffebee;color:#b71c1c;padding:10px;border-radius:6px;margin:8px 0\">⚠ ").Append(E(line)).Append("</div>");
        }

        if (HealthText.Drops(content.Health.IntakeDrops, zone) is { } drops)
        {
            html.Append(content.Health.IntakeDrops.IsStorm
                    ? "<div style=\"background:#ffebee;color:#b71c1c;padding:10px;border-radius:6px;margin:8px 0\">⚠ "
                    : "<div style=\"background:#eceff1;color:#37474f;padding:10px;border-radius:6px;margin:8px 0\">")
                .Append(E(drops)).Append("</div>");
        }

        if (HealthText.Rescan(content.Health.IntakeRescan, zone) is { } rescan)
        {
            html.Append("<div style=\"background:#eceff1;color:#37474f;padding:10px;border-radius:6px;margin:8px 0\">").Append(E(rescan)).Append("</div>");
        }

        foreach (var section in Sections(content, zone, links, candidates))
        {
            html.Append("<h2 style=\"font-size:17px;border-bottom:2px solid #eceff1;padding-bottom:4px;margin-top:24px\">")
                .Append(E(section.Title)).Append("（").Append(section.Total).Append("）</h2>");
            if (section.Rows.Count == 0)
            {
                html.Append("<p style=\"color:#9e9e9e\">").Append(E(section.Empty)).Append("</p>");
                continue;
            }

            html.Append("<table style=\"border-collapse:collapse;width:100%;font-size:14px\"><tr>");
            foreach (var column in section.Columns)
            {
                html.Append("<th style=\"text-align:left;background:#eceff1;padding:6px 8px\">").Append(E(column)).Append("</th>");
            }

            if (section.Actions is not null)
            {
                html.Append("<th style=\"text-align:left;background:#eceff1;padding:6px 8px\">處理</th>");
            }

            html.Append("</tr>");
            foreach (var ((tone, cells), row) in section.Rows.Select((entry, row) => (entry, row)))
            {
                var colour = Colour(tone);
                html.Append("<tr style=\"border-bottom:1px solid #eceff1\">");
                for (var i = 0; i < cells.Length; i++)
                {
                    var border = i == 0 ? $"border-left:4px solid {colour};" : string.Empty;
                    html.Append("<td style=\"").Append(border).Append("padding:6px 8px;vertical-align:top\">").Append(E(cells[i])).Append("</td>");
                }

                if (section.Actions is not null)
                {
                    html.Append("<td style=\"padding:6px 8px;vertical-align:top\">").Append(ActionButtons.Html(section.Actions[row])).Append("</td>");
                }

                html.Append("</tr>");
            }

            html.Append("</table>");
            if (section.NotListed is { } notListed)
            {
                html.Append("<p style=\"color:#616161\">").Append(E(notListed)).Append("</p>");
            }
        }

        if (links is not null)
        {
            html.Append("<p style=\"color:#757575;font-size:12px;margin-top:24px\">").Append(E(ActionButtons.Footnote)).Append("</p>");
        }

        html.Append("<p style=\"color:#9e9e9e;font-size:12px;margin-top:24px\">本摘要由 MailIntake 自動寄出。狀態色：")
            .Append(string.Join("、", StatusColours.Select(pair => $"<span style=\"color:{pair.Value}\">■</span> {E(Labels.Status(pair.Key))}")))
            .Append("</p></div></body></html>");
        return html.ToString();
    }

    /// <summary>
    /// A reply to a closed notice: a suspended organisation was invited by the suspension notice to send its evidence to
    /// ask for the service back — staff are asked to review a mail that came after the decision, not told the case is
    /// merely closed. One that came before it was part of what the decision weighed: kept on file, no application.
    /// </summary>
    private static string ClosedCase(Notice notice, Reply reply, DateTimeOffset? closedAt, bool beforeSuspensionTold) => notice.Status switch
    {
        NoticeStatus.Suspended when closedAt is { } decided && reply.ReceivedAt < decided => "本案已中止交換服務；本回覆於中止決定前寄達，已收存備查",
        NoticeStatus.Suspended when beforeSuspensionTold => $"本案已中止交換服務；{SuspensionTiming.BeforeToldNote}",
        NoticeStatus.Suspended => "本案已中止交換服務：來信為申請恢復交換服務之資料，請審核並通知機關",
        _ => $"本案已結案（{Labels.Status(notice.Status)}）",
    };
}
