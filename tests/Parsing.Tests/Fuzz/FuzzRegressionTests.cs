namespace MailIntake.Parsing.Tests.Fuzz;

/// <summary>Every input the fuzzer ever failed on (Fuzz/Regressions) goes through the parsing pipeline again, on the intake's stack.</summary>
public sealed class FuzzRegressionTests
{
    private const string None = "(no regression files)";

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        var files = Directory.Exists(FuzzPaths.Regressions)
            ? Directory.EnumerateFiles(FuzzPaths.Regressions, "*.eml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];
        foreach (var file in files.Count > 0 ? files : [None])
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Pipeline_KeptFuzzFinding_ThrowsNothingButFormatException(string file)
    {
        if (file == None)
        {
            return;
        }

        FuzzRunner.RunIsolated(File.ReadAllBytes(Path.Combine(FuzzPaths.Regressions, file)), TimeSpan.FromSeconds(20));
    }
}
