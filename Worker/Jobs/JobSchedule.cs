using System.Globalization;
using MailIntake.Worker.Options;
using Quartz;

namespace MailIntake.Worker.Jobs;

/// <summary>
/// The Quartz schedule, in the center's time zone: every sweeper at start (which also catches up after
/// downtime) and every Jobs:SweepInterval after, and at the configured time of day where it has one (reminders, digest).
/// The outbox runs every Jobs:OutboxInterval.
/// </summary>
public static class JobSchedule
{
    public static void Configure(IQuartzBuilder quartz, MailIntakeOptions options)
    {
        var zone = MailIntakeOptions.ZoneOrDefault(options.TimeZone);
        Add(quartz, "outbox", options.Jobs.OutboxInterval);
        Add(quartz, "reminders", options.Jobs.SweepInterval, DailyAt(options.Reminders.SendTime, "*"), zone);
        Add(quartz, "overdue", options.Jobs.SweepInterval, DailyAt(new TimeOnly(0, 5), "*"), zone);
        Add(quartz, "phone-prompts", options.Jobs.SweepInterval);
        Add(quartz, "digest", options.Jobs.SweepInterval, DailyAt(options.Staff.DigestTime, "MON-FRI"), zone);
    }

    public static JobKey KeyOf(string sweeper) => new(sweeper, "mailintake");

    private static string DailyAt(TimeOnly time, string days) =>
        string.Create(CultureInfo.InvariantCulture, $"0 {time.Minute} {time.Hour} ? * {days}");

    private static void Add(IQuartzBuilder quartz, string sweeper, TimeSpan interval, string? cron = null, TimeZoneInfo? zone = null)
    {
        var key = KeyOf(sweeper);
        quartz.AddJob<SweeperJob>(job => job.WithIdentity(key).UsingJobData(SweeperJob.SweeperKey, sweeper).StoreDurably());
        // Starts now: the first run at start also catches up on whatever fell due while the worker was down.
        quartz.AddTrigger(trigger => trigger.ForJob(key).WithIdentity($"{sweeper}-every-{interval.TotalMinutes:0}-min").StartNow()
            .WithSimpleSchedule(schedule => schedule.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        if (cron is not null)
        {
            quartz.AddTrigger(trigger => trigger.ForJob(key).WithIdentity($"{sweeper}-daily")
                .WithCronSchedule(cron, schedule => schedule.InTimeZone(zone!).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
        }
    }
}
