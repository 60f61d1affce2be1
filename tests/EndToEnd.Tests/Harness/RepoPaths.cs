namespace MailIntake.EndToEnd.Tests.Harness;

public static class RepoPaths
{
    /// <summary>The directory holding MailIntake.sln, found by walking up from the test assembly.</summary>
    public static string SolutionDirectory { get; } = FindSolutionDirectory();

    /// <summary>
    /// The shared corpus of real messages: env MAILINTAKE_CORPUS, else ../shared/corpus/real next to the repo.
    /// Read in place; those files are under their own licences and are never copied into the repo.
    /// </summary>
    public static string CorpusDirectory()
    {
        var dir = Environment.GetEnvironmentVariable("MAILINTAKE_CORPUS") is { Length: > 0 } env
            ? env
            : Path.GetFullPath(Path.Combine(SolutionDirectory, "..", "shared", "corpus", "real"));
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException(
                $"real-mail corpus not found at {dir}: put the shared folder next to the repo (../shared/corpus/real) or set MAILINTAKE_CORPUS");
        return dir;
    }

    private static string FindSolutionDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MailIntake.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"MailIntake.sln not found above {AppContext.BaseDirectory}");
    }
}
