namespace MailIntake.Parsing.Tests.Fuzz;

/// <summary>Where the fuzzer keeps what it found: tests/Parsing.Tests/Fuzz/Regressions in the source tree, read and written in place.</summary>
internal static class FuzzPaths
{
    public static string Regressions { get; } = Path.Combine(SolutionDirectory(), "tests", "Parsing.Tests", "Fuzz", "Regressions");

    private static string SolutionDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MailIntake.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"MailIntake.sln not found above {AppContext.BaseDirectory}");
    }
}
