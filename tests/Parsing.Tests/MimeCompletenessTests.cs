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
}
