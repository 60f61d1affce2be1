namespace MailIntake.Worker.Intake;

/// <summary>
/// The worker's first intake pass since it started. The jobs that tell organisations or staff what mail came (reminders,
/// overdue notes, phone prompts, the digest) wait for it: after downtime over a deadline, a reply that reached the
/// server in time is fetched (and dated by its arrival there) before anyone is told no reply came.
/// </summary>
public sealed class FirstIntakePass
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsDone => _done.Task.IsCompleted;

    /// <summary>The first pass ended (whether or not it succeeded: a failing server must not hold the jobs back for good).</summary>
    public void Done() => _done.TrySetResult();

    /// <summary>
    /// Waits for the first pass, at most <paramref name="atMost"/> (a server down at start keeps it retrying: the jobs then
    /// go on, and status and the digest say intake is failing). False when it did not end in time.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan atMost, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await _done.Task.WaitAsync(atMost, time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
