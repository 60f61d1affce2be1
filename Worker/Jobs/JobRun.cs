using MailIntake.Storage;

namespace MailIntake.Worker.Jobs;

/// <summary>
/// How this process runs the scheduled jobs. A preview is <c>jobs run NAME --as-of DATETIME</c> with DATETIME ahead of
/// the clock: it mails what the job would send then, and its runs count for one another (run twice, it mails once),
/// but not for the real runs — tomorrow's digest or prompts computed this afternoon must not stand in for the real
/// ones tomorrow morning.
/// </summary>
/// <param name="Real">The clock without <c>--as-of</c>: what is true of the outside world (the mail server answered) is
/// recorded by it, so <c>status</c> never reads a last success in the future.</param>
public sealed record JobRun(bool Preview, TimeProvider Real)
{
    /// <summary>How far ahead of the clock <c>--as-of</c> must be to be a preview (not a run a moment late).</summary>
    public static readonly TimeSpan PreviewAhead = TimeSpan.FromMinutes(1);

    public static JobRun For(DateTimeOffset asOf, TimeProvider real) => new(asOf > real.GetUtcNow() + PreviewAhead, real);

    /// <summary>
    /// Whether this run finds the day's work (<paramref name="day"/>, its key) done: by a real run always; by a preview's
    /// own mark only for another preview. A real run reads one mark.
    /// </summary>
    public bool Done(SweepMarkRepository marks, string day) => marks.Exists(day) || (Preview && marks.Exists(Mark(day)));

    /// <summary>The key this run marks a day's work done with: a preview's carries <see cref="OutboundRepository.PreviewMark"/>.</summary>
    public string Mark(string key) => Preview ? key + OutboundRepository.PreviewMark : key;
}
