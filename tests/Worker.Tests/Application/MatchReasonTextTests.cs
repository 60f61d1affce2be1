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

    /// <summary>
    /// h31h Q2: from a registered sender, the mail is held (not filed under the organisation's other notice): the reason
    /// names the reference that does not exist, the organisation, and its open notices to choose from.
    /// </summary>
    [Fact]
    public void Of_RegisteredSenderNamingAReferenceNoNoticeHas_NamesItsOrganisationAndItsOpenNotices()
    {
        var match = ReplyMatcher.Match(Mail("回覆 TN-115-0019", "lee@org1.example.tw"), Context);

        var reason = MatchReasonText.Of(match, "lee@org1.example.tw");

        Assert.Equal(
            "主旨之限期改善單編號 TN-115-0019 不存在（可能誤繕，或係資料還原前所開立），非回覆本中心寄出之郵件；寄件者或內容屬機關 XC12345678，該機關未結案之限期改善單為 TN-115-0001，"
            + "主旨既載明他編號，未依寄件者或機關代碼歸入，未歸檔、未寄回執；可能是機關之回覆，請查明應屬何件限期改善單後歸入，或註記不需處理",
            reason);
    }

    [Fact]
    public void Of_SubjectNamingNoReference_SaysTheSubjectHasNone()
    {
        var reason = MatchReasonText.Of(ReplyMatcher.Match(Mail("掃毒報告", "x@x.gov.tw"), Context), "x@x.gov.tw");

        Assert.StartsWith("主旨無限期改善單編號", reason, StringComparison.Ordinal);
    }
}
