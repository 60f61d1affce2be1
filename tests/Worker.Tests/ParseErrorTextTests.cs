using MailIntake.Worker.Cli;

namespace MailIntake.Worker.Tests;

public sealed class ParseErrorTextTests
{
    private static string Line(params string[] args)
    {
        var result = CliApp.Root().Parse(args);
        Assert.NotEmpty(result.Errors);
        return ParseErrorText.Line(result);
    }

    private static void AssertOneChineseLine(string line)
    {
        Assert.StartsWith("參數錯誤：", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        foreach (var english in new[] { "Argument", "argument", "Cannot parse", "System.", "Required", "Must be", "Unrecognized" })
        {
            Assert.DoesNotContain(english, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Line_ValueNotAmongTheAccepted_NamesTheOptionAndEveryAcceptedValue()
    {
        var line = Line("notice", "confirm-phone", "TN-115-0001", "--by", "張專員", "--result", "bogus");

        AssertOneChineseLine(line);
        Assert.Contains("--result", line, StringComparison.Ordinal);
        Assert.Contains("bogus", line, StringComparison.Ordinal);
        Assert.All(["reached", "no-answer", "wrong-number"], value => Assert.Contains(value, line, StringComparison.Ordinal));
    }

    [Fact]
    public void Line_MailIdThatIsNoNumber_NamesTheArgumentAndThatItIsANumber()
    {
        var line = Line("mail", "assign", "abc", "TN-115-0001");

        AssertOneChineseLine(line);
        Assert.Contains("MAIL-ID", line, StringComparison.Ordinal);
        Assert.Contains("「abc」", line, StringComparison.Ordinal);
        Assert.Contains("整數", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_ImportWithoutFile_NamesTheMissingArgument()
    {
        var line = Line("orgs", "import");

        AssertOneChineseLine(line);
        Assert.Contains("缺少 FILE.csv", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_UnknownMailKind_ListsTheKinds()
    {
        var line = Line("mail", "list", "--kind", "bogus");

        AssertOneChineseLine(line);
        Assert.Contains("--kind", line, StringComparison.Ordinal);
        Assert.All(["reply", "unmatched", "ambiguous", "suspicious"], kind => Assert.Contains(kind, line, StringComparison.Ordinal));
    }

    [Fact]
    public void Line_SeveralRequiredOptionsMissing_NamesEachOnOneLine()
    {
        var line = Line("notice", "issue", "--org", "XC12345678");

        AssertOneChineseLine(line);
        Assert.All(["--host-ip", "--malicious-ip", "--from", "--to", "--deadline"], option => Assert.Contains($"缺少 {option}", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Line_UnknownCommand_ListsTheCommands()
    {
        var line = Line("notice", "bogus");

        AssertOneChineseLine(line);
        Assert.Contains("「bogus」", line, StringComparison.Ordinal);
        Assert.Contains("follow-up", line, StringComparison.Ordinal);
    }
}
