using MailIntake.Storage;
using MailIntake.Worker.Intake;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.Application;

/// <summary>
/// A store whose drop folder's <c>processed/</c> holds mail it has not read: restored from a backup and not read again
/// yet, or the folder last taken by a copy of it restored elsewhere (a rehearsal run while the service was stopped, h32h
/// R6). The replies it lacks wait there, so what a reminder, an overdue note, an extension or a suspension would say of
/// "no reply" may be false until they are read (the next pass over the folder reads them).
/// </summary>
public static class RestoreReread
{
    /// <summary>How the jobs say why they wait (zh-TW).</summary>
    public const string Waiting = "收件資料夾之已處理郵件尚未讀入本資料目錄（資料還原後尚未重新讀取，或曾由還原之副本收件；其中可能有機關之回覆）";

    public static bool Pending(SweepMarkRepository marks, MailIntakeOptions options) =>
        options.Mailbox.Kind == MailboxKind.Folder && (marks.Exists(StoreBackup.RereadDropFolderMark) || TakenByCopy(marks, options) is not null);

    /// <summary>The other DataDirectory of this store that last took the drop folder (<see cref="DropFolderClaim.TakenByCopy"/>), or null.</summary>
    public static string? TakenByCopy(SweepMarkRepository marks, MailIntakeOptions options) =>
        options.Mailbox.Kind == MailboxKind.Folder && !string.IsNullOrEmpty(options.Mailbox.DropFolder)
        && marks.KeysStartingWith(StoreBackup.StoreIdPrefix).FirstOrDefault() is { } key
            ? DropFolderClaim.TakenByCopy(Path.GetFullPath(options.Mailbox.DropFolder), key[StoreBackup.StoreIdPrefix.Length..], Path.GetFullPath(options.DataDirectory))
            : null;
}
