namespace MailIntake.Worker.Jobs;

/// <summary>
/// A scheduled job's work: it finds out from the database what is due at the current clock, does it once and
/// records that it did, so the Quartz trigger, a misfire after downtime, a restart and <c>jobs run NAME</c>
/// all go through the same code and never send twice.
/// </summary>
public interface ISweeper
{
    string Name { get; }

    /// <summary>Does what is due; returns one line (zh-TW) saying what it did.</summary>
    Task<string> RunAsync(CancellationToken cancellationToken);
}
