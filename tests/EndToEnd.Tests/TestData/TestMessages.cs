using System.Security.Cryptography;
using System.Text;
using MailIntake.EndToEnd.Tests.Harness;
using MimeKit;
using MimeKit.Utils;

namespace MailIntake.EndToEnd.Tests.TestData;

/// <summary>An attachment a test message carries, with the bytes its evidence record must describe.</summary>
public sealed record ExpectedAttachment(string FileName, byte[] Content, int? Item)
{
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Content));

    public long Size => Content.Length;
}

public sealed record BuiltMessage(MimeMessage Message, IReadOnlyList<ExpectedAttachment> Attachments);

/// <summary>
/// The mail organisations really send the center, built in code with MimeKit: an Outlook reply in Big5 with
/// Chinese attachment names in every encoding Outlook and webmail use, an out-of-office, a bounce, spam and a
/// reply whose attachment names are hostile.
/// </summary>
public static class TestMessages
{
    public const string FillerName = "李大同";
    public const string FillerPhone = "06-2345678";
    public const string FillerEmail = "lee@org1.example.tw";
    public const string CompletedOnIso = "2026-12-01";

    /// <summary>Big5 that throws on a character it cannot encode, so test text can never silently turn into '?'.</summary>
    public static Encoding Big5 { get; } = StrictBig5();

    private static readonly DateTimeOffset Sent = new(2026, 12, 1, 10, 30, 0, TimeSpan.FromHours(8));

