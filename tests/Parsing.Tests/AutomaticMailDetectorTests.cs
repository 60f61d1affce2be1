using System.Text;
using MimeKit;

namespace MailIntake.Parsing.Tests;

public class AutomaticMailDetectorTests
{
    private const string HumanHeaders = """
        From: 李大同 <lee@farm.org.tw>
        To: notice@mail.tainan.gov.tw
        Subject: RE: 限期改善單 XC12345678
        Message-ID: <1@farm.org.tw>
        MIME-Version: 1.0
        """;

    [Fact]
    public void Detect_HumanReply_IsNone()
    {
        AutomaticClassification result = AutomaticMailDetector.Detect(Parse(HumanHeaders, "text/plain", "已完成改善。"));
        Assert.Equal(AutomaticClassification.None, result);
    }

    [Fact]
    public void Detect_OutlookAutoResponseSuppressAlone_IsNone()
    {
        string headers = HumanHeaders + "\nX-Auto-Response-Suppress: All";
        Assert.Equal(AutomaticKind.None, AutomaticMailDetector.Detect(Parse(headers)).Kind);
    }

    [Theory]
    [InlineData("auto-replied", "auto-replied")]
    [InlineData("auto-generated (failure)", "auto-generated")]
    [InlineData("auto-notified; owner-email=\"x@y\"", "auto-notified")]
    public void Detect_AutoSubmittedNotNo_IsAutoReply(string value, string evidence)
    {
        string headers = HumanHeaders + $"\nAuto-Submitted: {value}";
        Assert.Equal(new AutomaticClassification(AutomaticKind.AutoReply, AutomaticSign.AutoSubmittedHeader, evidence), AutomaticMailDetector.Detect(Parse(headers)));
    }

    [Fact]
    public void Detect_AutoSubmittedNo_IsNone()
    {
        string headers = HumanHeaders + "\nAuto-Submitted: no";
        Assert.Equal(AutomaticKind.None, AutomaticMailDetector.Detect(Parse(headers)).Kind);
    }

    [Theory]
    [InlineData("X-Autoreply")]
    [InlineData("X-Autorespond")]
    [InlineData("X-Autoresponse")]
    public void Detect_AutoreplyFlagHeader_IsAutoReply(string header)
    {
        string headers = HumanHeaders + $"\n{header}: yes";
        Assert.Equal(new AutomaticClassification(AutomaticKind.AutoReply, AutomaticSign.AutoReplyHeader, header), AutomaticMailDetector.Detect(Parse(headers)));
    }

    [Theory]
    [InlineData("bulk")]
    [InlineData("junk")]
    [InlineData("list")]
    [InlineData("Bulk")]
    public void Detect_BulkPrecedence_IsAutoReply(string precedence)
    {
        string headers = HumanHeaders + $"\nPrecedence: {precedence}";
        AutomaticClassification result = AutomaticMailDetector.Detect(Parse(headers));
        Assert.Equal(new AutomaticClassification(AutomaticKind.AutoReply, AutomaticSign.PrecedenceHeader, precedence.ToLowerInvariant()), result);
    }

    [Fact]
    public void Detect_FirstClassPrecedence_IsNone()
    {
        string headers = HumanHeaders + "\nPrecedence: first-class";
        Assert.Equal(AutomaticKind.None, AutomaticMailDetector.Detect(Parse(headers)).Kind);
    }

