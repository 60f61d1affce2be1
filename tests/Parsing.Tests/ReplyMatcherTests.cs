using MimeKit;

namespace MailIntake.Parsing.Tests;

public sealed class ReplyMatcherTests
{
    private static readonly MatchContext Context = new(
        [
            new NoticeCandidate("TN-115-0001", "XC12345678", IsOpen: true),
            new NoticeCandidate("TN-115-0002", "XC87654321", IsOpen: true),
            new NoticeCandidate("TN-115-0003", "XC87654321", IsOpen: true),
            new NoticeCandidate("TN-115-0004", "XC11112222", IsOpen: false),
        ],
        new HashSet<string> { "XC12345678", "XC87654321", "XC11112222" },
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["lee@org1.example.tw"] = ["XC12345678"],
            ["wang@org2.example.tw"] = ["XC87654321"],
        },
        new Dictionary<string, string> { ["notice-1@center.example.tw"] = "TN-115-0001" });

    private static ParsedMail Mail(string subject = "", string body = "", string? from = null, string[]? threadIds = null, string[]? fileNames = null)
    {
        var attachments = (fileNames ?? [])
            .Select((name, index) => new ParsedAttachment(new MimePart("application", "pdf") { FileName = name }, name, new AttachmentName(name, null, []), "application/pdf"))
            .ToList();
        return new ParsedMail("m@x", from, subject, threadIds ?? [], body, attachments, null, null);
    }

    [Fact]
    public void Match_ReferenceInSubject_BeatsEverythingElse()
    {
        var result = ReplyMatcher.Match(Mail("Re: TN-115-0002 回覆", "機關代碼 XC12345678", "wang@org2.example.tw", ["notice-1@center.example.tw"]), Context);

        Assert.Equal((MatchOutcome.Matched, "TN-115-0002", MatchMethod.Reference), (result.Outcome, result.Reference, result.MatchedBy));
    }

    [Fact]
    public void Match_FullWidthLowerCaseReference_IsFound()
    {
        var result = ReplyMatcher.Match(Mail("回覆ｔｎ－１１５－０００１改善情形", from: "lee@org1.example.tw"), Context);

        Assert.Equal(("TN-115-0001", MatchMethod.Reference), (result.Reference, result.MatchedBy));
    }

    [Fact]
    public void Match_InReplyToOurMessage_MatchesByThreadWhateverTheSender()
    {
        var result = ReplyMatcher.Match(Mail("Re: 您好", from: "someone@else.example", threadIds: ["notice-1@center.example.tw"]), Context);

        Assert.Equal(("TN-115-0001", MatchMethod.Thread), (result.Reference, result.MatchedBy));
    }

    [Fact]
    public void Match_FullWidthCodeInBody_MatchesByOrgCode()
    {
        var result = ReplyMatcher.Match(Mail("改善回覆", "本會代碼：ｘｃ１２３４５６７８，檢送資料"), Context);

        Assert.Equal(("TN-115-0001", MatchMethod.OrgCode), (result.Reference, result.MatchedBy));
    }

    [Fact]
    public void Match_CodeOnlyInAttachmentName_MatchesByOrgCode()
    {
        var result = ReplyMatcher.Match(Mail("回覆", fileNames: ["XC12345678_附件1.pdf"]), Context);

        Assert.Equal(("TN-115-0001", MatchMethod.OrgCode), (result.Reference, result.MatchedBy));
    }

    [Fact]
    public void Match_CodeNotInRegistry_DoesNotCount()
    {
        var result = ReplyMatcher.Match(Mail("回覆 XC99999999"), Context);

        Assert.Equal(MatchOutcome.Unmatched, result.Outcome);
    }

    [Fact]
    public void Match_CodeWithTwoOpenNotices_IsAmbiguousWithBothCandidates()
    {
        var result = ReplyMatcher.Match(Mail("回覆 XC87654321"), Context);

        Assert.Equal(MatchOutcome.Ambiguous, result.Outcome);
        Assert.Null(result.Reference);
        Assert.Equal(["TN-115-0002", "TN-115-0003"], result.Candidates);
        Assert.Equal(MatchReason.CodeFitsSeveral, result.Reason);
        Assert.Equal(["XC87654321"], result.OrgCodes);
    }

    [Fact]
    public void Match_RegisteredSender_MatchesBySender()
    {
        var result = ReplyMatcher.Match(Mail("附件", "請查收", "lee@org1.example.tw"), Context);

        Assert.Equal(("TN-115-0001", MatchMethod.Sender), (result.Reference, result.MatchedBy));
    }

    [Fact]
    public void Match_SenderWithTwoOpenNotices_IsAmbiguous()
    {
        var result = ReplyMatcher.Match(Mail("附件", "請查收", "wang@org2.example.tw"), Context);

        Assert.Equal(MatchOutcome.Ambiguous, result.Outcome);
    }

    [Fact]
    public void Match_CodeOfClosedNoticeOnly_IsUnmatchedWithReasonNamingTheCode()
    {
        var result = ReplyMatcher.Match(Mail("回覆 XC11112222"), Context);

        Assert.Equal(MatchOutcome.Unmatched, result.Outcome);
        Assert.Equal(MatchReason.CodeWithoutOpenNotice, result.Reason);
        Assert.Equal(["XC11112222"], result.OrgCodes);
    }

    [Fact]
    public void Match_NothingKnown_IsUnmatchedWithReason()
    {
        var result = ReplyMatcher.Match(Mail("Cheap watches", "buy now", "spam@spam.example"), Context);

        Assert.Equal((MatchOutcome.Unmatched, MatchReason.NothingToMatchBy), (result.Outcome, result.Reason));
    }

    /// <summary>h19h H5: a reference no notice has is no reference to match by, but it is named (most likely mistyped).</summary>
    [Fact]
    public void Match_SubjectNamingOnlyAnUnknownReference_IsUnmatchedCarryingThatReference()
    {
        var result = ReplyMatcher.Match(Mail("回覆 TN-115-0009", "請查收", "x@x.gov.tw"), Context);

        Assert.Equal((MatchOutcome.Unmatched, MatchReason.UnknownReference), (result.Outcome, result.Reason));
        Assert.Equal(["TN-115-0009"], result.UnknownReferences);
    }

    /// <summary>
    /// h31h Q2: a registered sender naming only a reference no notice has (mistyped, or a notice a restore lost) was filed
    /// by sender under its organisation's other open notice and receipted as that notice's reply. A mail naming X is never
    /// filed as the reply to Y: it is held, naming the organisation and its open notices for staff to choose.
    /// </summary>
    [Theory]
    [InlineData("回覆 TN-115-0019 已完成改善", "請查收", "lee@org1.example.tw")]
    [InlineData("回覆 ＴＮ－１１５－００１９", "請查收", "lee@org1.example.tw")]
    [InlineData("回覆 tn-115-0019", "請查收", "lee@org1.example.tw")]
    [InlineData("回覆 TN-115-0019", "本會代碼 XC12345678", "nobody@else.example")]
    public void Match_SubjectNamingOnlyAnUnknownReferenceFromAKnownOrganisation_IsHeldNotFiledUnderItsOtherNotice(string subject, string body, string from)
    {
        var result = ReplyMatcher.Match(Mail(subject, body, from), Context);

        Assert.Equal((MatchOutcome.Unmatched, (string?)null, MatchReason.UnknownReference), (result.Outcome, result.Reference, result.Reason));
        Assert.Equal(["TN-115-0019"], result.UnknownReferences);
        Assert.Equal(["XC12345678"], result.OrgCodes);
        Assert.Equal(["TN-115-0001"], result.Candidates);
    }

    /// <summary>
    /// h32h R11: after a restore of an older backup, the organisation's answer (in the thread, subject edited) to a notice
    /// mailed since the backup was filed by sender under its other notice. A mail answering one of ours that no store here
    /// holds is held, naming the organisation and its open notices.
    /// </summary>
    [Fact]
    public void Match_AnswerToAMailOfOursNoLongerKnown_IsHeldNotFiledBySender()
    {
        var result = ReplyMatcher.Match(Mail("改善回報", from: "lee@org1.example.tw", threadIds: ["lost-notice@center.example.tw"]),
            Context with { LostThreadIds = ["lost-notice@center.example.tw"] });

        Assert.Equal((MatchOutcome.Unmatched, (string?)null, MatchReason.ThreadOfLostMail), (result.Outcome, result.Reference, result.Reason));
        Assert.Equal(["XC12345678"], result.OrgCodes);
        Assert.Equal(["TN-115-0001"], result.Candidates);
    }

    /// <summary>An answer to one of our mails is that notice's, whatever its subject says: the thread is what we sent.</summary>
    [Fact]
    public void Match_UnknownReferenceInTheSubjectOfAnAnswerToOurMail_MatchesByThread()
    {
        var result = ReplyMatcher.Match(Mail("RE: TN-115-0019", from: "lee@org1.example.tw", threadIds: ["notice-1@center.example.tw"]), Context);

        Assert.Equal(("TN-115-0001", MatchMethod.Thread), (result.Reference, result.MatchedBy));
    }

    [Fact]
    public void Match_CodeInsideLongerToken_IsNotACode()
    {
        var result = ReplyMatcher.Match(Mail("回覆 AXC12345678B"), Context);

        Assert.Equal(MatchOutcome.Unmatched, result.Outcome);
    }

    [Fact]
    public void Match_ReferenceOfAnotherOrganisationsNotice_IsSuspiciousNamingTheSendersOrganisation()
    {
        // lee@ is registered to XC12345678 only; TN-115-0002 belongs to XC87654321.
        var result = ReplyMatcher.Match(Mail("RE: TN-115-0002", from: "lee@org1.example.tw"), Context);

        Assert.Equal((MatchOutcome.Suspicious, (string?)null, MatchReason.SenderOfAnotherOrganisation), (result.Outcome, result.Reference, result.Reason));
        Assert.Equal(["TN-115-0002"], result.Candidates);
        Assert.Equal(["XC12345678"], result.OrgCodes);
    }

    [Fact]
    public void Match_OrgCodeOfAnotherOrganisation_IsSuspicious()
    {
        var result = ReplyMatcher.Match(Mail("回覆", "本會代碼 XC12345678", "wang@org2.example.tw"), Context);

        Assert.Equal((MatchOutcome.Suspicious, MatchReason.SenderOfAnotherOrganisation), (result.Outcome, result.Reason));
    }

    [Fact]
    public void Match_ReferenceFromUnregisteredSenderOutsideTheThread_IsHeldAsAmbiguous()
    {
        var result = ReplyMatcher.Match(Mail("RE: TN-115-0001", from: "someone@else.example"), Context);

        Assert.Equal((MatchOutcome.Ambiguous, MatchReason.SenderNotRegistered), (result.Outcome, result.Reason));
        Assert.Equal(["TN-115-0001"], result.Candidates);
        Assert.Equal(["XC12345678"], result.OrgCodes);
    }

    [Fact]
    public void Match_ReferenceFromUnregisteredSenderAnsweringTheNoticesMail_IsFiled()
    {
        var result = ReplyMatcher.Match(Mail("RE: TN-115-0001", from: "someone@else.example", threadIds: ["notice-1@center.example.tw"]), Context);

        Assert.Equal(("TN-115-0001", MatchMethod.Reference), (result.Reference, result.MatchedBy));
    }

    [Fact]
    public void Match_ReferenceOfAnotherOrganisationAnsweringThatNoticesMail_IsFiled()
    {
        // A colleague of the organisation registered elsewhere, answering the notice mail they were forwarded.
        var result = ReplyMatcher.Match(Mail("RE: TN-115-0001", from: "wang@org2.example.tw", threadIds: ["notice-1@center.example.tw"]), Context);

        Assert.Equal(("TN-115-0001", MatchMethod.Reference), (result.Reference, result.MatchedBy));
    }

    /// <summary>
    /// Hostile finding #20: a stranger wrapped the reference in an attached message and got evidence filed under another
    /// organisation's notice. Held; and (h10y #5) the reason says the attached message names it, not the subject.
    /// </summary>
    [Fact]
    public void Match_ReferenceOnlyInsideAStrangersAttachedMessage_IsHeldAsAmbiguousNamingTheAttachedMessage()
    {
        var mail = Mail("hello", "x", "x@evil.example") with { InnerTexts = ["TN-115-0001", ""], InnerFromAddresses = ["x@evil.example"] };

        var result = ReplyMatcher.Match(mail, Context);

        Assert.Equal((MatchOutcome.Ambiguous, MatchReason.AttachedMessageFromUnregistered), (result.Outcome, result.Reason));
        Assert.Equal(["TN-115-0001"], result.Candidates);
    }

    [Fact]
    public void Match_ReferenceOnlyOnAFormReturnedFromAnUnregisteredAddress_IsFiledByReference()
    {
        // The SPEC matches by the organisation's code "in subject, body or attached form": a clerk may return the filled
        // form from an address not (yet) registered (README, ReturnedFormIntakeTests).
        var form = new ReturnedForm(["TN-115-0001"], null, null, [], "編號：TN-115-0001 機關代碼 XC12345678");
        var mail = Mail("表單", "x", "clerk@unknown.example") with { Forms = [form] };

        var result = ReplyMatcher.Match(mail, Context);

        Assert.Equal((MatchOutcome.Matched, "TN-115-0001", MatchMethod.Reference), (result.Outcome, result.Reference, result.MatchedBy));
    }

    [Fact]
    public void Match_ReplyOfTheOrganisationForwardedByAColleague_IsFiled()
    {
        // The message inside was sent from the organisation's registered address: a real forwarded reply.
        var mail = Mail("FW: 轉寄", "轉寄", "colleague@someone.example") with { InnerTexts = ["回覆 TN-115-0001", ""], InnerFromAddresses = ["lee@org1.example.tw"] };

        var result = ReplyMatcher.Match(mail, Context);

        Assert.Equal((MatchOutcome.Matched, "TN-115-0001", MatchMethod.Reference), (result.Outcome, result.Reference, result.MatchedBy));
    }
}
