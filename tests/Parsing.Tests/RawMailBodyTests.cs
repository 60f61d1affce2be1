using System.Text;

namespace MailIntake.Parsing.Tests;

public sealed class RawMailBodyTests
{
    private static string Hash(string raw) => RawMailBody.Sha256(new MemoryStream(Encoding.ASCII.GetBytes(raw)));

    [Fact]
    public void Sha256_OtherTransportHeadersAndLineEndings_SameHash()
    {
        var direct = Hash("Message-ID: <a@x>\r\nSubject: s\r\n\r\nbody line\r\nsecond\r\n");
        var relayed = Hash("Received: from relay\nDelivered-To: c@x\nMessage-ID: <a@x>\nSubject: s\n\nbody line\nsecond\n");

        Assert.Equal(direct, relayed);
    }

    [Fact]
    public void Sha256_OtherBody_OtherHash()
    {
        Assert.NotEqual(Hash("Message-ID: <a@x>\r\n\r\nscan 1\r\n"), Hash("Message-ID: <a@x>\r\n\r\nscan 2\r\n"));
    }

    private static string Message(string raw) => RawMailBody.Hashes(new MemoryStream(Encoding.ASCII.GetBytes(raw))).Message;

    [Fact]
    public void Hashes_OtherTransportHeadersLineEndingsAndFolding_SameMessage()
    {
        var direct = Message("From: a@x\r\nSubject: one two\r\nMessage-ID: <a@x>\r\n\r\nbody\r\n");
        var relayed = Message("Received: from relay\nDelivered-To: c@x\nReturn-Path: <a@x>\nX-Spam-Score: 1\nFrom: a@x\nSubject: one\n\ttwo\nMessage-ID: <a@x>\n\nbody\n");

        Assert.Equal(direct, relayed);
    }

    [Theory]
    [InlineData("From: b@x\r\nSubject: s\r\n\r\nbody\r\n")]
    [InlineData("From: a@x\r\nSubject: other\r\n\r\nbody\r\n")]
    [InlineData("From: a@x\r\nSubject: s\r\nCc: c@x\r\n\r\nbody\r\n")]
    [InlineData("From: a@x\r\nSubject: s\r\nDate: Tue, 1 Dec 2026 10:00:00 +0800\r\n\r\nbody\r\n")]
    public void Hashes_OtherAuthorHeaderSameBody_OtherMessageSameBody(string other)
    {
        const string first = "From: a@x\r\nSubject: s\r\n\r\nbody\r\n";
        var one = RawMailBody.Hashes(new MemoryStream(Encoding.ASCII.GetBytes(first)));
        var two = RawMailBody.Hashes(new MemoryStream(Encoding.ASCII.GetBytes(other)));

        Assert.Equal(one.Body, two.Body);
        Assert.NotEqual(one.Message, two.Message);
    }

    /// <summary>
    /// h30h P14: files with no header a sender writes — random bytes, a mail saved as UTF-16, an empty file — all hashed
    /// as one message (an empty header block and body), so each after the first was taken for a copy of it and dropped.
    /// </summary>
    [Fact]
    public void Hashes_FilesWithNoAuthorHeader_TheirBytesTellThemApart()
    {
        var random = new Random(11);
        var junk1 = new byte[3000];
        var junk2 = new byte[3000];
        random.NextBytes(junk1);
        random.NextBytes(junk2);
        var utf16a = Encoding.Unicode.GetBytes("From: lee@org1.example.tw\r\nSubject: 回覆 TN-115-0001\r\n\r\n改善完成\r\n");
        var utf16b = Encoding.Unicode.GetBytes("From: contact@org2.example.tw\r\nSubject: 回覆 TN-115-0002\r\n\r\n改善完成\r\n");
        var messages = new[] { junk1, junk2, utf16a, utf16b, [] }.Select(bytes => RawMailBody.Hashes(new MemoryStream(bytes)).Message).ToList();

        Assert.Equal(messages.Count, messages.Distinct().Count());
        // Every byte tells them apart, line endings too (h31h Q7: a CRLF copy of a recorded file was dropped); the same
        // bytes again are one message.
        var lf = Encoding.ASCII.GetBytes("hello world 1\n");
        var crlf = Encoding.ASCII.GetBytes("hello world 1\r\n");
        Assert.NotEqual(RawMailBody.Hashes(new MemoryStream(lf)).Message, RawMailBody.Hashes(new MemoryStream(crlf)).Message);
        Assert.Equal(RawMailBody.Hashes(new MemoryStream(lf)).Message, RawMailBody.Hashes(new MemoryStream(lf.ToArray())).Message);
    }
}