    [Theory]
    [InlineData("自動回覆: 限期改善單 XC12345678")]
    [InlineData("自動回覆：限期改善單")]
    [InlineData("自动回复: 限期改善单")]
    [InlineData("Automatic reply: 限期改善單")]
    [InlineData("Auto Reply: notice")]
    [InlineData("AutoReply: notice")]
    [InlineData("Out of Office: notice")]
    [InlineData("不在辦公室: 限期改善單")]
    [InlineData("Abwesenheitsnotiz: Mitteilung")]
    [InlineData("  automatic reply: leading spaces and lower case")]
    public void Detect_AutoReplySubject_IsAutoReply(string subject)
    {
        string headers = HumanHeaders.Replace("Subject: RE: 限期改善單 XC12345678", "Subject: " + subject);
        AutomaticClassification result = AutomaticMailDetector.Detect(Parse(headers));
        Assert.Equal(AutomaticKind.AutoReply, result.Kind);
        Assert.Equal(AutomaticSign.SubjectPrefix, result.Sign);
        Assert.StartsWith(result.Evidence!, subject.TrimStart(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("RE: 自動回覆: 限期改善單")]
    [InlineData("關於自動回覆的問題")]
    public void Detect_AutoReplyWordsNotAtStart_IsNone(string subject)
    {
        string headers = HumanHeaders.Replace("Subject: RE: 限期改善單 XC12345678", "Subject: " + subject);
        Assert.Equal(AutomaticKind.None, AutomaticMailDetector.Detect(Parse(headers)).Kind);
    }

    [Fact]
    public void Detect_AppleVacationAction_IsAutoReply()
    {
        string headers = HumanHeaders + "\nX-Apple-Action: VACATION";
        Assert.Equal(new AutomaticClassification(AutomaticKind.AutoReply, AutomaticSign.AppleVacationHeader), AutomaticMailDetector.Detect(Parse(headers)));
    }

    [Fact]
    public void Detect_ExchangeRuleLoopFromOwnMailbox_IsAutoReply()
    {
        string headers = HumanHeaders + "\nX-MS-Exchange-Inbox-Rules-Loop: lee@farm.org.tw";
        AutomaticClassification result = AutomaticMailDetector.Detect(Parse(headers));
        Assert.Equal(AutomaticKind.AutoReply, result.Kind);
        Assert.Equal(AutomaticSign.ExchangeRuleReply, result.Sign);
    }

    [Fact]
    public void Detect_ExchangeRuleLoopOfAnotherMailbox_IsNone()
    {
        // A redirect rule in a staff mailbox keeps the organisation as sender.
        string headers = HumanHeaders + "\nX-MS-Exchange-Inbox-Rules-Loop: staff@mail.tainan.gov.tw";
        Assert.Equal(AutomaticKind.None, AutomaticMailDetector.Detect(Parse(headers)).Kind);
    }

    [Fact]
    public void Detect_ExchangeRuleLoopOnForward_IsNone()
    {
        string headers = HumanHeaders.Replace("Subject: RE:", "Subject: FW:") + "\nX-MS-Exchange-Inbox-Rules-Loop: lee@farm.org.tw";
        Assert.Equal(AutomaticKind.None, AutomaticMailDetector.Detect(Parse(headers)).Kind);
    }

    [Fact]
    public void Detect_DeliveryStatusReport_IsBounce()
    {
        AutomaticClassification result = AutomaticMailDetector.Detect(DeliveryReport("Auto-Submitted: auto-replied"));
        Assert.Equal(new AutomaticClassification(AutomaticKind.Bounce, AutomaticSign.DeliveryStatusReport), result);
    }

    [Fact]
    public void Detect_DeliveryStatusPartInsideMixed_IsBounce()
    {
        var mixed = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "Delayed mail" },
            new MimePart("message", "delivery-status") { Content = Content("Reporting-MTA: dns; mx\r\n\r\nAction: delayed\r\n") },
        };
        MimeMessage message = Parse(HumanHeaders);
        message.Body = mixed;

        AutomaticClassification result = AutomaticMailDetector.Detect(message);
        Assert.Equal(new AutomaticClassification(AutomaticKind.Bounce, AutomaticSign.DeliveryStatusPart, "message/delivery-status"), result);
    }

