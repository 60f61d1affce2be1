using MimeKit;

namespace MailIntake.Worker.Tests.Store;

/// <summary>An organisation's reply with small text attachments, as the store tests feed to intake.</summary>
internal static class StoreTestMail
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
}
