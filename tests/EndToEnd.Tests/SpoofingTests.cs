using System.Security.Cryptography;
using System.Text;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MimeKit;
using MimeKit.Utils;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// A From line proves nothing. Only the center's own mail server (its authserv-id configured as trusted) is believed
/// when it says SPF, DKIM or DMARC failed: such a mail is suspicious, shown to staff, never filed by its sender.
/// Authentication-Results from anyone else are ignored, and mail from the center's own address is never a reply.
/// </summary>
public sealed class SpoofingTests(ITestOutputHelper output) : EndToEndTest(output)
{
    private const string TrustedServId = "mail.intake.test";
    private const string CenterFrom = "center@intake.test";
    private const string CenterEmail = "sdc-security@intake.test";
    private const string RegisteredSender = "org1@intake.test";

    private static readonly byte[] Evidence = Encoding.UTF8.GetBytes("防火牆阻擋規則 deny 203.0.113.9\n");

    protected override void ConfigureProgram(MailIntakeCli cli)
    {
        cli.Environment["MailIntake__Mailbox__TrustedAuthServIds__0"] = TrustedServId;
        cli.Environment["MailIntake__Smtp__From"] = CenterFrom;
        cli.Environment["MailIntake__Center__Email"] = CenterEmail;
    }

    [Fact]
    public async Task RegisteredSenderFailingAtTrustedServer_IsSuspiciousWithReasonAndNotFiled()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var failing = $"{TrustedServId}; spf=fail smtp.mailfrom={RegisteredSender}; dkim=fail header.d=intake.test; dmarc=fail header.from=intake.test";
        // One the sender alone would file, one that even names the notice: neither may be filed.
        var bySender = Reply("改善回覆", failing);
        var byReference = Reply($"Re: {reference} 改善回覆", failing);
        await Mailbox.AppendAsync(bySender);
        await Mailbox.AppendAsync(byReference);

        await Cli.RunOnceAsync();

        var mails = await Cli.ListMailAsync();
        Assert.Equal(2, mails.Count);
        foreach (var mail in mails)
        {
            Assert.True(mail.Kind == "suspicious", $"a registered sender that failed SPF/DKIM/DMARC at {TrustedServId} is suspicious: {Dump(mail)}");
            Assert.True(!string.IsNullOrWhiteSpace(mail.Reason) && mail.Reason.Contains("spf=fail", StringComparison.Ordinal),
                $"the reason must say what failed: {Dump(mail)}");
            Assert.True(mail.NoticeRef is null, $"a suspicious mail is filed under no notice: {Dump(mail)}");
            Assert.Equal(RegisteredSender, mail.From);
        }

        Assert.Equal(2, (await Cli.ListMailAsync("suspicious")).Count);
        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Replies.Count == 0, $"a forged sender must not answer the notice: {Dump(notice.Replies)}");
        Assert.True(ReceiptsSent().Count == 0, $"no receipt goes to a forged sender: {string.Join(", ", ReceiptsSent())}");
        Assert.True(DataFileHashes().Contains(Sha256(Evidence)), "the suspicious mail's attachment is kept as evidence for staff");
    }

    [Fact]
    public async Task AuthenticationResultsFromUntrustedServers_AreIgnoredAndMailIsMatchedBySender()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        await Mailbox.AppendAsync(Reply("改善回覆 1", "evil.example; spf=fail smtp.mailfrom=org1@intake.test; dkim=fail; dmarc=fail"));
        await Mailbox.AppendAsync(Reply("改善回覆 2", "evil.example; spf=pass; dkim=pass; dmarc=pass", $"{TrustedServId}.evil.example; spf=fail; dmarc=fail"));
        await Mailbox.AppendAsync(Reply("改善回覆 3", $"{TrustedServId}; spf=pass smtp.mailfrom=org1@intake.test; dkim=pass; dmarc=pass", "evil.example; dkim=fail"));

        await Cli.RunOnceAsync();

        var mails = await Cli.ListMailAsync();
        Assert.Equal(3, mails.Count);
        Assert.True(mails.All(m => m.Kind == "reply" && m.NoticeRef == reference),
            $"Authentication-Results of an untrusted authserv-id say nothing: each mail is filed by its registered sender: {Dump(mails)}");
        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Replies.Count == 3 && notice.Replies.All(r => r.MatchedBy == "sender"), $"matched by sender: {Dump(notice.Replies)}");
    }

    [Theory]
    [InlineData(CenterFrom)]
    [InlineData(CenterEmail)]
    public async Task MailFromCentersOwnAddress_IsNeverAReply(string own)
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var message = Reply($"Re: {reference} {Orgs.TestGuild} 改善回覆");
        message.From.Clear();
        message.From.Add(new MailboxAddress("臺南市政府智慧發展中心", own));
        await Mailbox.AppendAsync(message);

        await Cli.RunOnceAsync();

        var mail = Assert.Single(await Cli.ListMailAsync());
        Assert.True(mail.Kind is not "reply" && mail.NoticeRef is null && !string.IsNullOrWhiteSpace(mail.Reason),
            $"mail from our own address {own} names the notice and the code, yet is no reply: {Dump(mail)}");
        Assert.Empty((await Cli.ShowNoticeAsync(reference)).Replies);
        Assert.True(ReceiptsSent().Count == 0, $"we never answer our own address: {string.Join(", ", ReceiptsSent())}");
    }

    /// <summary>A reply from the registered address with one attachment; Authentication-Results on top, as a receiving server adds them.</summary>
    private static MimeMessage Reply(string subject, params string[] authenticationResults)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(Encoding.UTF8, Orgs.TestGuildName, RegisteredSender));
        message.To.Add(new MailboxAddress("", "center@intake.test"));
        message.Headers.Replace(HeaderId.Subject, Encoding.UTF8, subject);
        message.Date = new DateTimeOffset(2026, 12, 1, 10, 30, 0, TimeSpan.FromHours(8));
        message.MessageId = MimeUtils.GenerateMessageId("org1.example.tw");
        message.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "改善情形如附件。\n填寫人：李大同 / 06-2345678\n" },
            new MimePart("text", "plain")
            {
                FileName = "附件1 防火牆規則.txt",
                Content = new MimeContent(new MemoryStream(Evidence)),
                ContentTransferEncoding = ContentEncoding.Base64,
            },
        };
        foreach (var value in authenticationResults.Reverse())
            message.Headers.Insert(0, new Header(Encoding.ASCII, "Authentication-Results", value));
        return message;
    }

    /// <summary>Mails written to the pickup folder for the (forged) sender; staff notes about the suspicious mail go elsewhere.</summary>
    private List<string> ReceiptsSent() =>
        Directory.Exists(Workspace.Outbox)
            ? Directory.EnumerateFiles(Workspace.Outbox, "*", SearchOption.AllDirectories)
                .Where(file => MimeMessage.Load(file).To.Mailboxes.Any(to => string.Equals(to.Address, RegisteredSender, StringComparison.OrdinalIgnoreCase)))
                .ToList()
            : [];

    private HashSet<string> DataFileHashes() =>
        Directory.EnumerateFiles(Workspace.DataDirectory, "*", SearchOption.AllDirectories).Select(f => Sha256(File.ReadAllBytes(f))).ToHashSet();

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
