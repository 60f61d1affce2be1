using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>How intake, sending and OAuth2 token health reads for staff (zh-TW), in <c>status</c> and at the top of the digest.</summary>
public static class HealthText
{
    public static string Name(string component) => component switch
    {
        HealthRepository.Intake => "收件",
        HealthRepository.Send => "寄信",
        HealthRepository.Token => "憑證（OAuth2 權杖）",
        _ => component,
    };

    /// <summary>
    /// The intake's connection drops of the last 24 hours and the last one; null when there were none. A storm (more
    /// than Mailbox:DropWarningPerHour within an hour) reads as a warning.
    /// </summary>
    public static string? Drops(ConnectionDropsView drops, TimeZoneInfo zone) =>
        drops is { Last24Hours: > 0, LastAt: { } lastAt }
            ? (drops.IsStorm
                  ? $"收件連線頻繁中斷：1 小時內最多 {drops.PeakPerHour} 次（超過 {drops.WarnAbovePerHour} 次），請檢查郵件伺服器與網路；"
                  : "收件連線中斷：") +
              $"近 1 小時 {drops.LastHour} 次、近 24 小時 {drops.Last24Hours} 次，最近一次 {Labels.Moment(lastAt, zone)}（{drops.LastError}）"
            : null;

    /// <summary>The mailbox read again from its first UID (the server's store was restored under the same UIDVALIDITY), or null.</summary>
    public static string? Rescan(MailboxRescan? rescan, TimeZoneInfo zone) =>
        rescan is null
            ? null
            : $"收件信箱已重新讀取：{Labels.Moment(rescan.At, zone)}，{rescan.Reason}；已自第一封起重新讀取，已收錄之郵件不重複收錄，其後新到之郵件已收下";

    /// <summary>
    /// The drop-folder files staff must hear of (<see cref="DropFolderWaitingView"/>), one line per kind, each naming the
    /// files, since when and what to do; nothing when none waits.
    /// </summary>
    public static IReadOnlyList<string> DropFolder(DropFolderWaitingView waiting, TimeZoneInfo zone)
    {
        var lines = new List<string>();
        if (waiting.HeldOpen is { Count: > 0 } open)
        {
            lines.Add($"收件資料夾中有 {open.Count} 個檔案仍被某程式開啟寫入中，尚未收下：" +
                      string.Join("；", open.Take(ListedFiles).Select(file =>
                          $"{file.Path}（自 {Labels.Moment(file.Since, zone)} 起未再寫入，已等候 {Waited(waiting.At - file.Since)}）")) +
                      More(open.Count) +
                      "。檔案仍開啟寫入時可能尚未寫完，系統不讀取；請關閉仍開啟此檔之程式（如停滯之複製或傳檔程式），" +
                      "或請系統管理人員（或寄送此檔之機關）處理；關閉後下次收件即自動收下");
        }

        if (waiting.NotMoved is { Count: > 0 } unmoved)
        {
            lines.Add($"收件資料夾中有 {unmoved.Count} 個檔案已收下並登錄（各依其類別處理，與其他郵件無異：回覆已歸檔並寄送收件回條，不必請機關重寄），僅無法移至 processed/：" +
                      string.Join("；", unmoved.Take(ListedFiles).Select(file => $"{file.Path}（自 {Labels.Moment(file.Since, zone)} 起）：{file.Detail}")) +
                      More(unmoved.Count) +
                      "。每次收件再試移動，已收下之郵件不會重複登錄、不會重複寄回條；請系統管理人員依上列原因修正（如 processed/ 之權限）");
        }

        return lines;
    }

    private const int ListedFiles = 5;

    private static string More(int count) => count > ListedFiles ? $" 等（共 {count} 個）" : "";

