using MailIntake.Worker.Cli;

namespace MailIntake.Worker.Tests;

/// <summary>h10w #2, h10v #4: what a stranger writes never runs an escape sequence in the admin's terminal.</summary>
public sealed class TerminalWriterTests
{
    [Fact]
    public void Line_EscapeSequencesDirectionMarksAndNonCharacters_AreReplacedAndColumnsKept()
    {
        var line = TerminalWriter.Line("#1\thello \u001b]0;owned\u0007 \u001b[8mhidden\tAdmin\u202e <x@evil.example>\t\uffff\u009b2J");

        Assert.Equal("#1\thello \uFFFD]0;owned\uFFFD \uFFFD[8mhidden\tAdmin\uFFFD <x@evil.example>\t\uFFFD\uFFFD2J", line);
    }

    [Fact]
    public void WriteLine_BodyWithEscapes_WritesEachLineCleanedAndKeepsTheLineBreaks()
    {
        using var output = new StringWriter();
        using var terminal = new TerminalWriter(output);

        terminal.WriteLine("內文：x\u001b]0;body\u0007\n填寫人：李\u001b[31m大同");

        Assert.Equal("內文：x\uFFFD]0;body\uFFFD\n填寫人：李\uFFFD[31m大同" + output.NewLine, output.ToString());
    }
}
