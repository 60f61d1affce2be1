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

    /// <summary>One warning line per component that is failing now; nothing when all is well.</summary>
    public static IReadOnlyList<string> Warnings(IEnumerable<ComponentHealth> components, TimeZoneInfo zone) =>
        components
            .Where(health => health.FailingSince is not null)
            .Select(health =>
                $"{Name(health.Component)}自 {Labels.Moment(health.FailingSince!.Value, zone)} 起失敗（{health.Failures} 次），" +
                $"上次成功：{(health.LastSuccessAt is { } ok ? Labels.Moment(ok, zone) : "從未成功")}；錯誤：{health.LastError}")
            .ToList();

    /// <summary>Mails that need a look although no component is failing: processing that keeps failing, raw files gone bad.</summary>
    public static IReadOnlyList<string> MailWarnings(HealthView health)
    {
        var lines = new List<string>();
        if (health.MailsFailed > 0)
        {
            lines.Add($"處理一再失敗之郵件 {health.MailsFailed} 封（系統持續重試；原始檔已保存），請檢查磁碟、資料庫或寄件設定（mail list --kind failed）");
        }

        if (health.MailsDamaged > 0)
        {
            lines.Add($"原始檔遺失或損壞之郵件 {health.MailsDamaged} 封，未能處理；請由備份還原後執行 store repair（mail list --kind damaged）");
        }

        return lines;
    }
}
