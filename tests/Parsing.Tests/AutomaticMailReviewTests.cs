using MimeKit;

namespace MailIntake.Parsing.Tests;

/// <summary>Hostile findings #6/#6b: a person's reply was discarded as an auto-reply or a bounce on a header alone.</summary>
public class AutomaticMailReviewTests
{
    private static readonly MatchContext Context = new(
        [new NoticeCandidate("TN-115-0001", "XC12345678", IsOpen: true), new NoticeCandidate("TN-115-0002", "XC66666666", IsOpen: true)],
        new HashSet<string> { "XC12345678", "XC66666666" },
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["lee@org1.example.tw"] = ["XC12345678"],
            ["postmaster@org6.example.tw"] = ["XC66666666"],
        },
        new Dictionary<string, string>());

    private static AutomaticReview Review(string from, string subject, string? header, string? value, params string[] attachments)
    {
        var message = new MimeMessage { Subject = subject };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("center@intake.test"));
        if (header is not null)
        {
            message.Headers.Add(header, value!);
        }

        var builder = new BodyBuilder { TextBody = "填寫人：李大同\n電話：06-12345678\n檢附改善單及佐證" };
        foreach (var name in attachments)
        {
            builder.Attachments.Add(name, "evidence"u8.ToArray());
        }

        message.Body = builder.ToMessageBody();
        var parsed = MailReader.Read(message);
        var automatic = AutomaticMailDetector.Detect(message);
        Assert.NotEqual(AutomaticKind.None, automatic.Kind);
        return AutomaticMailReview.Review(automatic, parsed, ReplyMatcher.Match(parsed, Context), Context);
    }

    [Theory]
    [InlineData("Precedence", "bulk")]
    [InlineData("Auto-Submitted", "auto-generated")]
    public void Review_HeaderOnlySignOnRegisteredSendersReplyNamingTheNoticeWithFiles_IsPersonsReply(string header, string value)
    {
        Assert.Equal(AutomaticReview.PersonsReply, Review("lee@org1.example.tw", "RE: 【限期改善單】TN-115-0001 XC12345678 回覆", header, value, "附件1.txt", "附件2.txt"));
    }

    [Fact]
    public void Review_ReplyFromTheOrganisationsRegisteredPostmasterAddress_IsPersonsReply()
    {
        Assert.Equal(AutomaticReview.PersonsReply, Review("postmaster@org6.example.tw", "RE: 【限期改善單】TN-115-0002 XC66666666 回覆", null, null, "附件1.txt"));
    }

    [Fact]
    public void Review_HeaderOnlySignWithoutFiles_StaysAutomatic()
    {
        Assert.Equal(AutomaticReview.Automatic, Review("lee@org1.example.tw", "RE: TN-115-0001", "Precedence", "bulk"));
    }

    [Fact]
    public void Review_OutOfOfficeNamingTheNoticeWithFiles_IsHeldForStaff()
    {
        Assert.Equal(AutomaticReview.HeldForStaff, Review("lee@org1.example.tw", "自動回覆: RE: TN-115-0001", "Auto-Submitted", "auto-replied", "附件1.txt"));
    }

    [Fact]
    public void Review_HeaderOnlySignFromAnotherOrganisationsSender_IsHeldForStaff()
    {
        Assert.Equal(AutomaticReview.HeldForStaff, Review("postmaster@org6.example.tw", "RE: TN-115-0001", "Precedence", "bulk", "附件1.txt"));
    }

    [Fact]
    public void Review_BulkMailNamingNoNotice_StaysAutomatic()
    {
        Assert.Equal(AutomaticReview.Automatic, Review("lee@org1.example.tw", "電子報 12 月號", "Precedence", "bulk", "dm.pdf"));
    }
}
