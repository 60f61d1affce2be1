using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Documents;
using MailIntake.Worker.Options;
using MimeKit;

namespace MailIntake.Worker.Outbound;

/// <summary>
/// A suspension reaches both parties, in the session that records the round: the organisation is told the date its
/// exchange service stops and why, and the National Archives Administration (公文 G2B2C 資訊服務中心) gets the report —
/// the connection-change details (連線異動) with the notice and its tracking evaluation form attached.
/// The reason is the round's: a suspension decided before the deadline says so, with the tracker's note.
/// </summary>
public sealed class SuspensionMailer(OutboxWriter outbox, OrganisationRepository organisations, MailIntakeOptions options, TimeProvider time)
{
    private const string DocxMediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public IReadOnlyList<OutboundKind> Queue(StorageSession session, Notice notice, FollowUp round)
    {
        var now = time.GetUtcNow();
        var suspendFrom = round.SuspendFrom!.Value;
        // An email reply never confirmed by phone (以電子郵件方式回復者，應再以電話確認之) is said, not dropped unseen: the
        // suspension closes the notice, which takes no more calls.
        var unconfirmed = Application.ReplyCompleteness.AwaitingPhone(ReplyRepository.ListForNotice(session, notice.Id), FollowUpRepository.ListConfirmations(session, notice.Id))
            .MaxBy(reply => reply.ReceivedAt);
        // Each reader is addressed as such: the organisation as 貴單位, the Archives of 該機關; our mail numbers are for staff.
        var told = SuspensionTiming.Told(notice, FollowUpRepository.ListFollowUps(session, notice.Id), OutboundRepository.ListForNotice(session, notice.Id));
        var reason = Reason(notice, round, told, options.Zone);
        var toOrganisation = reason + (unconfirmed is null ? "" : $"；貴單位於{Labels.Moment(unconfirmed.ReceivedAt, options.Zone)}以電子郵件回覆，惟尚未以電話確認");
        var toArchives = reason + (unconfirmed is null ? "" : $"；該機關於{Labels.Moment(unconfirmed.ReceivedAt, options.Zone)}之電子郵件回覆尚未經電話確認");
        if (unconfirmed is not null)
        {
            TimelineRepository.Add(session, notice.Id, now, TimelineEvent.Suspended,
                $"中止交換服務時，郵件 #{unconfirmed.MailId} 之電子郵件回覆尚未經電話確認；中止交換服務通知與檔案管理局通報均已載明");
        }
        var queued = new List<OutboundKind>();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, options.Zone).DateTime);
        var registered = organisations.Find(notice.OrgCode);
        // These are documents of today: they name the organisation as the registry names it now (beside its current
        // addresses and contact); the notice and tracking form attached keep the name the notice was sent with.
        var name = registered?.Name ?? notice.OrgName;
        if (registered is { Emails.Count: > 0 } organisation)
        {
            var lines = new[]
            {
                $"受文者：{name}",
                $"發文日期：{Labels.Date(today)}",
                $"主旨：貴單位自{Labels.Date(suspendFrom)}起中止公文電子交換系統交換服務，請查照。",
                $"說明一：依據{options.Center.LegalBasis}",
                $"說明二：{toOrganisation}。",
                "說明三：完成改善後，請檢附佐證資料回覆本中心，以申請恢復交換服務。",
                $"聯絡窗口：{NoticeMailText.Contact(options.Center)}",
                options.Center.Name,
            };
            var message = OutgoingMessage.Create(options, organisation.Emails,
                $"【中止交換服務通知】{notice.Reference} {notice.OrgCode} {name}：自{Labels.Date(suspendFrom)}起中止交換服務",
                new BodyBuilder { TextBody = string.Join("\n\n", lines) + "\n", HtmlBody = StaffMail.Html(lines) }, "auto-generated", now);
            if (outbox.Queue(session, OutboundKind.Suspension, notice.Id, message, $"suspension:{notice.Reference}",
                    $"中止交換服務通知（自{Labels.Date(suspendFrom)}起）已排入寄送，收件者 {string.Join("、", organisation.Emails)}", TimelineEvent.Suspended))
            {
                queued.Add(OutboundKind.Suspension);
            }
        }

        if (options.Archives.ReportRecipients.Count > 0)
        {
            var report = ArchivesReport(session, notice, name, round, toArchives, today, queued.Contains(OutboundKind.Suspension) ? today : null, now, sentLateOn: null);
            if (outbox.Queue(session, OutboundKind.ArchivesReport, notice.Id, report, $"archives-report:{notice.Reference}",
                    $"已通報檔案管理局（{string.Join("、", options.Archives.ReportRecipients)}），附限期改善單與追蹤評估表", TimelineEvent.Reported))
            {
                queued.Add(OutboundKind.ArchivesReport);
            }
        }

        return queued;
    }

    /// <summary>
    /// The Archives report as it stands when it finally goes (it goes after the suspension notice): the day the
    /// organisation's notice left (none when it did not, or bounced), the registry's contact of now, and — sent on a later
    /// day than decided — a line saying so. Its Message-ID, recipients and subject are the caller's to keep.
    /// </summary>
    public MimeMessage ArchivesReportNow(StorageSession session, Notice notice, FollowUp round, DateTimeOffset now)
    {
        var decidedOn = RequestChecks.Day(round.At, options.Zone);
        var today = RequestChecks.Day(now, options.Zone);
        var unconfirmed = Application.ReplyCompleteness.AwaitingPhone(ReplyRepository.ListForNotice(session, notice.Id), FollowUpRepository.ListConfirmations(session, notice.Id))
            .Where(reply => reply.ReceivedAt <= round.At).MaxBy(reply => reply.ReceivedAt);
        var mails = OutboundRepository.ListForNotice(session, notice.Id);
        var told = SuspensionTiming.Told(notice, FollowUpRepository.ListFollowUps(session, notice.Id), mails);
        var reason = Reason(notice, round, told, options.Zone)
                     + (unconfirmed is null ? "" : $"；該機關於{Labels.Moment(unconfirmed.ReceivedAt, options.Zone)}之電子郵件回覆尚未經電話確認");
        var notifiedOn = TrackingFormText.SuspensionNoticeSentOn(mails, options.Zone);
        var name = organisations.Find(notice.OrgCode)?.Name ?? notice.OrgName;
        return ArchivesReport(session, notice, name, round, reason, decidedOn, notifiedOn, now, today > decidedOn ? today : null);
    }

    private MimeMessage ArchivesReport(
        StorageSession session, Notice notice, string name, FollowUp round, string reason, DateOnly filedOn, DateOnly? notifiedOn, DateTimeOffset now, DateOnly? sentLateOn)
    {
        var suspendFrom = round.SuspendFrom!.Value;
        var detail = NoticeDetailQuery.Of(session, notice);
        var rounds = detail.Rounds;
        string[] late = sentLateOn is { } sent ? [$"本通報於{Labels.Date(filedOn)}發文，因本中心郵件系統延誤，至{Labels.Date(sent)}始寄出。"] : [];
        string[] lines =
        [
            "受文者：檔案管理局 公文 G2B2C 資訊服務中心",
            $"發文日期：{Labels.Date(filedOn)}",
            $"主旨：{options.Center.Name}通報公文電子交換系統連線異動（中止交換服務），請查照。",
            $"說明一：依據{options.Center.LegalBasis}",
            $"機關(構)代碼：{notice.OrgCode}",
            $"機關(構)名稱：{name}" + (name == notice.OrgName ? "" : $"（限期改善單寄發時名稱：{notice.OrgName}）"),
            "異動類別：中止交換服務",
            $"中止日期：{Labels.Date(suspendFrom)}",
            $"事由：{reason}",
            $"追蹤次數：{rounds.Count} 次",
            "附件：連線異動表、限期改善單、追蹤評估表。",
            .. late,
            $"聯絡窗口：{NoticeMailText.Contact(options.Center)}",
        ];
        var body = new BodyBuilder { TextBody = string.Join("\n", lines) + "\n", HtmlBody = StaffMail.Html(lines) };
        // The documents the paper process sends (填寫連線異動表附上限期改善單): the 連線異動表 in both formats, the notice
        // as it was sent (its original deadline) and the tracking form with every round.
        var export = NoticeExport.For(detail, options.Center, options.Zone);
        var change = ConnectionChange(notice, name, round, reason, filedOn, notifiedOn);
        var changeName = ConnectionChangeDocuments.FileName(change);
        body.Attachments.Add($"{changeName}.docx", ConnectionChangeDocuments.Docx(change), ContentType.Parse(DocxMediaType));
        body.Attachments.Add($"{changeName}.odt", ConnectionChangeDocuments.Odt(change), ContentType.Parse(NoticeFormOdt.MediaType));
        body.Attachments.Add($"限期改善單_{notice.Reference}_{notice.OrgCode}.docx", NoticeFormDocx.Create(export.Notice), ContentType.Parse(DocxMediaType));
        body.Attachments.Add($"追蹤評估表_{notice.Reference}_{notice.OrgCode}.docx", TrackingFormDocx.Create(export), ContentType.Parse(DocxMediaType));
        return OutgoingMessage.Create(options, options.Archives.ReportRecipients,
            $"【連線異動通報】{notice.OrgCode} {name} 自{Labels.Date(suspendFrom)}起中止交換服務（{notice.Reference}）", body, "auto-generated", now);
    }

    /// <summary>The 連線異動表's fields: the registry's contact for the organisation, the round's dates and reason, the center.</summary>
    private ConnectionChangeForm ConnectionChange(Notice notice, string name, FollowUp round, string reason, DateOnly filedOn, DateOnly? notifiedOn)
    {
        var organisation = organisations.Find(notice.OrgCode);
        var center = options.Center;
        return new ConnectionChangeForm(
            notice.Reference, notice.OrgCode, name, organisation?.Contact, organisation?.Phone, organisation?.Emails ?? [],
            FiledOn: filedOn,
            // When queued: the organisation's notice, queued in the same transaction, dated today; when sent (the report
            // written again then): the day that notice left.
            NotifiedOn: notifiedOn,
            round.SuspendFrom!.Value, reason, center.LegalBasis, center.Name, center.Unit, center.ContactName, center.Phone, center.Email);
    }

    /// <summary>
    /// The organisation's suspension notice (<paramref name="text"/>, as this mailer wrote it: its lines apart by a blank
    /// line) with a line saying it was decided and dated <paramref name="decidedOn"/> but sent only <paramref name="today"/>
    /// (the mail server down): placed before the contact line, replacing such a line of an earlier try.
    /// </summary>
    public static BodyBuilder SentLate(string text, DateOnly decidedOn, DateOnly today)
    {
        var lines = text.ReplaceLineEndings("\n").TrimEnd().Split("\n\n").Where(line => !line.StartsWith(SentLateLead, StringComparison.Ordinal)).ToList();
        var contact = lines.FindIndex(line => line.StartsWith("聯絡窗口：", StringComparison.Ordinal));
        lines.Insert(contact < 0 ? lines.Count : contact, $"{SentLateLead}本通知於{Labels.Date(decidedOn)}發文，因本中心郵件系統延誤，至{Labels.Date(today)}始寄出，特此說明。");
        return new BodyBuilder { TextBody = string.Join("\n\n", lines) + "\n", HtmlBody = StaffMail.Html(lines) };
    }

    private const string SentLateLead = "說明四：";

    /// <summary>
    /// Why the service stops, as the round decided it: after the deadline the organisation was told (<paramref name="told"/>)
    /// passed unmet, or before it (an early suspension), with the tracker's note either way. An extension the organisation
    /// never received is not cited: it was never its deadline.
    /// </summary>
    public static string Reason(Notice notice, FollowUp round, DateOnly told, TimeZoneInfo zone)
    {
        var cause = $"用戶電腦（IP：{notice.HostIp}）連線惡意 IP（{string.Join("、", notice.MaliciousIps)}），經限期改善單 {notice.Reference} 通知限期改善";
        var decision = SuspensionTiming.AfterDeadline(told, round, zone)
            ? $"，未於改善期限（{Labels.Date(told)}）內完成改善，經第 {round.Round} 次追蹤評估決定中止交換服務"
            : $"，經第 {round.Round} 次追蹤評估，於改善期限（{Labels.Date(told)}）屆至前決定中止交換服務";
        return cause + decision + (round.Note is null ? "" : $"；追蹤說明：{round.Note}");
    }
}
