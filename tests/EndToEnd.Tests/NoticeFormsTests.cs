using System.Diagnostics;
using MailIntake.EndToEnd.Tests.Harness;
using MimeKit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The fillable forms the notice mail carries (.docx and .odt), as delivered. Expected to fail until the forms
/// (NoticeFormDocx / NoticeFormOdt) are attached to the notice mail.
/// </summary>
public sealed class NoticeFormsTests(ITestOutputHelper output) : OutboundMailTest(output)
{
    [Fact]
    public async Task NoticeMail_CarriesDocxAndOdtForms_OneAttachmentEach()
    {
        var (_, mail, _) = await IssueAndDeliverNoticeAsync();

        var names = AttachmentNames(mail);
        Assert.True(names.Count(n => n.EndsWith(".docx", StringComparison.OrdinalIgnoreCase)) == 1,
            $"the notice must carry exactly one .docx form; attachments: [{string.Join(", ", names)}]");
        Assert.True(names.Count(n => n.EndsWith(".odt", StringComparison.OrdinalIgnoreCase)) == 1,
            $"the notice must carry exactly one .odt form; attachments: [{string.Join(", ", names)}]");
    }

    /// <summary>
    /// "Open in LibreOffice", checked as the issue asks: <c>libreoffice --headless --convert-to pdf</c> must make a PDF
    /// of each form. LibreOffice falls back to its plain-text import for a file it cannot read, so each form is also
    /// converted to text, which must hold the notice's reference and organisation code: the document was understood.
    /// </summary>
    [Fact]
    public async Task NoticeMailForms_ConvertToPdfInLibreOfficeAndReadAsTheNotice()
    {
        var (reference, mail, _) = await IssueAndDeliverNoticeAsync();

        var forms = mail.Attachments.OfType<MimePart>()
            .Where(p => p.FileName is { } n && (n.EndsWith(".docx", StringComparison.OrdinalIgnoreCase) || n.EndsWith(".odt", StringComparison.OrdinalIgnoreCase)))
            .ToList();
        Assert.True(forms.Count == 2, $"expected a .docx and an .odt form; attachments: [{string.Join(", ", AttachmentNames(mail))}]");

        var dir = Path.Combine(Workspace.Root, "forms");
        Directory.CreateDirectory(dir);
        foreach (var form in forms)
        {
            // Saved under a fixed safe name: the sender's file name never becomes a path.
            var extension = Path.GetExtension(form.FileName!).ToLowerInvariant();
            var file = Path.Combine(dir, $"form-{extension.TrimStart('.')}{extension}");
            await using (var stream = File.Create(file))
                await form.Content!.DecodeToAsync(stream);

            var pdf = await ConvertAsync(file, "pdf", dir);
            var head = File.ReadAllBytes(pdf).AsSpan(0, 5).ToArray();
            Assert.True(System.Text.Encoding.ASCII.GetString(head) == "%PDF-", $"LibreOffice's output for {form.FileName} is not a PDF");

            var text = await File.ReadAllTextAsync(await ConvertAsync(file, "txt:Text (encoded):UTF8", dir));
            foreach (var expected in new[] { reference, TestData.Orgs.TestGuild })
                Assert.True(text.Contains(expected, StringComparison.Ordinal), $"{form.FileName} as LibreOffice reads it must contain {expected}:\n{text}");
        }
    }

    private static List<string> AttachmentNames(MimeMessage mail) =>
        mail.Attachments.Select(a => a is MimePart p ? p.FileName ?? "(no name)" : a.ContentType.MimeType).ToList();

    /// <summary><c>libreoffice --headless --convert-to FORMAT</c>; returns the file it wrote.</summary>
    private async Task<string> ConvertAsync(string file, string format, string outDir)
    {
        // A profile of its own, so parallel conversions never share (and lock) one LibreOffice user installation.
        var profile = new Uri(Path.Combine(Workspace.Root, "lo-profile")).AbsoluteUri;
        var start = new ProcessStartInfo("libreoffice")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { $"-env:UserInstallation={profile}", "--headless", "--convert-to", format, "--outdir", outDir, file })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new XunitException("libreoffice did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(cts.Token);
        Output.WriteLine($"libreoffice --convert-to {format} {Path.GetFileName(file)} exited {process.ExitCode}\n{await stdout}\n{await stderr}");
        var converted = Path.ChangeExtension(file, "." + format.Split(':')[0]);
        if (process.ExitCode != 0 || !File.Exists(converted) || new FileInfo(converted).Length == 0)
            throw new XunitException($"LibreOffice could not convert {Path.GetFileName(file)} to {format} (exit {process.ExitCode}): {await stderr}");
        return converted;
    }
}
