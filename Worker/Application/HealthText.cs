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

    /// <summary>One warning line per component that is failing now; nothing when all is well.</summary>
    public static IReadOnlyList<string> Warnings(IEnumerable<ComponentHealth> components, TimeZoneInfo zone) =>
        components
            .Where(health => health.FailingSince is not null)
            .Select(health =>
                $"{Name(health.Component)}自 {Labels.Moment(health.FailingSince!.Value, zone)} 起失敗（{health.Failures} 次），" +
                $"上次成功：{(health.LastSuccessAt is { } ok ? Labels.Moment(ok, zone) : "從未成功")}；錯誤：{health.LastError}")
            .ToList();
}
