using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>
/// Whether a suspension came after the deadline in force had passed unmet or before it (an early suspension, 事態嚴重):
/// the suspension notice, the Archives report, the 連線異動表 and the tracking form all word it by this one rule.
/// A suspension closes the notice, so the notice's current deadline is the one in force when it was decided.
/// </summary>
public static class SuspensionTiming
{
    public static bool AfterDeadline(Notice notice, FollowUp round, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(round.At, zone).DateTime) > notice.Deadline;
}
