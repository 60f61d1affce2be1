using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace MailIntake.Parsing.Tests.Fuzz;

/// <summary>An input the pipeline failed on: an exception other than FormatException, or no answer within the timeout.</summary>
internal sealed record FuzzFailure(long Iteration, string Signature, string Detail, byte[] Input);

internal sealed record FuzzReport(int Iterations, int Readable, int Unreadable, TimeSpan Elapsed, IReadOnlyList<FuzzFailure> Failures);

/// <summary>
/// Runs <see cref="ParsingPipeline"/> over mutated seeds on a few worker threads. Iteration i's input depends on
/// (seed, i) alone, so a run is the same on every machine whatever the thread count; a watchdog turns an input that
/// takes longer than the timeout into a failure (a hang), and the run stops early once failures pile up.
/// </summary>
internal static class FuzzRunner
{
    // Thread-pool threads, where the intake really parses, get 1.5 MB of stack on Linux: the fuzzer gets no more.
    public const int WorkerStackBytes = 1536 * 1024;

    private const int MaxFailures = 20;

    public static FuzzReport Run(IReadOnlyList<byte[]> seeds, int iterations, int seed, TimeSpan timeout)
    {
        var failures = new List<FuzzFailure>();
        var workers = Math.Clamp(Environment.ProcessorCount, 1, 8);
        var started = new long[workers];
        var current = new byte[workers][];
        var currentIteration = new long[workers];
        long next = -1, readable = 0, unreadable = 0;
        var stop = false;
        var clock = Stopwatch.StartNew();

        var threads = Enumerable.Range(0, workers).Select(worker => new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                var iteration = Interlocked.Increment(ref next);
                if (iteration >= iterations)
                {
                    return;
                }

                var input = InputOf(seeds, seed, iteration);
                Volatile.Write(ref current[worker], input);
                Volatile.Write(ref currentIteration[worker], iteration);
                Volatile.Write(ref started[worker], Stopwatch.GetTimestamp());
                try
                {
                    Interlocked.Increment(ref ParsingPipeline.Run(input) ? ref readable : ref unreadable);
                }
                catch (Exception exception)
                {
                    lock (failures)
                    {
                        failures.Add(new FuzzFailure(iteration, Signature(exception), exception.ToString(), input));
                        stop |= failures.Count >= MaxFailures;
                    }
                }

                Volatile.Write(ref started[worker], 0);
            }
        }, WorkerStackBytes) { IsBackground = true, Name = $"fuzz-{worker}" }).ToList();

        threads.ForEach(thread => thread.Start());
        while (threads.Any(thread => thread.IsAlive))
        {
            Thread.Sleep(50);
            for (var worker = 0; worker < workers; worker++)
            {
                var since = Volatile.Read(ref started[worker]);
                if (since != 0 && Stopwatch.GetElapsedTime(since) > timeout)
                {
                    lock (failures)
                    {
                        failures.Add(new FuzzFailure(currentIteration[worker], "hang", $"no answer within {timeout.TotalSeconds:0} s", current[worker]));
                        stop = true;
                    }

                    // The hung thread is a background thread: it cannot be stopped, but it does not keep the test host alive.
                    return new FuzzReport(iterations, (int)readable, (int)unreadable, clock.Elapsed, failures);
                }
            }
        }

        return new FuzzReport(iterations, (int)readable, (int)unreadable, clock.Elapsed, failures);
    }

    /// <summary>The input of iteration <paramref name="iteration"/>: a seed picked and mutated by a Random of (seed, iteration).</summary>
    public static byte[] InputOf(IReadOnlyList<byte[]> seeds, int seed, long iteration)
    {
        var random = new Random(Mix(seed, iteration));
        return Mutator.Mutate(seeds[random.Next(seeds.Count)], seeds, random);
    }

    // SplitMix64's finaliser: neighbouring iterations get unrelated Random seeds. (HashCode.Combine would not do:
    // it is salted per process, and a run must be the same in every process.)
    private static int Mix(int seed, long iteration)
    {
        var z = unchecked(((ulong)(uint)seed << 32 ^ (ulong)iteration) + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }

    /// <summary>
    /// Runs the pipeline on a thread with the intake's stack and rethrows what it threw. The bound is work, not time:
    /// the thread may use <paramref name="cpuBudget"/> of CPU, however long a loaded machine takes to give it that.
    /// A thread that stops using CPU without finishing (blocked) is given 30 times the budget on the clock.
    /// </summary>
    public static bool RunIsolated(byte[] input, TimeSpan cpuBudget)
    {
        ExceptionDispatchInfo? failure = null;
        var result = false;
        ThreadCpuTime? cpu = null;
        var thread = new Thread(() =>
        {
            Volatile.Write(ref cpu, ThreadCpuTime.Current());
            try
            {
                result = ParsingPipeline.Run(input);
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        }, WorkerStackBytes) { IsBackground = true };
        var blockedLimit = Stopwatch.StartNew();
        thread.Start();
        while (!thread.Join(TimeSpan.FromMilliseconds(100)))
        {
            var used = cpu?.Used() ?? TimeSpan.Zero;
            if (used > cpuBudget)
            {
                throw new TimeoutException($"the parsing pipeline used more than {cpuBudget.TotalSeconds:0} s of CPU ({used.TotalSeconds:0.0} s) without answering");
            }

            if (blockedLimit.Elapsed > cpuBudget * 30)
            {
                throw new TimeoutException($"the parsing pipeline did not answer within {(cpuBudget * 30).TotalSeconds:0} s ({used.TotalSeconds:0.0} s of CPU)");
            }
        }

        failure?.Throw();
        return result;
    }

    /// <summary>The exception type and the frame it came from: the same bug found twice has the same signature.</summary>
    public static string Signature(Exception exception)
    {
        // The first frame outside the runtime: "IndexOutOfRange at ThrowHelpers" would lump every such bug together.
        var methods = new StackTrace(exception).GetFrames().Select(frame => frame.GetMethod()).OfType<System.Reflection.MethodBase>().ToList();
        var method = methods.FirstOrDefault(m => m.DeclaringType?.Namespace is { } ns && !ns.StartsWith("System", StringComparison.Ordinal) && !ns.StartsWith("Internal", StringComparison.Ordinal)) ?? methods.FirstOrDefault();
        return $"{exception.GetType().Name} at {method?.DeclaringType?.Name}.{method?.Name}";
    }

    /// <summary>
    /// Makes a failing input smaller while it still fails with the same signature (chunks removed, halving), so the
    /// regression file stays small and says what matters. Bounded by <paramref name="maxAttempts"/> runs.
    /// </summary>
    public static byte[] Minimize(byte[] input, string signature, TimeSpan timeout, int maxAttempts = 3_000)
    {
        // An attachment that fails alone is kept alone, in a bare envelope of our own: the regression file then holds
        // a few bytes of a damaged document instead of a corpus mail's headers and text.
        if (Isolate(input, signature, timeout) is { } attachment)
        {
            return Envelope(attachment.Name, Shrink(attachment.Content, content => FailsWith(Envelope(attachment.Name, content), signature, timeout), maxAttempts));
        }

        return Shrink(input, candidate => FailsWith(candidate, signature, timeout), maxAttempts);
    }

    /// <summary>The failing input without every chunk whose removal keeps it failing (halving chunk sizes), within <paramref name="maxAttempts"/> runs.</summary>
    private static byte[] Shrink(byte[] input, Func<byte[], bool> fails, int maxAttempts)
    {
        var attempts = 0;
        for (var chunk = Math.Max(1, input.Length / 2); chunk >= 1 && attempts < maxAttempts; chunk /= 2)
        {
            for (var start = 0; start < input.Length && attempts < maxAttempts;)
            {
                var candidate = input[..start].Concat(input[Math.Min(input.Length, start + chunk)..]).ToArray();
                attempts++;
                if (fails(candidate))
                {
                    input = candidate;
                }
                else
                {
                    start += chunk;
                }
            }
        }

        return input;
    }

    private static (string Name, byte[] Content)? Isolate(byte[] input, string signature, TimeSpan timeout)
    {
        List<(string Name, byte[] Content)> attachments;
        try
        {
            using var message = MailParserOptions.Load(new MemoryStream(input));
            attachments = message.BodyParts.OfType<MimeKit.MimePart>().Where(part => part.Content is not null).Select(part =>
            {
                using var content = new MemoryStream();
                part.Content!.DecodeTo(content);
                return ("attachment" + Path.GetExtension(part.FileName ?? string.Empty).ToLowerInvariant(), content.ToArray());
            }).ToList();
        }
        catch (Exception)
        {
            return null;
        }

        return attachments.Cast<(string, byte[])?>().FirstOrDefault(attachment => FailsWith(Envelope(attachment!.Value.Item1, attachment.Value.Item2), signature, timeout));
    }

    private static byte[] Envelope(string name, byte[] content) => System.Text.Encoding.ASCII.GetBytes(
        "From: fuzz@example.invalid\r\nSubject: fuzz regression\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
        $"--b\r\nContent-Type: application/octet-stream; name=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
        Convert.ToBase64String(content, Base64FormattingOptions.InsertLineBreaks) + "\r\n--b--\r\n");

    private static bool FailsWith(byte[] input, string signature, TimeSpan timeout)
    {
        try
        {
            RunIsolated(input, timeout);
            return false;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception exception)
        {
            return Signature(exception) == signature;
        }
    }
}
