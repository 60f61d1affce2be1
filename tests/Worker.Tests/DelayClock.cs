using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace MailIntake.Worker.Tests;

/// <summary>
/// A FakeTimeProvider that tells when a delay starts and how long it is, so a test moves the clock exactly then
/// (advancing before an asynchronous retry has started its delay would shift every later one).
/// </summary>
public sealed class DelayClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _delays = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _delays.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The next delay started (a guard of 30 s real time turns a hang into a failure).</summary>
    public async Task<TimeSpan> NextDelayAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _delays.Reader.ReadAsync(guard.Token);
    }
}
