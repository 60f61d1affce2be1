namespace MailIntake.Worker.Intake;

/// <summary>How long the intake loop waits for mail when a failed mail's retry may fall due first.</summary>
public static class IntakeWait
{
    /// <summary>Never a busy loop: a retry already due waits this long (the pass that follows takes it).</summary>
    private static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);

    /// <summary><paramref name="wait"/>, cut short to end at <paramref name="until"/> when that comes first.</summary>
    public static TimeSpan AtMost(TimeSpan wait, DateTimeOffset? until, TimeProvider time)
    {
        if (until is not { } due)
        {
            return wait;
        }

        var left = due - time.GetUtcNow();
        return left < Shortest ? Shortest : left < wait ? left : wait;
    }
}
