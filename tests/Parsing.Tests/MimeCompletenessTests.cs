using System.Text;
using MailIntake.Parsing;
using MimeKit;

namespace MailIntake.Parsing.Tests;

public sealed class MimeCompletenessTests
{
    private const string Whole =
        "From: lee@org1.example.tw\r\nTo: center@example.tw\r\nSubject: test\r\nMIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n" +
        "--b1\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
        "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K\r\nZW5kc3RyZWFtCmVuZG9iago=\r\n" +
        "--b1--\r\n";

    private static bool IsUnfinished(string text)
    {
        using var raw = new MemoryStream(Encoding.ASCII.GetBytes(text));
        var message = MailParserOptions.Load(raw, persistent: true);
        return MimeCompleteness.IsUnfinished(message, raw);
    }

    [Fact]
    public void IsUnfinished_WholeMessage_IsFalse() => Assert.False(IsUnfinished(Whole));

    [Fact]
    public void IsUnfinished_CutInsideTheLastBase64Group_IsTrue() =>
        Assert.True(IsUnfinished(Whole[..(Whole.IndexOf("=\r\n--b1--", StringComparison.Ordinal) - 2)]));

    [Fact]
    public void IsUnfinished_CutJustBeforeTheClosingBoundary_IsTrue() =>
        Assert.True(IsUnfinished(Whole[..Whole.IndexOf("--b1--", StringComparison.Ordinal)]));

    [Fact]
    public void IsUnfinished_SinglePartWithoutBase64_IsFalse() =>
        Assert.False(IsUnfinished("From: a@b.tw\r\nSubject: x\r\n\r\nplain text\r\n"));

    private const string SinglePart =
        "From: lee@org1.example.tw\r\nTo: center@example.tw\r\nSubject: test\r\nMIME-Version: 1.0\r\n" +
        "Content-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
        "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K\r\n" +
        "ZW5kc3RyZWFtCmVuZG9iagpKVkJFUmkweExqUUtKY2ZzajZJS05TQXdJRzlpYWdvOFBD\r\n" +
        "ZW5kc3RyZWFtCmVuZG9iago=\r\n";

    [Fact]
    public void IsUnfinished_WholeSinglePart_IsFalse() => Assert.False(IsUnfinished(SinglePart));

    /// <summary>
    /// h11z F3: a failing disk keeps a file's size and zero-fills its last blocks. Cut at a line end, the base64 left is
    /// whole groups; the NULs after it are no base64 at all (nor any 7bit/8bit text): the file visibly stops early.
    /// </summary>
    [Fact]
    public void IsUnfinished_SinglePartBase64WhoseTailIsZeroFilled_IsTrue()
    {
        var lineEnd = SinglePart.IndexOf("\r\nZW5kc3RyZWFtCmVuZG9iago=", StringComparison.Ordinal) + 2;
        Assert.True(IsUnfinished(SinglePart[..lineEnd] + new string('\0', SinglePart.Length - lineEnd)));
    }

    [Fact]
    public void IsUnfinished_PlainTextWhoseTailIsZeroFilled_IsTrue() =>
        Assert.True(IsUnfinished("From: a@b.tw\r\nSubject: x\r\n\r\nplain text\r\n" + new string('\0', 40)));

    [Fact]
    public void IsUnfinished_MultipartWholeButZeroFilledTail_IsTrue() => Assert.True(IsUnfinished(Whole + new string('\0', 16)));

    /// <summary>A binary part may end in NUL bytes as sent: that alone says nothing.</summary>
    [Fact]
    public void IsUnfinished_SinglePartBinaryEndingInNul_IsFalse() =>
        Assert.False(IsUnfinished("From: a@b.tw\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n" +
            "Content-Transfer-Encoding: binary\r\n\r\nAB\0\0\0\0"));
}
