using MailIntake.Storage;
using MailIntake.Worker.Cli;

namespace MailIntake.Worker.Notices;

/// <summary>Records the phone call that confirms a notice's latest email reply; the notice moves from replied to confirmed.</summary>
public sealed class PhoneConfirmationRecorder(ReplyRepository replies, FollowUpRepository followUps, NoticeRepository notices, TimeProvider time)
{
    public Notice Confirm(Notice notice, string by, string? note, DateTimeOffset? at)
    {
        if (string.IsNullOrWhiteSpace(by))
        {
            throw new CliException("--by 必須填寫確認人員", 2);
        }

        var latest = replies.ListForNotice(notice.Id).MaxBy(reply => reply.ReceivedAt)
            ?? throw new CliException($"限期改善單 {notice.Reference} 尚未收到電子郵件回覆，沒有可確認的回覆");
        if (notice.Status != NoticeStatus.Replied)
        {
            throw new CliException($"限期改善單 {notice.Reference} 目前為「{NoticeCommands.StatusLabel(notice.Status)}」，只有「已回覆」的限期改善單可以記錄電話確認");
        }

        followUps.ConfirmPhone(notice.Id, latest.MailId, by.Trim(), at ?? time.GetUtcNow(), note, time.GetUtcNow());
        return notices.Get(notice.Id)!;
    }
}
