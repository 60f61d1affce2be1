using MailIntake.Storage;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.Application;

/// <summary>
/// A store restored from a backup whose drop folder's <c>processed/</c> mails are not read again yet: the replies it lacks
/// wait there, so what a reminder or an overdue note would say of "no reply" may be false until they are read.
/// </summary>
public static class RestoreReread
{
    /// <summary>How the jobs say why they wait (zh-TW).</summary>
    public const string Waiting = "資料還原後尚未重新讀取收件資料夾之已處理郵件（其中可能有機關之回覆）";

    public static bool Pending(SweepMarkRepository marks, MailIntakeOptions options) =>
        options.Mailbox.Kind == MailboxKind.Folder && marks.Exists(StoreBackup.RereadDropFolderMark);
}
