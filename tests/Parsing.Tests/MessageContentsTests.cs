using System.Text.Json;
using MimeKit;
using MimeKit.Tnef;

namespace MailIntake.Parsing.Tests;

/// <summary>winmail.dat (TNEF) and forwarded messages: their files are evidence, their text is matched.</summary>
public sealed class MessageContentsTests
{
    private static readonly Lazy<string?> CorpusRoot = new(() =>
    {
        var configured = Environment.GetEnvironmentVariable("MAILINTAKE_CORPUS");
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? configured : null;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MailIntake.sln")))
            {
                var corpus = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "corpus", "real"));
                return Directory.Exists(corpus) ? corpus : null;
            }
        }

        return null;
    });

    private static string Corpus(string file) =>
        Path.Combine(CorpusRoot.Value ?? throw new InvalidOperationException(
            "Real mail corpus not found (../shared/corpus/real next to the repository, or MAILINTAKE_CORPUS)"), file);

    /// <summary>Every raw TNEF stream of the corpus whose upstream .list names the files it must yield.</summary>
    public static TheoryData<string, string[]> TnefExpectations()
    {
        var data = new TheoryData<string, string[]>();
        using var document = JsonDocument.Parse(File.ReadAllText(Corpus("expectations.json")));
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var file = entry.GetProperty("file").GetString()!;
            if (file.EndsWith(".tnef", StringComparison.Ordinal) && entry.TryGetProperty("attachments", out var names))
            {
                data.Add(file, names.EnumerateArray().Select(name => name.GetString()!).ToArray());
            }
        }

        return data;
    }

    private static MimeMessage OutlookMailWithWinmail(byte[] tnef, string subject = "Re: TN-115-0001")
    {
        var message = new MimeMessage { Subject = subject };
        message.From.Add(MailboxAddress.Parse("lee@org1.example.tw"));
        var winmail = new TnefPart { FileName = "winmail.dat", Content = new MimeContent(new MemoryStream(tnef)) };
        message.Body = new Multipart("mixed") { new TextPart("plain") { Text = "see attached" }, winmail };
        return message;
    }

    [Theory]
    [MemberData(nameof(TnefExpectations))]
    public void Read_CorpusWinmailDat_YieldsTheFilesItsListNamesPlusTheRawStream(string file, string[] expected)
    {
        var parsed = MailReader.Read(OutlookMailWithWinmail(File.ReadAllBytes(Corpus(file))));

        var names = parsed.Attachments.Select(attachment => attachment.OriginalName).ToList();
        Assert.Equal("winmail.dat", names[0]);
        Assert.Equal(expected.Order(StringComparer.Ordinal), names.Skip(1).OfType<string>().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Read_CorpusRichTextEml_FindsTheFilesInsideItsWinmailDat()
    {
        using var stream = File.OpenRead(Corpus("mimekit/tnef/rich-text.eml"));
        var parsed = MailReader.Read(MailParserOptions.Load(stream));

        Assert.Contains(parsed.Attachments, attachment => attachment.OriginalName == "kitten-playing-with-a-christmas-tree.jpg");
        Assert.Contains(parsed.Attachments, attachment => attachment.ContentType == "application/ms-tnef");
    }

    [Fact]
    public void Read_MailWhoseOnlyBodyIsInWinmailDat_RecoversTheBody()
    {
        var message = OutlookMailWithWinmail(File.ReadAllBytes(Corpus("mimekit/tnef/body.tnef")));
        message.Body = ((Multipart)message.Body!).OfType<TnefPart>().Single();

        var parsed = MailReader.Read(message);

        Assert.False(string.IsNullOrWhiteSpace(parsed.BodyText));
    }

    [Fact]
    public void Read_ForwardedReply_FilesItsAttachmentsAndLooksIntoItsSubjectAndBody()
    {
        var original = new MimeMessage { Subject = "回覆：限期改善單 TN-115-0007" };
        original.From.Add(MailboxAddress.Parse("it@org1.example.tw"));
        var builder = new BodyBuilder { TextBody = "機關代碼 XC12345678 的佐證如附件" };
        builder.Attachments.Add("附件1_防火牆規則.pdf", [1, 2, 3], ContentType.Parse("application/pdf"));
        original.Body = builder.ToMessageBody();
        var forward = new MimeMessage { Subject = "FW: 請協助轉交" };
        forward.From.Add(MailboxAddress.Parse("colleague@org1.example.tw"));
        forward.Body = new Multipart("mixed") { new TextPart("plain") { Text = "轉寄給貴中心" }, new MessagePart { Message = original } };

        var parsed = MailReader.Read(forward);

        var attachment = Assert.Single(parsed.Attachments);
        Assert.Equal((1, "附件1_防火牆規則.pdf"), (attachment.Name.Item!.Value, attachment.Name.FileName));
        var context = new MatchContext(
            [new NoticeCandidate("TN-115-0007", "XC12345678", true)], new HashSet<string> { "XC12345678" },
            new Dictionary<string, IReadOnlyList<string>> { ["it@org1.example.tw"] = ["XC12345678"] }, new Dictionary<string, string>());
        // The forwarded reply was sent from the organisation's registered address: that vouches for it (ReplyMatcher).
        Assert.Equal(("TN-115-0007", MatchMethod.Reference), (ReplyMatcher.Match(parsed, context).Reference, ReplyMatcher.Match(parsed, context).MatchedBy));
    }
}
