using MailIntake.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Hostile finding h19h H4: a file a person names for the program to read (<c>notice issue --items-file</c>, <c>orgs
/// import FILE</c>, the <c>Calendar:HolidaysFile</c> setting) that is a device, a folder or huge gave 「程式發生未預期的錯誤：
/// Array dimensions exceeded supported range.」, 「找不到檔案」 for a folder, or 「檔案或資料夾無法使用：無法讀寫」 naming no file.
/// Each is refused with one zh-TW line naming the file and what is wrong with it, with the exit code of that input's
/// other refusals: 2 for <c>--items-file</c> (a bad argument), 1 for <c>orgs import</c> (as its missing or malformed
/// file) and for the setting (invalid settings stop the program).
/// </summary>
public sealed class NamedInputFileTests(ITestOutputHelper output) : IDisposable
{
    private const string Registry = "code,name,email,phone,contact\nXC12345678,臺南市測試公會,org@example.tw,06-1234567,李大同\n";

    private readonly TestWorkspace _workspace = new();

    public static TheoryData<string, string> NotTextFiles => new()
    {
        { "device", "不是一般檔案" },
        { "folder", "是資料夾，不是檔案" },
        { "huge", "檔案過大" },
    };

    [Theory]
    [MemberData(nameof(NotTextFiles))]
    public async Task NoticeIssueItemsFile_NotARegularTextFile_ExitsTwoNamingTheFileAndWhy(string what, string reason)
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        await cli.ImportOrgsAsync(Registry);
        var path = Named(what);
        var today = TestClock.Today;

        var result = await cli.RunAsync("notice", "issue", "--org", "XC12345678", "--host-ip", "10.1.2.3", "--malicious-ip", "203.0.113.9",
            "--from", Iso(today.AddDays(-7)), "--to", Iso(today.AddDays(-6)), "--deadline", Iso(today.AddDays(14)), "--items-file", path, "--no-send");

        Assert.True(result.ExitCode == 2, $"a {what} as --items-file is a bad argument, exit 2: {result.Describe()}");
        AssertOneLineNaming(result, "--items-file ", reason, path, what);
        Assert.Contains("共 0 件", await cli.RunOkAsync("notice", "list"));
    }

    [Theory]
    [MemberData(nameof(NotTextFiles))]
    public async Task OrgsImport_NotARegularTextFile_ExitsOneNamingTheFileAndWhy(string what, string reason)
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        var path = Named(what);

        var result = await cli.RunAsync("orgs", "import", path);

        Assert.True(result.ExitCode == 1, $"a {what} given to orgs import is refused as a missing file is, exit 1: {result.Describe()}");
        AssertOneLineNaming(result, "", reason, path, what);
    }

    [Theory]
    [MemberData(nameof(NotTextFiles))]
    public async Task HolidaysFileSetting_NotARegularTextFile_StopsAtStartNamingTheKeyTheFileAndWhy(string what, string reason)
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        var path = Named(what);
        cli.Environment["MailIntake__Calendar__HolidaysFile"] = path;

        var result = await cli.RunAsync("status");

        Assert.True(result.ExitCode == 1, $"an invalid setting stops the program, exit 1: {result.Describe()}");
        AssertOneLineNaming(result, "設定錯誤：MailIntake:Calendar:HolidaysFile ", reason, path, what);
    }

    /// <summary>A character device that never ends, a folder, or a 3 GB (sparse) file.</summary>
    private string Named(string what)
    {
        switch (what)
        {
            case "device":
                return "/dev/zero";
            case "folder":
                return _workspace.Input;
            default:
                var path = Path.Combine(_workspace.Input, "huge.csv");
                using (var file = new FileStream(path, FileMode.CreateNew))
                {
                    file.SetLength(3L * 1024 * 1024 * 1024);
                }

                return path;
        }
    }

    private static void AssertOneLineNaming(CliResult result, string prefix, string reason, string path, string what)
    {
        Assert.True(result.StderrLines.Length == 1, $"stderr must be exactly one line: {result.Describe()}");
        var line = result.StderrLines[0];
        Assert.True(line.StartsWith(prefix, StringComparison.Ordinal) && line.Contains(reason, StringComparison.Ordinal) && line.Contains(path, StringComparison.Ordinal),
            $"a {what}: 「{prefix}…{reason}…{path}」 expected: {result.Describe()}");
        Assert.True(what != "huge" || line.Contains("上限", StringComparison.Ordinal), $"a file too large names the limit: {result.Describe()}");
        Assert.DoesNotContain("未預期", line, StringComparison.Ordinal);
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _workspace.Dispose();
}
