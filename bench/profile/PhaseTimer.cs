using System.Collections.Concurrent;
using System.Diagnostics;

namespace MailIntake.Worker.Intake;

/// <summary>Profiling only (bench/profile/apply.sh copies it in; never committed to the product): wall time per intake phase.</summary>
public static class PhaseTimer
{
    private static readonly ConcurrentDictionary<string, long[]> Totals = new(StringComparer.Ordinal);
    private static readonly Stopwatch Process = Stopwatch.StartNew();

    static PhaseTimer() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Print();

    public static void Add(string phase, long startTimestamp)
    {
        var elapsed = Stopwatch.GetTimestamp() - startTimestamp;
        var slot = Totals.GetOrAdd(phase, _ => new long[2]);
        Interlocked.Add(ref slot[0], elapsed);
        Interlocked.Increment(ref slot[1]);
    }

    public static async Task<T> Time<T>(string phase, Func<Task<T>> action)
    {
        var start = Stopwatch.GetTimestamp();
        try { return await action(); } finally { Add(phase, start); }
    }

    public static T Time<T>(string phase, Func<T> action)
    {
        var start = Stopwatch.GetTimestamp();
        try { return action(); } finally { Add(phase, start); }
    }

    public static void Time(string phase, Action action)
    {
        var start = Stopwatch.GetTimestamp();
        try { action(); } finally { Add(phase, start); }
    }

    private static void Print()
    {
        var gc = GC.GetTotalAllocatedBytes() / 1048576.0;
        Console.Error.WriteLine($"PROFILE process {Process.Elapsed.TotalSeconds:0.000} s; allocated {gc:0} MB; gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
        foreach (var (phase, slot) in Totals.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            var seconds = slot[0] / (double)Stopwatch.Frequency;
            Console.Error.WriteLine($"PROFILE {phase,-22} {seconds,8:0.000} s  {slot[1],6}×  {seconds * 1000 / Math.Max(1, slot[1]),8:0.00} ms each");
        }
    }
}
