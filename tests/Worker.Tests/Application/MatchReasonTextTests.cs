using MailIntake.Parsing;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Tests.Application;

public sealed class MatchReasonTextTests
{
    private static readonly MatchContext Context = new(
        [new NoticeCandidate("TN-115-0001", "XC12345678", IsOpen: true), new NoticeCandidate("TN-115-0002", "XC87654321", IsOpen: true)],
        new HashSet<string> { "XC12345678", "XC87654321" },
        new Dictionary<string, IReadOnlyList<string>> { ["lee@org1.example.tw"] = ["XC12345678"] },
        new Dictionary<string, string>());

    private static ParsedMail Mail(string subject, string from) => new("m@x", from, subject, [], "請查收", [], null, null);

    /// <summary>
    /// Hostile finding h19h H5: 「回覆 TN-115-0009」 from an unregistered address, no such notice, was explained as 「主旨無限期改善單
    /// 編號」: staff read it as spam. A reference that no notice has is most likely mistyped: the reason names it.
    /// </summary>
    [Fact]
    public void Of_SubjectNamingAReferenceNoNoticeHas_SaysThatReferenceDoesNotExist()
    {
        var match = ReplyMatcher.Match(Mail("回覆 TN-115-0009", "x@x.gov.tw"), Context);

        var reason = MatchReasonText.Of(match, "x@x.gov.tw");

        Assert.Equal(MatchOutcome.Unmatched, match.Outcome);
        Assert.StartsWith("主旨之限期改善單編號 TN-115-0009 不存在（可能誤繕）", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("主旨無限期改善單編號", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_SubjectNamingNoReference_SaysTheSubjectHasNone()
    {
        var reason = MatchReasonText.Of(ReplyMatcher.Match(Mail("掃毒報告", "x@x.gov.tw"), Context), "x@x.gov.tw");

        Assert.StartsWith("主旨無限期改善單編號", reason, StringComparison.Ordinal);
    }
}