    /// <summary>How long a file has waited, in words: 35 分鐘, 2 小時 5 分鐘, 3 天 4 小時.</summary>
    private static string Waited(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } => $"{(int)span.TotalDays} 天 {span.Hours} 小時",
        { TotalHours: >= 1 } => $"{(int)span.TotalHours} 小時 {span.Minutes} 分鐘",
        _ => $"{Math.Max(0, (int)span.TotalMinutes)} 分鐘",
    };

    /// <summary>
    /// One warning line per component that is failing now; nothing when all is well. A time recorded later than
    /// <paramref name="now"/> is said to be so, never stated as when it happened (<see cref="Recorded"/>).
    /// </summary>
    public static IReadOnlyList<string> Warnings(IEnumerable<ComponentHealth> components, TimeZoneInfo zone, DateTimeOffset? now = null) =>
        components
            .Where(health => health.FailingSince is not null)
            .Select(health =>
                $"{Name(health.Component)}自 {Recorded(health.FailingSince!.Value, zone, now)} 起失敗（{health.Failures} 次），" +
                $"上次成功：{(health.LastSuccessAt is { } ok ? Recorded(ok, zone, now) : "從未成功")}；錯誤：{health.LastError}")
            .ToList();

    /// <summary>Whether <paramref name="at"/> lies after <paramref name="now"/>: recorded by a clock that was ahead then.</summary>
    public static bool RecordedAhead(DateTimeOffset? at, DateTimeOffset? now) => at is { } time && now is { } reference && time > reference;

    /// <summary>
    /// A health time as a fact, or — recorded later than <paramref name="now"/>, by a clock that was ahead then (a bad NTP
    /// step) — as what it is: the real time unknown, the time recorded named with why it cannot be true (h19h H2).
    /// </summary>
    public static string Recorded(DateTimeOffset at, TimeZoneInfo zone, DateTimeOffset? now) =>
        RecordedAhead(at, now)
            ? $"時間不明（所記為 {Labels.Moment(at, zone)}，晚於現在，係系統時鐘超前時所記）"
            : Labels.Moment(at, zone);

    /// <summary>
    /// Mails that need a look although no component is failing: processing that keeps failing, raw files gone bad.
    /// <paramref name="forShell"/>: the command line may name the command to look further; a staff mail never does
    /// (staff read it in Outlook) — the digest lists those mails with their reasons instead.
    /// </summary>
    public static IReadOnlyList<string> MailWarnings(HealthView health, bool forShell = true)
    {
        var lines = new List<string>();
        if (health.MailsFailed > 0)
        {
            lines.Add(forShell
                ? $"處理一再失敗之郵件 {health.MailsFailed} 封（系統持續重試；原始檔已保存），原因見各郵件之說明（mail list --kind failed）"
                : $"處理一再失敗之郵件 {health.MailsFailed} 封（系統持續重試；原始檔已保存），各郵件及其原因列於下方「處理失敗之郵件」，請系統管理人員查看");
        }

        if (health.MailsRetrying > 0)
        {
            // From the first failure, not the fifth: a reply not filed, receipted or counted is no "all is well" (h30h P7).
            lines.Add(forShell
                ? $"處理暫時失敗、等待重試之郵件 {health.MailsRetrying} 封（原始檔已保存，尚未歸檔，系統將自動重試），原因見各郵件之說明（mail list --kind received）"
                : $"處理暫時失敗、等待重試之郵件 {health.MailsRetrying} 封（原始檔已保存，尚未歸檔，系統將自動重試）");
        }

        if (health.MailsDamaged > 0)
        {
            lines.Add(forShell
                ? $"原始檔遺失或損壞之郵件 {health.MailsDamaged} 封，未能處理；請由備份還原後執行 store repair（mail list --kind damaged）"
                : $"原始檔遺失或損壞之郵件 {health.MailsDamaged} 封，未能處理；請系統管理人員由備份還原");
        }

        if (health.Gone.RawMails.Count > 0)
        {
            // The one loss only a backup mends: the sooner heard of, the likelier a backup still holds it (h11x F9).
            lines.Add(forShell
                ? $"原始郵件檔遺失之郵件 {health.Gone.RawMails.Count} 封（{Mails(health.Gone.RawMails)}）：其紀錄仍在，原始郵件須由備份還原；請執行 store verify 查明後，由備份還原並執行 store repair"
                : $"原始郵件檔遺失之郵件 {health.Gone.RawMails.Count} 封（{Mails(health.Gone.RawMails)}）：其紀錄仍在，原始郵件須由備份還原，請系統管理人員處理");
        }

        if (health.Gone.EvidenceMails.Count > 0)
        {
            lines.Add(forShell
                ? $"佐證檔遺失之郵件 {health.Gone.EvidenceMails.Count} 封（{Mails(health.Gone.EvidenceMails)}）：可由原始郵件重建，請執行 store repair"
                : $"佐證檔遺失之郵件 {health.Gone.EvidenceMails.Count} 封（{Mails(health.Gone.EvidenceMails)}）：可由原始郵件重建，請系統管理人員處理");
        }

        return lines;
    }

    /// <summary>Mails named by id for staff, the first few: 郵件 #5、#8 等.</summary>
    public static string Mails(IReadOnlyList<long> mailIds) =>
        $"郵件 {string.Join("、", mailIds.Take(ListedFiles).Select(id => $"#{id}"))}{(mailIds.Count > ListedFiles ? " 等" : "")}";
}
