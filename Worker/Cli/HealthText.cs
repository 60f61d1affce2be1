using MailIntake.Storage;

namespace MailIntake.Worker.Cli;

/// <summary>How intake and sending health reads for staff (zh-TW), in <c>status</c> and at the top of the digest.</summary>
public static class HealthText
{
    public static string Name(string component) => component == HealthRepository.Intake ? "收件" : "寄信";

    /// <summary>One warning line per component that is failing now; nothing when all is well.</summary>
    public static IReadOnlyList<string> Warnings(IEnumerable<ComponentHealth> components, TimeZoneInfo zone) =>
        components
            .Where(health => health.FailingSince is not null)
            .Select(health =>
                $"{Name(health.Component)}自 {CliValues.Instant(health.FailingSince!.Value, zone)} 起失敗（{health.Failures} 次），" +
                $"上次成功：{(health.LastSuccessAt is { } ok ? CliValues.Instant(ok, zone) : "從未成功")}；錯誤：{health.LastError}")
            .ToList();
}
