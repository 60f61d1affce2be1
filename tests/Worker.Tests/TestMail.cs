using MimeKit;

namespace MailIntake.Worker.Tests;

/// <summary>Replies as an organisation sends them (a filler line, a completion date, small attachments) and their raw CRLF bytes.</summary>
internal static class TestMail
{
    public static MimeMessage Reply(string subject, string[] attachments, string from = "org1@intake.test")
    {
        var message = new MimeMessage { Subject = subject, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("org1.example.tw") };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("center@intake.test"));
        var body = new BodyBuilder { TextBody = "填寫人：李大同 / 06-2345678\n本用戶已於115年12月01日完成以下改善事項。" };
        foreach (var name in attachments)
            body.Attachments.Add(name, System.Text.Encoding.UTF8.GetBytes($"content of {name} for {subject}"));
        message.Body = body.ToMessageBody();
        return message;
    }

    public static MemoryStream Serialize(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        var stream = new MemoryStream();
        message.WriteTo(options, stream);
        stream.Position = 0;
        return stream;
    }
}
