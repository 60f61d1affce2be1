using System.Text;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Cli;

/// <summary>
/// Text for the admin's terminal from what anyone can write (subjects, senders, bodies, file names): each line is
/// cleaned of control, direction and non-characters (PrintableText) column by column, so a mail can never run an escape
/// sequence, hide text or reverse a line in <c>mail list</c> or <c>mail show</c>. Tabs between columns stay.
/// </summary>
public sealed class TerminalWriter(TextWriter inner) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    /// <summary>One line cleaned, column by column.</summary>
    public static string Line(string text) => string.Join('\t', text.Split('\t').Select(PrintableText.Clean));

    public override void WriteLine(string? value) => inner.WriteLine(value is null ? null : Lines(value));

    public override void Write(string? value) => inner.Write(value is null ? null : Lines(value));

    public override void Write(char value)
    {
        // A surrogate pair written one char at a time stays whole; Line judges whole strings.
        if (value is '\n' or '\r' or '\t' || char.IsSurrogate(value))
        {
            inner.Write(value);
            return;
        }

        inner.Write(Line(value.ToString()));
    }

    public override void Flush() => inner.Flush();

    private static string Lines(string text) => string.Join('\n', text.Split('\n').Select(line => Line(line.TrimEnd('\r'))));
}
