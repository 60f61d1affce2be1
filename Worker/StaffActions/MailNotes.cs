using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;
using MimeKit;

namespace MailIntake.Worker.StaffActions;

/// <summary>
/// Tells staff at once about a mail they must settle (unmatched, ambiguous, suspicious, failed): why, the original mail
/// attached (message/rfc822, to open in Outlook), and for members one 歸入 link per candidate notice and 不需處理.
/// Once per mail.
/// </summary>
public sealed class MailNotes(MailRepository mails, MailCandidates candidates, OutboxWriter outbox, ActionKeyStore keys, MailIntakeOptions options, TimeProvider time)
{
    /// <summary>Raw mails larger than this are not attached (the note says so); they stay in the DataDirectory.</summary>
    public const long MaxAttachedBytes = 10L * 1024 * 1024;

    public void QueueIfToSettle(long mailId)
    {
        if (mails.Get(mailId) is not { Settled: false } mail || options.Staff.DigestRecipients.Count == 0)
        {
            return;
        }

        var notices = candidates.For(mail);
        var path = Path.Combine(options.DataDirectory, mail.RawPath);
        var size = File.Exists(path) ? new FileInfo(path).Length : -1;
        var lines = new List<string>
        {
            $"收到一封需要處理之郵件（#{mail.MailId}，{Labels.Kind(mail.Kind)}）。",
            $"寄件者：{mail.From ?? "（無）"}",
            $"主旨：{(mail.Subject is null ? "（無）" : TokenMask.Without(mail.Subject))}",
            $"收件時間：{Labels.Moment(mail.ReceivedAt, options.Zone)}",
            $"原因：{mail.Reason ?? "（無）"}",
            size < 0 ? "原始郵件檔案不存在。"
            : size > MaxAttachedBytes ? $"原始郵件 {size / 1024 / 1024} MB，過大未附上，仍保存於系統中。"
            : "原始郵件附於本信（可直接開啟）。",
            notices.Count > 0 ? $"可能之限期改善單：{string.Join("、", notices.Select(n => $"{n.Reference}（{n.OrgCode} {n.OrgName}）"))}" : "沒有可能之限期改善單。",
        };
        var staffMails = StaffMail.CreateEach(
            options, keys, $"【待處理郵件】#{mail.MailId} {Labels.Kind(mail.Kind)}：{TokenMask.Without(mail.Subject ?? "")}",
            links =>
            {
                var buttons = links is null ? [] : notices.Select(notice => links.Assign(mail.MailId, notice)).Append(links.Dismiss(mail.MailId)).ToList();
                return (string.Join("\n", lines) + "\n", StaffMail.Html(lines, buttons));
            },
            time.GetUtcNow(),
            size is >= 0 and <= MaxAttachedBytes ? () => Original(path, mail.MailId) : null);
        foreach (var (recipient, message) in staffMails)
        {
            outbox.Queue(OutboundKind.MailNote, noticeId: null, message, StaffMail.Key($"mail-note:{mail.MailId}", recipient), timelineDetail: null);
        }
    }

    /// <summary>The raw mail byte for byte as a message/rfc822 attachment.</summary>
    private static MimeEntity Original(string path, long mailId) =>
        new MimePart("message", "rfc822")
        {
            Content = new MimeContent(new MemoryStream(File.ReadAllBytes(path))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = $"mail-{mailId}.eml" },
        };
}
