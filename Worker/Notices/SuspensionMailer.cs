using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Documents;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;
using MimeKit;

namespace MailIntake.Worker.Notices;

/// <summary>
/// A suspension reaches both parties: the organisation is told the date its exchange service stops, and the
/// National Archives Administration (公文 G2B2C 資訊服務中心) gets the report — the connection-change details
/// (連線異動) with the notice and its tracking evaluation form attached.
/// </summary>
public sealed class SuspensionMailer(OutboxWriter outbox, OrganisationRepository organisations, MailIntakeOptions options, TimeProvider time)
{
    private const string DocxMediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public void Queue(Notice notice, DateOnly suspendFrom, IReadOnlyList<FollowUp> rounds, IReadOnlyList<Reply> replies, IReadOnlyList<PhoneConfirmation> calls)
    {
        var now = time.GetUtcNow();
        var reason = Reason(notice);
        var organisation = organisations.Find(notice.OrgCode);
        if (organisation is { Emails.Count: > 0 })
        {
            var lines = new[]
            {
                $"{notice.OrgName} 您好：",
                $"貴單位未能於期限內完成公文電子交換系統限期改善單 {notice.Reference} 所列改善事項，依公文電子交換系統資訊安全管理規範，本中心通知貴單位自{RocDate.Format(suspendFrom)}起中止公文電子交換系統交換服務。",
                $"事由：{reason}",
                "完成改善後，請檢附佐證資料回覆本中心，以申請恢復交換服務。",
                $"聯絡窗口：{NoticeMailText.Contact(options.Center)}",
                options.Center.Name,
            };
            var message = OutgoingMessage.Create(options, organisation.Emails,
                $"【中止交換服務通知】{notice.Reference} {notice.OrgCode} {notice.OrgName}：自{RocDate.Format(suspendFrom)}起中止交換服務",
                new BodyBuilder { TextBody = string.Join("\n\n", lines) + "\n", HtmlBody = StaffMail.Html(lines) }, "auto-generated", now);
            outbox.Queue(OutboundKinds.Suspension, notice.Id, message, $"suspension:{notice.Reference}",
                $"中止交換服務通知（自{RocDate.Format(suspendFrom)}起）已排入寄送，收件者 {string.Join("、", organisation.Emails)}", TimelineEvent.Suspended);
        }

        if (options.Archives.ReportRecipients.Count > 0)
        {
            var report = ArchivesReport(notice, suspendFrom, reason, rounds, replies, calls, now);
            outbox.Queue(OutboundKinds.ArchivesReport, notice.Id, report, $"archives-report:{notice.Reference}",
                $"已通報檔案管理局（{string.Join("、", options.Archives.ReportRecipients)}），附限期改善單與追蹤評估表", TimelineEvent.Reported);
        }
    }

    private MimeMessage ArchivesReport(
        Notice notice, DateOnly suspendFrom, string reason, IReadOnlyList<FollowUp> rounds, IReadOnlyList<Reply> replies,
        IReadOnlyList<PhoneConfirmation> calls, DateTimeOffset now)
    {
        var lines = new[]
        {
            "檔案管理局 公文 G2B2C 資訊服務中心 您好：",
            $"{options.Center.Name}通報公文電子交換系統連線異動（中止交換服務）如下：",
            $"機關(構)代碼：{notice.OrgCode}",
            $"機關(構)名稱：{notice.OrgName}",
            $"異動類別：中止交換服務",
            $"中止日期：{RocDate.Format(suspendFrom)}",
            $"事由：{reason}",
            $"追蹤次數：{rounds.Count} 次",
            "附件：限期改善單、追蹤評估表。",
            $"聯絡窗口：{NoticeMailText.Contact(options.Center)}",
        };
        var body = new BodyBuilder { TextBody = string.Join("\n", lines) + "\n", HtmlBody = StaffMail.Html(lines) };
        var form = NoticeMailer.NoticeFormFor(notice, options.Center, NoticeMailer.IssuedOn(notice, options.Zone));
        var export = NoticeExports.For(notice, form, rounds, replies, calls, options.Zone);
        body.Attachments.Add($"限期改善單_{notice.Reference}_{notice.OrgCode}.docx", NoticeFormDocx.Create(form), ContentType.Parse(DocxMediaType));
        body.Attachments.Add($"追蹤評估表_{notice.Reference}_{notice.OrgCode}.docx", TrackingFormDocx.Create(export), ContentType.Parse(DocxMediaType));
        return OutgoingMessage.Create(options, options.Archives.ReportRecipients,
            $"【連線異動通報】{notice.OrgCode} {notice.OrgName} 自{RocDate.Format(suspendFrom)}起中止交換服務（{notice.Reference}）", body, "auto-generated", now);
    }

    public static string Reason(Notice notice) =>
        $"用戶電腦（IP：{notice.HostIp}）連線惡意 IP（{string.Join("、", notice.MaliciousIps)}），經限期改善單 {notice.Reference} 通知限期改善，" +
        $"未於改善期限（{RocDate.Format(notice.Deadline)}）內完成改善";
}
