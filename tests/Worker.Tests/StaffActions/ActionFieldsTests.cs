using MailIntake.Parsing.StaffActions;
using MailIntake.Worker.StaffActions;

namespace MailIntake.Worker.Tests.StaffActions;

public class ActionFieldsTests
{
    /// <summary>Hostile finding #13: 改善期限 0115/12/20 crashed formatting; the mail stayed failed and the member heard nothing.</summary>
    [Theory]
    [InlineData("0115/12/20")]
    [InlineData("1911年12月31日")]
    public void Date_YearBefore1912_IsRefusedInChineseNamingTheLine(string written)
    {
        var mail = new ActionMail([], [new ActionField("改善期限", written, Quoted: false)]);

        var refusal = Assert.Throws<ActionFieldException>(() => ActionFields.Date(mail, "改善期限"));

        Assert.Equal($"「改善期限：{written}」不是有效之日期（例如 115/12/31 或 中華民國115年12月31日）", refusal.Message);
    }

    [Theory]
    [InlineData("機關代碼：XC12345678\n電腦IP：10.1.2.3\n惡意IP：203.0.113.9\n事件期間：0115/11/01至115/11/03\n改善期限：115/12/20", "事件期間")]
    public void Issue_IncidentPeriodBefore1912_IsRefusedNamingTheLine(string lines, string label)
    {
        var fields = lines.Split('\n').Select(line => line.Split('：')).Select(pair => new ActionField(pair[0], pair[1], Quoted: false)).ToList();

        var refusal = Assert.Throws<ActionFieldException>(() => ActionFields.Issue(new ActionMail([], fields)));

        Assert.Contains(label, refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("\n再次開立：是", true)]
    [InlineData("\n再次開立：否", false)]
    public void Issue_AgainLine_AsksForASecondNoticeOnlyWhenYes(string extra, bool again)
    {
        var lines = "機關代碼：XC12345678\n電腦IP：10.1.2.3\n惡意IP：203.0.113.9\n事件期間：115/11/01至115/11/03\n改善期限：115/12/20" + extra;
        var fields = lines.Split('\n').Select(line => line.Split('：')).Select(pair => new ActionField(pair[0], pair[1], Quoted: false)).ToList();

        Assert.Equal(again, ActionFields.Issue(new ActionMail([], fields)).Again);
    }

    /// <summary>h10x #15: two different 機關代碼 lines issued the notice to the first, silently.</summary>
    [Fact]
    public void Issue_TwoDifferentOrganisationCodeLines_IsRefusedNamingTheLine()
    {
        var lines = "機關代碼：XC11112222\n機關代碼：XC12345678\n電腦IP：10.1.2.3\n惡意IP：203.0.113.9\n事件期間：115/11/01至115/11/03\n改善期限：115/12/20";
        var fields = lines.Split('\n').Select(line => line.Split('：')).Select(pair => new ActionField(pair[0], pair[1], Quoted: false)).ToList();

        var refusal = Assert.Throws<ActionFieldException>(() => ActionFields.Issue(new ActionMail([], fields)));

        Assert.StartsWith("「機關代碼」一行出現 2 次且內容不同（XC11112222、XC12345678）", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_SameOrganisationCodeOnItsOwnLineAndQuoted_IsTaken()
    {
        var fields = new List<ActionField>
        {
            new("機關代碼", "XC12345678", Quoted: false), new("機關代碼", "XC11112222", Quoted: true), new("電腦IP", "10.1.2.3", Quoted: false),
            new("惡意IP", "203.0.113.9", Quoted: false), new("事件期間", "115/11/01至115/11/03", Quoted: false), new("改善期限", "115/12/20", Quoted: false),
        };

        Assert.Equal("XC12345678", ActionFields.Issue(new ActionMail([], fields)).OrgCode);
    }
}
