using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>
/// Whether the organisation still works to the notice's current deadline, so that it is reminded before the deadline
/// and staff are told when it passes: while no reply came (issued), while extended, and — once the deadline was
/// extended — as long as anything the form asks for is still missing, whatever reply came meanwhile. A partial reply
/// during an extension does not end the duty the extension was given for; a reply to the original deadline hands the
/// notice to staff's evaluation as before.
/// </summary>
public static class DeadlineDuty
{
    public static bool Runs(Notice notice, Func<IReadOnlyList<Reply>> replies)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(replies);
        return notice.Status is NoticeStatus.Issued or NoticeStatus.Extended
            || (notice.Status.IsOpen() && notice.Deadline != notice.DeadlineIssued && ReplyCompleteness.Missing(notice, replies()).Count > 0);
    }
}
