using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace MailIntake.EndToEnd.Tests.TestData;

/// <summary>
/// What comes back after the center mailed a notice for real: a person's reply that only threads to it, an
/// out-of-office that threads to it, and Postfix's delivery report returning its headers. Built from the notice as
/// it was delivered, so they carry its real Message-ID and subject.
/// </summary>
public static class AnswersToOurMail
{
    public const string ThreadReplySubject = "Re: 您好";
    public const string ThreadReplyAttachmentName = "附件1_防火牆阻擋規則.pdf";

    /// <summary>
    /// A reply naming neither the reference nor an organisation code, from <paramref name="from"/> (an address not in
    /// the registry), tied to our mail only by In-Reply-To and References.
    /// </summary>
    public static MimeMessage ThreadReply(string from, string inReplyTo)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(Encoding.UTF8, "陳小明", from));
        message.To.Add(new MailboxAddress(Encoding.UTF8, "臺南市政府智慧發展中心", "center@intake.test"));
        message.Headers.Replace(HeaderId.Subject, Encoding.UTF8, ThreadReplySubject);
        message.Date = new DateTimeOffset(2026, 12, 1, 10, 30, 0, TimeSpan.FromHours(8));
        message.MessageId = MimeUtils.GenerateMessageId("mail.example.com.tw");
        message.InReplyTo = inReplyTo;
        message.References.Add(inReplyTo);

        var pdf = new MimePart("application", "pdf")
        {
            Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"))),
            ContentTransferEncoding = ContentEncoding.Base64,
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
        };
        pdf.ContentType.Parameters.Add(new Parameter(Encoding.UTF8, "name", ThreadReplyAttachmentName) { EncodingMethod = ParameterEncodingMethod.Rfc2231 });
        pdf.ContentDisposition.Parameters.Add(new Parameter(Encoding.UTF8, "filename", ThreadReplyAttachmentName) { EncodingMethod = ParameterEncodingMethod.Rfc2231 });

        message.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "您好，改善資料如附件，請查收。\n\n陳小明 敬上\n" },
            pdf,
        };
        return message;
    }

    /// <summary>An Exchange out-of-office (RFC 3834) from <paramref name="from"/>, threaded to and quoting the subject of <paramref name="original"/>.</summary>
    public static MimeMessage OutOfOffice(string from, MimeMessage original)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(Encoding.UTF8, Orgs.TestGuildName, from));
        message.To.Add(new MailboxAddress(Encoding.UTF8, "臺南市政府智慧發展中心", "center@intake.test"));
        // The subject keeps the notice's reference: only the automatic-mail check stands between it and a receipt.
        message.Headers.Replace(HeaderId.Subject, Encoding.UTF8, $"自動回覆: {original.Subject}");
        message.Headers.Add("Auto-Submitted", "auto-replied");
        message.Headers.Add("X-Auto-Response-Suppress", "All");
        message.Headers.Add("X-MS-Exchange-Inbox-Rules-Loop", from);
        message.Date = new DateTimeOffset(2026, 12, 1, 10, 31, 0, TimeSpan.FromHours(8));
        message.MessageId = MimeUtils.GenerateMessageId("intake.test");
        var originalId = original.MessageId ?? throw new ArgumentException("the original has no Message-ID", nameof(original));
        message.InReplyTo = originalId;
        message.References.Add(originalId);
        message.Body = new TextPart("plain") { Text = "您好，本人休假至12月5日，期間郵件將延後回覆；急事請洽 06-2345678。" };
        return message;
    }

    /// <summary>
    /// Postfix's delivery status notification for <paramref name="original"/> failing at <paramref name="failedRecipient"/>,
    /// byte for byte in Postfix's layout (multipart/report; report-type=delivery-status: the notification, the
    /// message/delivery-status, and the returned headers as text/rfc822-headers), CRLF line endings.
    /// </summary>
    public static byte[] PostfixBounce(MimeMessage original, string failedRecipient) =>
        PostfixBounce(original, failedRecipient, originalRecipient: failedRecipient);

    /// <summary>
    /// The report of a later hop: the organisation's server forwarded our mail to an inside address that failed, so
    /// the report names only that inside address (no Original-Recipient) and our mail is recognisable by nothing but
    /// the Message-ID in the returned headers.
    /// </summary>
    public static byte[] PostfixBounceAfterForwarding(MimeMessage original, string forwardedTo) =>
        PostfixBounce(original, forwardedTo, originalRecipient: null);

    /// <summary>
    /// A report that returns nothing of our mail (some servers send only the notification and the delivery status): only
    /// the failed recipient can tie it.
    /// </summary>
    public static byte[] PostfixBounceWithoutReturnedHeaders(MimeMessage original, string failedRecipient) =>
        PostfixBounce(original, failedRecipient, failedRecipient, returnHeaders: false);

    private static byte[] PostfixBounce(MimeMessage original, string failedRecipient, string? originalRecipient, bool returnHeaders = true)
    {
        const string queueId = "4TQ3cL0XyZz5vN";
        const string boundary = queueId + ".1796092201/mail.intake.test";

        var returned = new StringBuilder();
        returned.Append("Return-Path: <center@intake.test>\n");
        returned.Append($"Received: from [127.0.0.1] (localhost [127.0.0.1])\n\tby mail.intake.test (Postfix) with ESMTPS id {queueId}\n\tfor <{failedRecipient}>; Tue,  1 Dec 2026 10:30:00 +0800 (CST)\n");
        foreach (var header in original.Headers)
        {
            // What Dovecot added on delivery was not part of the message Postfix tried to deliver.
            if (header.Field is "Return-Path" or "Delivered-To" or "Received")
                continue;
            returned.Append(header.Field).Append(':').Append(Encoding.ASCII.GetString(header.RawValue).TrimEnd('\r', '\n').Replace("\r\n", "\n")).Append('\n');
        }

        var dsn =
            "Return-Path: <>\n" +
            $"Received: by mail.intake.test (Postfix)\n\tid 5XR4dM1YzA06wP; Tue,  1 Dec 2026 10:30:01 +0800 (CST)\n" +
            "Date: Tue,  1 Dec 2026 10:30:01 +0800 (CST)\n" +
            "From: MAILER-DAEMON@mail.intake.test (Mail Delivery System)\n" +
            "Subject: Undelivered Mail Returned to Sender\n" +
            "To: center@intake.test\n" +
            "Auto-Submitted: auto-replied\n" +
            "MIME-Version: 1.0\n" +
            $"Content-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"{boundary}\"\n" +
            "Content-Transfer-Encoding: 8bit\n" +
            $"Message-Id: <20261201023001.5XR4dM1YzA06wP.{Guid.NewGuid():N}@mail.intake.test>\n" +
            "\n" +
            "This is a MIME-encapsulated message.\n" +
            "\n" +
            $"--{boundary}\n" +
            "Content-Description: Notification\n" +
            "Content-Type: text/plain; charset=us-ascii\n" +
            "\n" +
            "This is the mail system at host mail.intake.test.\n" +
            "\n" +
            "I'm sorry to have to inform you that your message could not\n" +
            "be delivered to one or more recipients. It's attached below.\n" +
            "\n" +
            "For further assistance, please send mail to postmaster.\n" +
            "\n" +
            "If you do so, please include this problem report. You can\n" +
            "delete your own text from the attached returned message.\n" +
            "\n" +
            "                   The mail system\n" +
            "\n" +
            $"<{failedRecipient}>: host mx.intake.test[192.0.2.25] said: 550 5.1.1\n" +
            $"    <{failedRecipient}>: Recipient address rejected: User unknown in virtual\n" +
            "    mailbox table (in reply to RCPT TO command)\n" +
            "\n" +
            $"--{boundary}\n" +
            "Content-Description: Delivery report\n" +
            "Content-Type: message/delivery-status\n" +
            "\n" +
            "Reporting-MTA: dns; mail.intake.test\n" +
            $"X-Postfix-Queue-ID: {queueId}\n" +
            "X-Postfix-Sender: rfc822; center@intake.test\n" +
            "Arrival-Date: Tue,  1 Dec 2026 10:30:00 +0800 (CST)\n" +
            "\n" +
            $"Final-Recipient: rfc822; {failedRecipient}\n" +
            (originalRecipient is null ? "" : $"Original-Recipient: rfc822;{originalRecipient}\n") +
            "Action: failed\n" +
            "Status: 5.1.1\n" +
            "Remote-MTA: dns; mx.intake.test\n" +
            $"Diagnostic-Code: smtp; 550 5.1.1 <{failedRecipient}>: Recipient address\n" +
            "    rejected: User unknown in virtual mailbox table\n" +
            "\n" +
            (returnHeaders
                ? $"--{boundary}\n" +
                  "Content-Description: Undelivered Message Headers\n" +
                  "Content-Type: text/rfc822-headers\n" +
                  "\n" +
                  returned +
                  "\n"
                : string.Empty) +
            $"--{boundary}--\n";

        return Encoding.UTF8.GetBytes(dsn.Replace("\n", "\r\n", StringComparison.Ordinal));
    }
}
