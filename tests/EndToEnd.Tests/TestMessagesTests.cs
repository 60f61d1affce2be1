using System.Text;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MimeKit;

namespace MailIntake.EndToEnd.Tests;

/// <summary>The harness's messages are what they claim to be (no mail server needed).</summary>
public sealed class TestMessagesTests
{
    [Fact]
    public void OutlookBig5Reply_EncodesNamesAsOutlookAndWebmailDoAndDecodesBack()
    {
        var reply = TestMessages.OutlookBig5Reply();
        var raw = Crlf.Serialize(reply.Message);
        var text = Encoding.Latin1.GetString(raw);

        Assert.Contains("Subject: Re: =?big5?", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("X-Mailer: Microsoft Outlook 16.0", text, StringComparison.Ordinal);
        Assert.Contains("filename*=big5''", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("filename=\"=?big5?", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("filename*0*=utf-8''", text, StringComparison.OrdinalIgnoreCase); // RFC 2231 continuations
        Assert.Contains("filename=\"=?utf-8?", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, CountOf(text, "charset=big5"));

        var parsed = MimeMessage.Load(new MemoryStream(raw));
        Assert.Equal(reply.Message.Subject, parsed.Subject);
        Assert.Contains("本用戶已於115年12月01日完成以下改善事項：", parsed.TextBody, StringComparison.Ordinal);
        Assert.Contains("填寫人：李大同 / 06-2345678 / lee@org1.example.tw", parsed.TextBody, StringComparison.Ordinal);
        var decoded = parsed.Attachments.OfType<MimePart>().Select(p =>
        {
            using var content = new MemoryStream();
            p.Content!.DecodeTo(content);
            return (FileName: p.FileName ?? "", Bytes: Convert.ToHexString(content.ToArray()));
        });
        Assert.Equal(reply.Attachments.Select(a => (a.FileName, Convert.ToHexString(a.Content))), decoded);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.OrdinalIgnoreCase); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.OrdinalIgnoreCase))
            count++;
        return count;
    }
}
