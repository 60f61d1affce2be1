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
}
