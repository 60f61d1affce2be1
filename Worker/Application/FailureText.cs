using System.Net.Sockets;
using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Intake;
using MailIntake.Worker.Mail;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Data.Sqlite;

namespace MailIntake.Worker.Application;

/// <summary>
/// What failed, in one zh-TW line for staff (command-line errors, <c>status</c>, the digest, <c>mail list</c>): the part
/// that failed in our words, then what the other side said. Never a .NET type name: the log has the stack.
/// </summary>
public static class FailureText
{
    public static string Line(Exception exception) => exception switch
    {
        OAuthTokenException token => $"無法取得 OAuth2 權杖，無法登入郵件伺服器：{OneLine(token.Message)}",
        OAuthTokenRefusedException refused
            => $"郵件伺服器拒絕 OAuth2 權杖登入（權杖過期或無效，或應用程式沒有此信箱的權限）：{OneLine(refused.Message)}",
        AuthenticationException authentication => $"郵件伺服器拒絕登入（帳號或密碼錯誤）：{OneLine(authentication.Message)}",
        SslHandshakeException when Mail.MailResilience.IsHandshakeCut(exception)
            => $"TLS 交握時連線被中斷（伺服器重新啟動中或負載平衡器關閉連線，非憑證問題；將自動重試）：{OneLine(exception.InnerException!.Message)}",
        SslHandshakeException => "TLS 憑證驗證失敗，已中止連線（伺服器憑證不受信任或名稱不符；私有憑證機構請設定 CaCertificate）",
        DataDirectoryReadOnlyException readOnly
            => $"資料目錄所在之檔案系統為唯讀：{readOnly.DataDirectory}（多為磁碟錯誤後改為唯讀掛載）；無法收件、寄件或寫入。查閱郵件與狀態、store verify、backup 至其他磁碟仍可使用；請檢查磁碟並重新掛載為可寫入",
        DataDirectoryGoneException gone
            => $"資料目錄 {gone.DataDirectory} 已不在原處（被移走、改名，或其磁碟已卸載）；本程式不在原處另建資料目錄，未完成之收件與寄件待其放回後繼續：請將資料目錄放回原處，或修正 MailIntake:DataDirectory 後重新啟動收件服務",
        WorkerStoppedOnOlderCopyException stopped
            => $"收件服務已於 {(stopped.At is { } at ? $"{RocDate.Format(DateOnly.FromDateTime(at.DateTime))} {at.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)}" : "（時間不明）")} 停止："
               + $"資料庫檔案 {stopped.Database} 在收件服務執行中被較舊之副本覆寫，現有資料庫即為該較舊之副本（其後之收件與寄件紀錄不在其中：已寄出之郵件可能顯示為待寄，由此副本繼續將重複寄出），"
               + $"收件服務、run --once、jobs run、store repair 均不執行；請停止所有使用此資料目錄之程式，將資料目錄移開後由備份還原（restore 備份檔 --to 資料目錄），再啟動收件服務；若確定沿用現有資料庫，刪除 {stopped.Mark} 後先執行 store repair（此副本未登錄之原始郵件仍在資料目錄中，由此重新登錄；其回執及此副本顯示待寄之郵件將再寄出一次），再啟動收件服務",
        DatabaseReplacedException { OlderCopy: true } older
            => $"資料庫檔案 {older.File} 已被較舊之副本覆寫（檔頭倒退，已非收件服務所留下之資料庫，與其寫入中之紀錄合併後不再完整）：收件與寄件已停止，此後未收下、未寄出任何郵件；請管理者停止所有使用此資料目錄之程式，由備份還原資料庫後重新啟動收件服務",
        DatabaseReplacedException replaced
            => $"資料庫檔案 {replaced.File} 已被刪除或替換（已非收件服務所開啟之檔案）：收件與寄件暫停，未收下、未寄出任何郵件，亦未記錄任何郵件遺失；請將資料庫放回或由備份還原後重新啟動收件服務",
        DatabaseUnreadableException unreadable
            => $"資料庫檔案無法讀取：{unreadable.Detail}；檔案仍在，非損壞，不需還原：請將其 chown 給收件服務之使用者（chown {UnixFiles.UserName(UnixFiles.EffectiveUserId)} {unreadable.File}）後再執行",
        DatabaseNotWritableException notWritable
            => $"資料庫檔案無法寫入：{notWritable.Detail}；檔案仍在，非損壞，不需還原：請將其 chown 給收件服務之使用者（chown {UnixFiles.UserName(UnixFiles.EffectiveUserId)} {notWritable.File}）後再執行",
        DatabaseEmptyException empty
            => $"資料庫檔案 {empty.File} {(empty.Length == 0 ? "是空的（0 位元組）" : $"只有 {empty.Length} 位元組（不足 SQLite 檔頭之 {Storage.Database.HeaderBytes} 位元組）")}：資料庫遺失或損壞（磁碟錯誤或複製中斷），本次未執行、未建立任何檔案；請由備份還原（restore 至空的資料夾）",
        StaffActions.ActionKeyUnusableException key
            => $"動作連結金鑰檔 {key.File} 無法使用（{key.Reason}）：工作人員郵件暫不附動作按鈕，以郵件處理之動作保留待金鑰恢復後處理；收件與其他工作照常。請由備份還原此檔，或將其刪除後重新啟動收件服務以產生新金鑰（已寄出之動作連結隨之失效）",
        DatabaseSideFileForeignException foreign
            => $"{foreign.File} 是資料夾，不是 SQLite 之資料庫附屬檔（-wal／-shm）：資料庫本身未損壞，不需還原；請確認其中沒有需要之檔案後將其移開（rmdir {foreign.File}），再執行",
        StoreFolderLinkedException linked => linked.Text,
        DropFolderLinkedException linked => linked.Text,
        PidFileIsAFolderException pid
            => $"{pid.File} 是資料夾，不是收件服務寫入程序編號之檔案：收件服務無法啟動；資料未損壞，不需還原；請確認其中沒有需要之檔案後將其移開（rmdir {pid.File}），再啟動",
        DiskFullException full
            => $"磁碟空間不足：{full.Folder}（非資料庫損壞，不需由備份還原；請清出空間）",
        DropFolderClaimedException { SameStoreRunningPid: { } pid } claimed
            => $"收件資料夾 {claimed.Folder} 正由同一資料庫之另一資料目錄 {claimed.ClaimedBy} 之收件服務（PID {pid}）收件（標記檔 {claimed.Marker}），本資料目錄 {claimed.DataDirectory} 未收下、未移動其中任何郵件：兩資料目錄屬同一份資料（其一係由備份還原之副本）；試行還原或檢查備份時請為副本另設 MailIntake:Mailbox:DropFolder；如確要改由本資料目錄收件，請先停止該收件服務後執行",
        DropFolderClaimedException claimed => claimed.ClaimedBy is { } owner
            ? $"收件資料夾 {claimed.Folder} 已由另一資料目錄 {owner} 之收件服務收件（標記檔 {claimed.Marker}），本資料目錄 {claimed.DataDirectory} 未收下、未移動其中任何郵件：請以正確之 MailIntake:DataDirectory（{owner}）執行；如確要改由本資料目錄收件，請先停止原收件服務，再刪除 {claimed.Marker} 後執行"
            : $"收件資料夾 {claimed.Folder} 之標記檔 {claimed.Marker} 無法辨識（非本系統寫入之檔案或連結），本資料目錄 {claimed.DataDirectory} 未收下、未移動其中任何郵件：請確認 MailIntake:DataDirectory 正確；如確要由本資料目錄收件，請刪除 {claimed.Marker} 後執行",
        DropFilesSkippedException skipped
            => $"收件資料夾中有 {skipped.Files.Count} 個檔案暫時無法收下（其餘已收下，下次收件再試）：{string.Join("；", skipped.Files.Take(3).Select(Skipped))}{(skipped.Files.Count > 3 ? " 等" : "")}",
        MailboxMailSkippedException left
            => $"郵件伺服器上有 {left.Skipped.Count} 封郵件大於資料目錄所在磁碟之剩餘空間，暫留伺服器未收（其餘已收下，每次收件再試）：{string.Join("；", left.Skipped.Take(3).Select(skip => $"UID {skip.Uid}（寄件者 {skip.Sender ?? "不明"}，郵件 {FileErrorText.Size(skip.Size)}，剩餘 {FileErrorText.Size(skip.FreeBytes)}）"))}{(left.Skipped.Count > 3 ? " 等" : "")}；請清出空間",
        SmtpCommandException smtp => $"寄件伺服器拒絕（代碼 {(int)smtp.StatusCode}）：{OneLine(smtp.Message)}",
        _ when FileErrorText.IsFileSystem(exception) => $"檔案或資料夾無法使用：{FileErrorText.Describe(exception)}",
        SqliteException sqlite => Database(sqlite),
        ImapCommandException command => $"IMAP 伺服器拒絕指令：{OneLine(command.Message)}",
        FolderNotFoundException folder => $"找不到郵件資料夾：{folder.FolderName}",
        SocketException or IOException or TimeoutException or ServiceNotConnectedException or ProtocolException
            => $"無法與郵件伺服器通訊：{OneLine(exception.Message)}",
        _ => $"程式發生未預期的錯誤：{OneLine(exception.Message)}",
    };

    private static string Skipped(SkippedDropFile file)
    {
        if (FileErrorText.IsDiskFull(file.Error) && FileErrorText.PathIn(file.Error) is { } full)
        {
            var room = FileErrorText.FreeBytes(full) is { } free ? $"，{Path.GetDirectoryName(full)} 所在磁碟剩餘 {FileErrorText.Size(free)}" : "";
            return $"{file.Path}（磁碟空間不足：郵件 {(file.Size is { } size ? FileErrorText.Size(size) : "大小不明")}{room}）";
        }

        var described = FileErrorText.Describe(file.Error);
        return FileErrorText.PathIn(file.Error) == file.Path ? described : $"{file.Path}：{described}";
    }

    // https://www.sqlite.org/rescode.html — primary codes only; the extended code's low byte is the primary one.
    private static string Database(SqliteException exception) => (exception.SqliteErrorCode & 0xFF) switch
    {
        5 or 6 => "資料庫忙碌或被另一程序鎖定",
        8 => "資料庫檔案唯讀，無法寫入",
        10 => "資料庫檔案讀寫失敗（磁碟錯誤）",
        11 or 26 => "資料庫檔案已損壞",
        13 => "磁碟空間不足，資料庫無法寫入",
        14 => "無法開啟資料庫檔案",
        var code => $"資料庫錯誤（SQLite 錯誤碼 {code}）",
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
