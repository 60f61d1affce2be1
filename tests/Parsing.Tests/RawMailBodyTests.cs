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
}
