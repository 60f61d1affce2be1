using System.Text;
using MailIntake.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// CONTRACT.md <c>orgs import FILE.csv [--dry-run]</c>: a malformed file is rejected whole with line numbers and
/// nothing changed; UTF-8 or Big5, never a mix; <c>--dry-run</c> shows what would change.
/// </summary>
public sealed class OrgImportTests(ITestOutputHelper output) : IDisposable
{
    private const string Registry =
        "code,name,email,phone,contact\n" +
        "XC10000001,臺南市甲協會,a@org1.example.tw,06-1111111,李大同\n" +
        "XC10000002,臺南市乙公會,b@org2.example.tw,06-2222222,王小明\n";

    private readonly TestWorkspace _workspace = new();

    /// <summary>
    /// h10x #12: the center's own address (or a staff member's) was accepted as an organisation's; its notices were then
    /// shown sent to ourselves and came back as automatic mail. Such a file is rejected naming the line.
    /// </summary>
    [Fact]
    public async Task OrgsImport_TheCentersOwnOrAStaffMembersAddress_RejectedWholeNamingTheLines()
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        cli.Environment["MailIntake__Center__Email"] = "center@intake.test";
        cli.Environment["MailIntake__Staff__Members__0__Email"] = "clerk@intake.test";
        cli.Environment["MailIntake__Staff__Members__0__Name"] = "林書記";
        cli.Environment["MailIntake__Staff__Members__0__Role"] = "staff";
        var file = _workspace.WriteInput("own.csv",
            "code,name,email,phone,contact\n" +
            "XC10000001,臺南市甲協會,a@org1.example.tw,06-1111111,李大同\n" +
            "XC99999999,自己,CENTER@intake.test,06-1,甲\n" +
            "XC99999998,書記,x@org9.example.tw;clerk@intake.test,06-2,乙\n");

        var result = await cli.RunAsync("orgs", "import", file);

        Assert.True(result.ExitCode == 1, $"a file with our own address is rejected, exit 1: {result.Describe()}");
        var line = Assert.Single(result.StderrLines);
        Assert.Contains("第 3 行的電子郵件「center@intake.test」是本中心或承辦人員之信箱", line);
        Assert.Contains("第 4 行的電子郵件「clerk@intake.test」是本中心或承辦人員之信箱", line);
        var registry = await cli.RunOkAsync("orgs", "list", "--json");
        Assert.DoesNotContain("XC10000001", registry, StringComparison.Ordinal);
        Assert.DoesNotContain("XC99999999", registry, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrgsImport_FileWithMalformedRows_RejectedWholeWithTheirLinesAndRegistryUnchanged()
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        await cli.ImportOrgsAsync(Registry);
        var before = await cli.RunOkAsync("orgs", "list", "--json");

        // Line 2 is good and line 3 changes an address: neither may be applied while lines 4-6 are wrong.
        var file = _workspace.WriteInput("bad.csv",
            "code,name,email,phone,contact\n" +
            "XC10000003,臺南市丙協會,c@org3.example.tw,,\n" +
            "XC10000001,臺南市甲協會,new@org1.example.tw,06-1111111,李大同\n" +
            "XC10000004,臺南市丁協會,王小華 <d@org4.example.tw>,,\n" +
            "XC10000003,臺南市丙協會重複,c2@org3.example.tw,,\n" +
            "XC10000005,\"臺南市戊協會,e@org5.example.tw,,\n");

        var result = await cli.RunAsync("orgs", "import", file);

        Assert.True(result.ExitCode == 1, $"a malformed file is a handled error, exit 1: {result.Describe()}");
        var line = Assert.Single(result.StderrLines);
        Assert.Contains("未做任何變更", line);
        Assert.Contains("第 4 行的電子郵件「王小華 <d@org4.example.tw>」不是單純的郵件地址", line);
        Assert.Contains("第 5 行的機關代碼 XC10000003 與第 2 行重複", line);
        Assert.Contains("第 6 行的引號沒有結束", line);
        Assert.Equal(before, await cli.RunOkAsync("orgs", "list", "--json"));
    }

    [Fact]
    public async Task OrgsImport_Big5FileWithUtf8Lines_RejectedNotGuessed()
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        var path = Path.Combine(_workspace.Input, "mixed.csv");
        await File.WriteAllBytesAsync(path, Encoding.GetEncoding(950).GetBytes(Registry)
            .Concat(Encoding.UTF8.GetBytes("XC10000003,臺南市丙協會,c@org3.example.tw,,\n")).ToArray());

        var result = await cli.RunAsync("orgs", "import", path);

        Assert.True(result.ExitCode == 1, result.Describe());
        Assert.Contains("第 4 行不是 Big5，而前面各行是 Big5", Assert.Single(result.StderrLines));
        Assert.Contains("共 0 個機關", await cli.RunOkAsync("orgs", "list"));
    }

    [Fact]
    public async Task OrgsImport_DryRun_ShowsEachChangeAndChangesNothing()
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        await cli.ImportOrgsAsync(Registry);
        var before = await cli.RunOkAsync("orgs", "list", "--json");
        var path = Path.Combine(_workspace.Input, "next.csv");
        await File.WriteAllBytesAsync(path, Encoding.GetEncoding(950).GetBytes(
            "code,name,email,phone,contact\r\n" +
            "XC10000001,臺南市甲協會,a@org1.example.tw;it@org1.example.tw,06-1111111,李大同\r\n" +
            "XC10000002,臺南市乙公會,b@org2.example.tw,06-2222222,王小明\r\n" +
            "XC10000003,臺南市丙協會,c@org3.example.tw,,\r\n"));

        var dryRun = await cli.RunOkAsync("orgs", "import", path, "--dry-run");

        Assert.Contains("試算，未做任何變更：檔案共 3 個機關，將新增 1、更新 1、不變 1（檔案編碼 Big5）", dryRun);
        Assert.Contains("新增 XC10000003 臺南市丙協會　電子郵件：c@org3.example.tw　電話：（空白）　聯絡人：（空白）（第 4 行）", dryRun);
        Assert.Contains("更新 XC10000001 臺南市甲協會：電子郵件「a@org1.example.tw」→「a@org1.example.tw;it@org1.example.tw」（第 2 行）", dryRun);
        Assert.DoesNotContain("XC10000002", dryRun);
        Assert.Equal(before, await cli.RunOkAsync("orgs", "list", "--json"));

        var applied = await cli.RunOkAsync("orgs", "import", path);

        Assert.Contains("已匯入 3 個機關：新增 1、更新 1、不變 1（檔案編碼 Big5）", applied);
        var list = await cli.RunOkAsync("orgs", "list");
        Assert.Contains("XC10000001\t臺南市甲協會\ta@org1.example.tw;it@org1.example.tw", list);
        Assert.Contains("XC10000003\t臺南市丙協會\tc@org3.example.tw", list);
    }

    public void Dispose() => _workspace.Dispose();
}