    /// <summary>
    /// An Outlook 16 reply in Big5: RFC 2047 Big5 subject and sender name, text/plain + text/html in Big5 with the
    /// filled form, and the four 附件 named in RFC 2231 and RFC 2047, Big5 and UTF-8, one with a full-width digit.
    /// </summary>
    public static BuiltMessage OutlookBig5Reply(
        string subject = $"Re: 限期改善單 {Orgs.TestGuild} 改善回覆", string from = FillerEmail)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(Big5, "李大同", from));
        message.To.Add(new MailboxAddress(Big5, "臺南市政府智慧發展中心", "center@intake.test"));
        message.Headers.Replace(HeaderId.Subject, Big5, subject);
        message.Headers.Add("Thread-Topic", Big5, subject.StartsWith("Re: ", StringComparison.Ordinal) ? subject[4..] : subject);
        message.Headers.Add("Thread-Index", "AQHbT2xk5Zq0b3m9QkK8gYQe7Vx1Ww==");
        message.Headers.Add("X-Mailer", "Microsoft Outlook 16.0");
        message.Headers.Add("Content-Language", "zh-tw");
        message.Headers.Add("X-MS-Has-Attach", "yes");
        message.Date = Sent;
        message.MessageId = MimeUtils.GenerateMessageId("org1.example.tw");

        var plain = new TextPart("plain") { ContentTransferEncoding = ContentEncoding.Base64 };
        plain.SetText(Big5, FormText);
        var html = new TextPart("html") { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        html.SetText(Big5, FormHtml);

        var attachments = new[]
        {
            new ExpectedAttachment("附件1_防火牆阻擋規則.pdf", Bytes("%PDF-1.4\n", 1, 3_000, "\n%%EOF\n"), 1),
            new ExpectedAttachment("附件2 防毒掃描結果.png", Bytes("\x89PNG\r\n\x1a\n", 2, 5_000, ""), 2),
            new ExpectedAttachment("附件三_公文文號清單.xlsx", Bytes("PK\x03\x04", 3, 7_000, ""), 3),
            new ExpectedAttachment("附件４掃描結果.txt", Big5.GetBytes("掃描結果：事件期間交換之公文檔案共 12 件，均未發現病毒。\r\n"), 4),
        };

        var body = new Multipart("mixed")
        {
            new MultipartAlternative { plain, html },
            Attachment("application", "pdf", attachments[0], Big5, ParameterEncodingMethod.Rfc2231),
            Attachment("image", "png", attachments[1], Big5, ParameterEncodingMethod.Rfc2047),
            Attachment("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet", attachments[2], Encoding.UTF8, ParameterEncodingMethod.Rfc2231),
            Attachment("text", "plain", attachments[3], Encoding.UTF8, ParameterEncodingMethod.Rfc2047),
        };
        message.Body = body;
        return new BuiltMessage(message, attachments);
    }

    /// <summary>
    /// Reply number <paramref name="index"/> of a stream of replies (<see cref="OutlookBig5Reply"/>, its four 附件) to
    /// <paramref name="reference"/>: from the first organisation's filler, or from <see cref="Orgs.SecondOrg"/>'s registered
    /// address (a reference from another organisation's sender is held for staff, never filed), with one file of its own.
    /// </summary>
    public static byte[] NumberedReply(string reference, int index, bool fromSecondOrg, string fileName, byte[] content)
    {
        var message = OutlookBig5Reply(subject: $"Re: 限期改善單 {reference} 改善回覆 {index}").Message;
        if (fromSecondOrg)
        {
            message.From.Clear();
            message.From.Add(new MailboxAddress("陳小明", "org2@intake.test"));
        }

        ((Multipart)message.Body!).Add(new MimePart("application", "octet-stream")
        {
            FileName = fileName,
            Content = new MimeContent(new MemoryStream(content)),
            ContentTransferEncoding = ContentEncoding.Base64,
        });
        return Crlf.Serialize(message);
    }

    /// <summary>A plain one-line mail from a stranger to <paramref name="to"/>, with a fresh Message-ID: mail the tests count.</summary>
    public static MimeMessage Plain(string label, string to)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("someone@example.org"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = label;
        message.MessageId = MimeUtils.GenerateMessageId("example.org");
        message.Body = new TextPart("plain") { Text = label };
        return message;
    }

    /// <summary>An Exchange out-of-office answer (RFC 3834 Auto-Submitted) from the organisation's registered address.</summary>
    public static MimeMessage OutOfOffice()
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(Encoding.UTF8, "台南市測試公會", "org1@intake.test"));
        message.To.Add(new MailboxAddress(Encoding.UTF8, "臺南市政府智慧發展中心", "center@intake.test"));
        message.Headers.Replace(HeaderId.Subject, Encoding.UTF8, $"自動回覆: 限期改善單 {Orgs.TestGuild}");
        message.Headers.Add("Auto-Submitted", "auto-replied");
        message.Headers.Add("X-Auto-Response-Suppress", "All");
        message.Headers.Add("X-MS-Exchange-Inbox-Rules-Loop", "org1@intake.test");
        message.Date = Sent;
        message.MessageId = MimeUtils.GenerateMessageId("intake.test");
        message.Body = new TextPart("plain") { Text = "您好，本人休假至12月5日，期間郵件將延後回覆；急事請洽 06-2345678。" };
        return message;
    }

    /// <summary>A Postfix delivery-status report (multipart/report) for a notice mailed to an unknown address.</summary>
    public static MimeMessage Bounce()
    {
        var message = new MimeMessage();
        message.Headers.Add("Return-Path", "<>");
        message.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@mail.intake.test"));
        message.To.Add(new MailboxAddress("", "center@intake.test"));
        message.Subject = "Undelivered Mail Returned to Sender";
        message.Headers.Add("Auto-Submitted", "auto-replied");
        message.Date = Sent;
        message.MessageId = MimeUtils.GenerateMessageId("mail.intake.test");

        var status = new MessageDeliveryStatus();
        status.StatusGroups.Add(new HeaderList { { "Reporting-MTA", "dns; mail.intake.test" }, { "Arrival-Date", "Tue, 1 Dec 2026 10:29:58 +0800 (CST)" } });
        status.StatusGroups.Add(new HeaderList
        {
            { "Final-Recipient", "rfc822; nobody@org1.example.tw" },
            { "Original-Recipient", "rfc822;nobody@org1.example.tw" },
            { "Action", "failed" },
            { "Status", "5.1.1" },
            { "Diagnostic-Code", "smtp; 550 5.1.1 <nobody@org1.example.tw>: Recipient address rejected: User unknown" },
        });

        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain")
            {
                Text = "This is the mail system at host mail.intake.test.\n\nI'm sorry to have to inform you that your message could not\n" +
                       "be delivered to one or more recipients.\n\n<nobody@org1.example.tw>: host mx.org1.example.tw said: 550 5.1.1 User unknown\n",
            },
            status,
            new TextPart("rfc822-headers")
            {
                Text = $"From: center@intake.test\nTo: nobody@org1.example.tw\nSubject: =?UTF-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes($"限期改善單 {Orgs.TestGuild}"))}?=\n" +
                       "Message-ID: <notice-original@intake.test>\n",
            },
        };
        message.Body = report;
        return message;
    }

    /// <summary>Unsolicited advertising from a sender nobody registered, naming no organisation code.</summary>
    public static MimeMessage Spam()
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(Encoding.UTF8, "優惠中心", "deals@promo.example.com"));
        message.To.Add(new MailboxAddress("", "center@intake.test"));
        message.Headers.Replace(HeaderId.Subject, Encoding.UTF8, "【限時優惠】企業信箱擴充方案 5 折起");
        message.Date = Sent;
        message.MessageId = MimeUtils.GenerateMessageId("promo.example.com");
        message.Body = new TextPart("html") { Text = "<html><body><p>立即升級，享受 5 折優惠！<a href=\"http://promo.example.com/x\">點此</a></p></body></html>" };
        return message;
    }

    /// <summary>
    /// A reply from the organisation whose attachments are named to escape the evidence folder
    /// (<paramref name="traversalName"/>, e.g. <c>../../../../tmp/evil-1234.sh</c>) and to hide an .exe behind
    /// a right-to-left override (<c>附件2\u202Efdp.exe</c>, shown as 附件2exe.pdf).
    /// </summary>
    public static BuiltMessage HostileAttachmentReply(string traversalName)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(Encoding.UTF8, "台南市測試公會", "org1@intake.test"));
        message.To.Add(new MailboxAddress("", "center@intake.test"));
        message.Headers.Replace(HeaderId.Subject, Encoding.UTF8, $"Re: 限期改善單 {Orgs.TestGuild} 補件");
        message.Date = Sent;
        message.MessageId = MimeUtils.GenerateMessageId("intake.test");

        var attachments = new[]
        {
            new ExpectedAttachment(traversalName, Encoding.ASCII.GetBytes("#!/bin/sh\necho pwned > /tmp/pwned\n"), null),
            new ExpectedAttachment("附件2\u202Efdp.exe", Bytes("MZ\x90\0", 9, 2_000, ""), 2),
        };
        message.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "補寄佐證資料如附件。\n填寫人：李大同 / 06-2345678 / lee@org1.example.tw\n" },
            Attachment("application", "x-sh", attachments[0], Encoding.UTF8, ParameterEncodingMethod.Rfc2231),
            Attachment("application", "octet-stream", attachments[1], Encoding.UTF8, ParameterEncodingMethod.Rfc2231),
        };
        return new BuiltMessage(message, attachments);
    }

    private const string FormText =
        "臺南市政府智慧發展中心 您好：\r\n\r\n" +
        "機關(構)代碼/名稱：XC12345678 / 台南市測試公會\r\n" +
        "有關貴中心限期改善單，本會處理情形與說明如下。\r\n\r\n" +
        "本用戶已於115年12月01日完成以下改善事項：\r\n" +
        "一、說明電腦連線至惡意IP之原因：同仁誤點釣魚郵件連結，已完成教育訓練。\r\n" +
        "二、已對該電腦進行掃毒，掃毒紀錄如附件2。\r\n" +
        "三、已確認事件期間交換之公文檔案未遭感染，文號清單及掃描結果如附件三、附件４。\r\n" +
        "四、已由資訊人員蒐集佐證資料，防火牆阻擋規則如附件1。\r\n" +
        "五、佐證資料以電子郵件回復，並將以電話確認。\r\n\r\n" +
        "填寫人：李大同 / 06-2345678 / lee@org1.example.tw\r\n\r\n" +
        "台南市測試公會 敬上\r\n";

    private const string FormHtml =
        "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>" +
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\">" +
        "<meta name=\"Generator\" content=\"Microsoft Word 15 (filtered medium)\"></head>" +
        "<body lang=\"ZH-TW\" link=\"#0563C1\"><div class=\"WordSection1\">" +
        "<p class=\"MsoNormal\">臺南市政府智慧發展中心 您好：</p>" +
        "<p class=\"MsoNormal\">機關(構)代碼/名稱：XC12345678 / 台南市測試公會</p>" +
        "<p class=\"MsoNormal\">本用戶已於115年12月01日完成以下改善事項：</p>" +
        "<p class=\"MsoNormal\">一、說明電腦連線至惡意IP之原因：同仁誤點釣魚郵件連結，已完成教育訓練。<br>" +
        "二、已對該電腦進行掃毒，掃毒紀錄如附件2。<br>" +
        "三、已確認事件期間交換之公文檔案未遭感染，文號清單及掃描結果如附件三、附件４。<br>" +
        "四、已由資訊人員蒐集佐證資料，防火牆阻擋規則如附件1。<br>" +
        "五、佐證資料以電子郵件回復，並將以電話確認。</p>" +
        "<p class=\"MsoNormal\">填寫人：李大同 / 06-2345678 / lee@org1.example.tw</p>" +
        "<p class=\"MsoNormal\">台南市測試公會 敬上</p></div></body></html>";

    private static MimePart Attachment(
        string mediaType, string subtype, ExpectedAttachment attachment, Encoding nameEncoding, ParameterEncodingMethod method)
    {
        var part = new MimePart(mediaType, subtype)
        {
            Content = new MimeContent(new MemoryStream(attachment.Content)),
            ContentTransferEncoding = ContentEncoding.Base64,
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
        };
        part.ContentType.Parameters.Add(new Parameter(nameEncoding, "name", attachment.FileName) { EncodingMethod = method });
        part.ContentDisposition.Parameters.Add(new Parameter(nameEncoding, "filename", attachment.FileName) { EncodingMethod = method });
        return part;
    }

    // The code-pages provider is registered by the module initializer (Harness/CodePages.cs).
    private static Encoding StrictBig5() =>
        Encoding.GetEncoding(950, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    /// <summary>A magic prefix, then deterministic filler bytes, then a suffix: stable, known content.</summary>
    private static byte[] Bytes(string prefix, int seed, int fillerLength, string suffix)
    {
        var filler = new byte[fillerLength];
        new Random(seed).NextBytes(filler);
        return [.. Encoding.Latin1.GetBytes(prefix), .. filler, .. Encoding.Latin1.GetBytes(suffix)];
    }
}
