using System.Text;
using MailIntake.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>The harness's mailbox: the mail stack takes messages byte for byte, over validated STARTTLS.</summary>
public sealed class CenterMailboxTests(ITestOutputHelper output) : EndToEndTest(output)
{
    [Fact]
    public async Task AppendAsync_BareLineEndingsAndRawBigFiveBytes_StoredAsCrlfByteForByte()
    {
        // Mixed bare LF, CRLF and bare CR, and two raw 8-bit (Big5) bytes.
        var raw = Crlf.Normalize(Encoding.Latin1.GetBytes("From: a@intake.test\nSubject: bare LF\r\nMessage-ID: <harness@intake.test>\r\rbody\xA4\xA4\n"));

        var uid = await Mailbox.AppendAsync(raw);

        Assert.True(uid > 0, "Dovecot answers APPENDUID");
        Assert.Equal(1, await Mailbox.CountAsync());
        Assert.Equal("From: a@intake.test\r\nSubject: bare LF\r\nMessage-ID: <harness@intake.test>\r\n\r\nbody\xA4\xA4\r\n", Encoding.Latin1.GetString(raw));
        Assert.Equal(raw, await Mailbox.ReadRawAsync(uid));
    }
}
