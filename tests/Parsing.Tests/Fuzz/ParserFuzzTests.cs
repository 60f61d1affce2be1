using System.Globalization;
using System.Security.Cryptography;
using MailIntake.Tests.Hostile;
using Xunit.Abstractions;

namespace MailIntake.Parsing.Tests.Fuzz;

/// <summary>
/// A bounded, deterministic mutation fuzzer over the parsing layer, seeded from the real corpus (read in place) and
/// the hostile corpus. An input that makes any step throw anything but FormatException from a load, or hang, is a
/// failure: it is written, made small, to Fuzz/Regressions (commit it; <see cref="FuzzRegressionTests"/> replays it).
/// MAILINTAKE_FUZZ_ITERATIONS and MAILINTAKE_FUZZ_SEED run a longer or a different campaign locally.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    private const int DefaultIterations = 20_000;
    private const int DefaultSeed = 20261127;
    // Generous: CI runs the end-to-end tests beside this one on two cores; a real hang never ends at all.
    private static readonly TimeSpan InputTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public void Pipeline_MutatedRealAndHostileMail_ThrowsNothingButFormatExceptionAndNeverHangs()
    {
        var iterations = Setting("MAILINTAKE_FUZZ_ITERATIONS", DefaultIterations);
        var seed = Setting("MAILINTAKE_FUZZ_SEED", DefaultSeed);
        var real = RealCorpusTests.Corpus.MessageFiles().Select(file => File.ReadAllBytes(RealCorpusTests.Corpus.PathOf(file))).ToList();
        var hostile = HostileCorpus.All("TN-115-0001", "fuzz", HostileScale.Seed).Select(input => input.Bytes).ToList();
        IReadOnlyList<byte[]> seeds = [.. real, .. hostile];

        var report = FuzzRunner.Run(seeds, iterations, seed, InputTimeout);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed {seed}: {real.Count} real + {hostile.Count} hostile seeds, {report.Iterations:N0} iterations in {report.Elapsed.TotalSeconds:0.0} s; " +
            $"{report.Readable:N0} read, {report.Unreadable:N0} unreadable (FormatException), {report.Failures.Count} failures"));
        var saved = report.Failures.GroupBy(failure => failure.Signature).Select(group => Save(group.First())).ToList();
        Assert.True(report.Failures.Count == 0,
            $"{report.Failures.Count} inputs failed (seed {seed}); kept in {FuzzPaths.Regressions}:\n" +
            string.Join("\n\n", saved));
    }

    private string Save(FuzzFailure failure)
    {
        var input = failure.Signature == "hang" ? failure.Input : FuzzRunner.Minimize(failure.Input, failure.Signature, InputTimeout);
        var kind = failure.Signature.Split(' ')[0];
        var name = $"{kind}-{Convert.ToHexStringLower(SHA256.HashData(input))[..12]}.eml";
        Directory.CreateDirectory(FuzzPaths.Regressions);
        File.WriteAllBytes(Path.Combine(FuzzPaths.Regressions, name), input);
        var line = $"iteration {failure.Iteration}: {failure.Signature} -> {name} ({input.Length:N0} bytes, from {failure.Input.Length:N0})\n{failure.Detail}";
        output.WriteLine(line);
        return line;
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