    [Fact]
    public void Detect_ForwardedBounceAsAttachment_IsNone()
    {
        // An organisation forwarding a bounce it received is a person writing, not a bounce.
        var mixed = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "請參考附件的退信" },
            new MessagePart { Message = DeliveryReport(string.Empty) },
        };
        MimeMessage message = Parse(HumanHeaders);
        message.Body = mixed;

        Assert.Equal(AutomaticKind.None, AutomaticMailDetector.Detect(message).Kind);
    }

    [Fact]
    public void Detect_ReadReceipt_IsAutoReply()
    {
        var report = new MultipartReport("disposition-notification")
        {
            new TextPart("plain") { Text = "Your message was displayed." },
            new MimePart("message", "disposition-notification") { Content = Content("Disposition: manual-action/MDN-sent-manually; displayed\r\n") },
        };
        MimeMessage message = Parse(HumanHeaders);
        message.Body = report;

        AutomaticClassification result = AutomaticMailDetector.Detect(message);
        Assert.Equal(new AutomaticClassification(AutomaticKind.AutoReply, AutomaticSign.ReadReceiptReport), result);
    }

    [Theory]
    [InlineData("From: Mail Delivery System <MAILER-DAEMON@mx.farm.org.tw>", "MAILER-DAEMON")]
    [InlineData("From: mailer-daemon@mx.farm.org.tw", "MAILER-DAEMON")]
    [InlineData("From: Postmaster@farm.org.tw", "postmaster")]
    [InlineData("From: Microsoft Outlook <postmaster@outlook.com>", "postmaster")]
    public void Detect_DaemonSender_IsBounce(string from, string daemon)
    {
        string headers = HumanHeaders.Replace("From: 李大同 <lee@farm.org.tw>", from) + "\nPrecedence: junk";
        Assert.Equal(new AutomaticClassification(AutomaticKind.Bounce, AutomaticSign.DaemonSender, daemon), AutomaticMailDetector.Detect(Parse(headers)));
    }

    [Fact]
    public void Detect_DaemonSenderHeader_IsBounce()
    {
        string headers = HumanHeaders + "\nSender: MAILER-DAEMON@mx.farm.org.tw";
        Assert.Equal(AutomaticKind.Bounce, AutomaticMailDetector.Detect(Parse(headers)).Kind);
    }

    [Fact]
    public void Detect_ExchangeNdrMarker_IsBounce()
    {
        string headers = HumanHeaders + "\nX-MS-Exchange-Message-Is-Ndr:";
        Assert.Equal(new AutomaticClassification(AutomaticKind.Bounce, AutomaticSign.ExchangeNdrHeader), AutomaticMailDetector.Detect(Parse(headers)));
    }

    [Fact]
    public void Detect_EmptyReturnPathAlone_IsBounce()
    {
        string headers = "Return-Path: <>\n" + HumanHeaders;
        Assert.Equal(new AutomaticClassification(AutomaticKind.Bounce, AutomaticSign.EmptyReturnPath), AutomaticMailDetector.Detect(Parse(headers)));
    }

    [Fact]
    public void Detect_EmptyReturnPathWithAutoReplySubject_IsAutoReply()
    {
        // Exchange sends out-of-office replies with an empty envelope sender.
        string headers = "Return-Path: <>\n" + HumanHeaders.Replace("Subject: RE:", "Subject: 自動回覆:");
        Assert.Equal(AutomaticKind.AutoReply, AutomaticMailDetector.Detect(Parse(headers)).Kind);
    }

    [Fact]
    public void Detect_MailerDaemonReturnPath_IsBounce()
    {
        string headers = "Return-Path: <MAILER-DAEMON>\n" + HumanHeaders;
        Assert.Equal(new AutomaticClassification(AutomaticKind.Bounce, AutomaticSign.DaemonReturnPath, "MAILER-DAEMON"), AutomaticMailDetector.Detect(Parse(headers)));
    }

    [Fact]
    public void Detect_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => AutomaticMailDetector.Detect(null!));
    }

    private static MimeMessage DeliveryReport(string extraHeader)
    {
        string headers = HumanHeaders.Replace("From: 李大同 <lee@farm.org.tw>", "From: Mail Delivery <relay@isp.example>")
            + (extraHeader.Length > 0 ? "\n" + extraHeader : string.Empty);
        MimeMessage message = Parse(headers);
        message.Body = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = "Delivery failed" },
            new MimePart("message", "delivery-status") { Content = Content("Reporting-MTA: dns; mx\r\n\r\nAction: failed\r\nStatus: 5.1.1\r\n") },
        };
        return message;
    }

    private static MimeContent Content(string text) => new(new MemoryStream(Encoding.ASCII.GetBytes(text)));

    private static MimeMessage Parse(string headers, string contentType = "text/plain", string body = "body")
    {
        string raw = headers.ReplaceLineEndings("\r\n") + $"\r\nContent-Type: {contentType}; charset=utf-8\r\n\r\n{body}\r\n";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(raw));
        return MailParserOptions.Load(stream);
    }
}
