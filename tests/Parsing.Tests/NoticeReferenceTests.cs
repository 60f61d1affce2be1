namespace MailIntake.Parsing.Tests;

public sealed class NoticeReferenceTests
{
    [Fact]
    public void Format_RocYearAndSequence_IsZeroPadded() => Assert.Equal("TN-115-0007", NoticeReference.Format(115, 7));

    [Theory]
    [InlineData("Re: [TN-115-0001] 回覆", "TN-115-0001")]
    [InlineData("回覆tn1150002", "TN-115-0002")]
    [InlineData("ＴＮ－１１５－０００３", "TN-115-0003")]
    [InlineData("編號:TN 115 0004。", "TN-115-0004")]
    public void FindAll_HumanWrittenForms_FindsCanonicalReference(string text, string expected) =>
        Assert.Equal([expected], NoticeReference.FindAll(text));

    [Theory]
    [InlineData("ATN-115-0001")]
    [InlineData("TN-115-00011234567")]
    [InlineData("no reference here")]
    public void FindAll_NotAReference_FindsNothing(string text) => Assert.Empty(NoticeReference.FindAll(text));

    [Theory]
    [InlineData("TN-115-0001", "TN-115-0001")]
    [InlineData(" tn1150001 ", "TN-115-0001")]
    [InlineData("ＴＮ－１１５－０００１", "TN-115-0001")]
    public void Whole_OneReferenceAlone_IsCanonical(string text, string expected) => Assert.Equal(expected, NoticeReference.Whole(text));

    [Theory]
    [InlineData("TN-115-0003,TN-115-0002")]
    [InlineData("TN-115-0001-2")]
    [InlineData("TN-115-0001x")]
    [InlineData("TN-115-0001/TN-115-0002")]
    [InlineData("編號TN-115-0001")]
    [InlineData("NO-SUCH-NOTICE-0000")]
    [InlineData("")]
    public void Whole_ReferenceWithAnythingElse_IsNull(string text) => Assert.Null(NoticeReference.Whole(text));
}
