using System.Diagnostics;

namespace MailIntake.Worker.Tests.Documents;

/// <summary>
/// Converts documents with a headless LibreOffice, the proof that a generated form opens in a
/// real office suite. Missing LibreOffice fails the test: CI installs it (libreoffice-writer-nogui).
/// </summary>
internal static class LibreOffice
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string ConvertToPdf(byte[] document, string extension, string workDirectory)
    {
        var program = Find()
            ?? throw new Xunit.Sdk.XunitException(
                "LibreOffice is not installed: neither 'libreoffice' nor 'soffice' is on PATH. "
                + "Install it with: apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk");

        var input = Path.Combine(workDirectory, "form" + extension);
        File.WriteAllBytes(input, document);

        // A profile per conversion: two LibreOffice processes sharing one profile block each other,
        // and xunit runs test classes in parallel.
        var profile = new Uri(Path.Combine(workDirectory, "profile")).AbsoluteUri;
        var start = new ProcessStartInfo(program)
        {
            ArgumentList = { $"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", workDirectory, input },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not convert {input} within {Timeout}.");
        }

        var pdf = Path.ChangeExtension(input, ".pdf");
        Assert.True(File.Exists(pdf), $"{program} exited {process.ExitCode} without writing {pdf}: {output.Result} {error.Result}");
        return pdf;
    }

    private static string? Find() =>
        new[] { "libreoffice", "soffice" }
            .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(directory => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
}
