using MailIntake.Parsing;
using MailIntake.Worker.Intake;
using MimeKit;

namespace MailIntake.Worker.Application;

/// <summary>
/// A drop-folder file that stops before its MIME ends: read again after a restore (read whole once, before: cut short on
/// disk since), or a fresh drop its writer left unfinished. What is there is no proof of what was sent, so it is held for
/// staff and never filed (nor offered to be).
/// </summary>
public static class CutShortDrop
{
    /// <summary>True when <paramref name="source"/> is the drop folder and <paramref name="message"/> (from <paramref name="raw"/>) stops early.</summary>
    public static bool Is(string? source, MimeMessage message, Stream raw) =>
        source is not null && source.StartsWith(IntakeProcessor.FolderSource, StringComparison.Ordinal) && MimeCompleteness.IsUnfinished(message, raw);

    /// <summary>
    /// Why a cut-short mail cannot be put under a notice, in one zh-TW clause shared by the command line's and the staff
    /// mail's refusals (each adds what to do in its own words).
    /// </summary>
    public static string NotAssignable(string? subject) =>
        $"郵件 {subject} 之原始檔不完整（投遞資料夾之檔案於郵件結構結束前即中斷：寫入中斷，或還原後重新讀取時已於磁碟上遭截斷），所附檔案無從完整取得，不能歸入限期改善單";

    /// <summary>The sender the headers name, or null: who staff can ask for the whole mail.</summary>
    public static string? Sender(MimeMessage message) => Parsing.MailReader.FromAddress(message);
}
