using System.Text;
using MimeKit;

namespace MailIntake.Parsing.Tests;

public class MailParserOptionsTests
{
    [Fact]
    public void Default_CharsetEncoding_IsBig5()
    {
        Assert.Equal(950, MailParserOptions.Default.CharsetEncoding.CodePage);
    }

    [Fact]
    public void Default_ChangedByCaller_DoesNotChangeNextCopy()
    {
        ParserOptions first = MailParserOptions.Default;
        first.CharsetEncoding = Encoding.Latin1;

        Assert.Equal(950, MailParserOptions.Default.CharsetEncoding.CodePage);
    }

    [Fact]
    public void Load_RawBig5SubjectWithoutCharset_DecodesAsBig5()
    {
        MimeMessage message = Load(Big5, "Subject: ", "限期改善單回覆－臺南市農會", "\r\nFrom: a@farm.org.tw\r\n\r\nbody\r\n");
        Assert.Equal("限期改善單回覆－臺南市農會", message.Subject);
    }

    [Fact]
    public void Load_RawBig5DisplayNameWithoutCharset_HeaderTextDecodesAsBig5()
    {
        MimeMessage message = Load(Big5, "From: ", "李大同", " <lee@farm.org.tw>\r\nSubject: x\r\n\r\nbody\r\n");
        Assert.Equal("李大同 <lee@farm.org.tw>", message.Headers[HeaderId.From]);
    }

    [Fact]
    public void Load_RawBig5DisplayNameWithoutCharset_ReparsedHeaderTextGivesName()
    {
        // MimeKit 4.18's address parser splits raw 8-bit phrases at ASCII-range bytes, and Big5
        // trail bytes can be ASCII (大 is A4 6A), so MailboxAddress.Name comes out mangled;
        // parsing the already decoded header text is the way round it.
        MimeMessage message = Load(Big5, "From: ", "李大同", " <lee@farm.org.tw>\r\nSubject: x\r\n\r\nbody\r\n");
        InternetAddressList reparsed = InternetAddressList.Parse(MailParserOptions.Default, message.Headers[HeaderId.From]!);
        Assert.Equal("李大同", reparsed.Mailboxes.Single().Name);
    }

    [Fact]
    public void Load_RawUtf8Subject_StillDecodesAsUtf8()
    {
        MimeMessage message = Load(Encoding.UTF8, "Subject: ", "自動回覆：限期改善單", "\r\n\r\nbody\r\n");
        Assert.Equal("自動回覆：限期改善單", message.Subject);
    }

    [Fact]
    public void Load_Big5EncodedWord_Decodes()
    {
        MimeMessage message = LoadText("Subject: =?big5?B?pl7C0A==?= test\r\n\r\nbody\r\n");
        Assert.Equal("回覆 test", message.Subject);
    }

    [Fact]
    public void Load_BannerLineBeforeHeaders_IsSkipped()
    {
        MimeMessage message = LoadText("---- Original email message ----\r\nFrom: a@farm.org.tw\r\nSubject: banner\r\n\r\nbody\r\n");
        Assert.Equal("banner", message.Subject);
        Assert.Equal("a@farm.org.tw", message.From.Mailboxes.Single().Address);
    }

    [Fact]
    public void Load_MboxFromLine_IsAccepted()
    {
        MimeMessage message = LoadText("From MAILER-DAEMON  Mon Sep 20 19:29:27 2021\nFrom: a@farm.org.tw\nSubject: mbox\n\nbody\n");
        Assert.Equal("mbox", message.Subject);
    }

    [Fact]
    public void Load_ProseWithoutHeaders_Throws()
    {
        Assert.Throws<FormatException>(() => LoadText("This is\nnot a mail\nat all,\njust prose\nwithout headers.\n"));
    }

    [Fact]
    public void Load_NonSeekableStream_Loads()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("---- banner ----\r\nSubject: piped\r\n\r\nbody\r\n");
        using var stream = new ForwardOnlyStream(bytes);

        Assert.Equal("piped", MailParserOptions.Load(stream).Subject);
    }

    [Fact]
    public void Load_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => MailParserOptions.Load(null!));
    }

    private static Encoding Big5 => MailParserOptions.Default.CharsetEncoding;

    private static MimeMessage Load(Encoding encoding, string before, string encoded, string after)
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes(before), .. encoding.GetBytes(encoded), .. Encoding.ASCII.GetBytes(after)];
        using var stream = new MemoryStream(bytes);
        return MailParserOptions.Load(stream);
    }

    private static MimeMessage LoadText(string raw)
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(raw));
        return MailParserOptions.Load(stream);
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
