using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>CONTRACT.md: exit 1 on a handled error (one line on stderr, no stack trace), 2 on bad arguments.</summary>
public sealed class CliErrorTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    [Fact]
    public async Task RunOnceWithWrongPassword_ExitsOneWithOneStderrLineAndNoStackTrace()
    {
        var cli = MailIntakeCli.ForImap(_workspace, output, "INBOX");
        cli.Environment["MailIntake__Mailbox__Password"] = "wrong-password";

        var result = await cli.RunAsync("run", "--once");

        Assert.True(result.ExitCode == 1, $"bad credentials must exit 1: {result.Describe()}");
        AssertOneErrorLine(result);
    }

    [Fact]
    public async Task NoticeIssueWithoutOrg_ExitsTwo()
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);

        var result = await cli.RunAsync(
            "notice", "issue", "--host-ip", "10.1.2.3", "--malicious-ip", "203.0.113.9",
            "--from", "115/11/01", "--to", "115/11/15", "--deadline", "115/12/10", "--no-send");

        Assert.True(result.ExitCode == 2, $"a missing --org is a bad argument, exit 2: {result.Describe()}");
        Assert.DoesNotContain(result.Stdout.Split('\n').Concat(result.StderrLines), l => l.StartsWith("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoticeShowUnknownReference_ExitsOneWithOneStderrLine()
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        // A store with no such notice (a DataDirectory with no store at all is refused before any reference is looked up).
        await cli.ImportOrgsAsync(Orgs.Csv);

        var result = await cli.RunAsync("notice", "show", "TN-115-9999", "--json");

        Assert.True(result.ExitCode == 1, $"an unknown reference is a handled error, exit 1: {result.Describe()}");
        AssertOneErrorLine(result);
    }

    /// <summary>Issue 10: a value outside a sane range is refused with one line and exit 2, and nothing is recorded.</summary>
    [Theory]
    [InlineData("deadline in the past", "notice", "issue", "--org", "XC12345678", "--host-ip", "10.1.2.3", "--malicious-ip", "203.0.113.9", "--from", "2020-01-01", "--to", "2020-01-02", "--deadline", "2020-01-10", "--no-send")]
    [InlineData("deadline over a year ahead", "notice", "issue", "--org", "XC12345678", "--host-ip", "10.1.2.3", "--malicious-ip", "203.0.113.9", "--from", "2020-01-01", "--to", "2020-01-02", "--deadline", "2099-01-10", "--no-send")]
    [InlineData("host IP that is no address", "notice", "issue", "--org", "XC12345678", "--host-ip", "10.1", "--malicious-ip", "203.0.113.9", "--from", "2020-01-01", "--to", "2020-01-02", "--deadline", "+14", "--no-send")]
    [InlineData("malicious IP that is a name", "notice", "issue", "--org", "XC12345678", "--host-ip", "10.1.2.3", "--malicious-ip", "evil.example", "--from", "2020-01-01", "--to", "2020-01-02", "--deadline", "+14", "--no-send")]
    [InlineData("as-of years away", "jobs", "run", "digest", "--as-of", "2099-01-01T09:00")]
    [InlineData("round 0 (h10v #7)", "notice", "follow-up", "TN-115-0001", "--result", "other", "--by", "張專員", "--note", "同", "--round", "0")]
    [InlineData("round -1 (h10v #7)", "notice", "follow-up", "TN-115-0001", "--result", "other", "--by", "張專員", "--note", "同", "--round", "-1")]
    [InlineData("round 4 (h10v #7)", "notice", "follow-up", "TN-115-0001", "--result", "other", "--by", "張專員", "--note", "同", "--round", "4")]
    public async Task OutOfRangeValue_ExitsTwoWithOneLineAndRecordsNothing(string what, params string[] args)
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        await cli.ImportOrgsAsync("code,name,email,phone,contact\nXC12345678,臺南市測試公會,org@example.tw,06-1234567,李大同\n");
        var inTwoWeeks = TestClock.Today.AddDays(14).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var result = await cli.RunAsync(args.Select(arg => arg == "+14" ? inTwoWeeks : arg).ToArray());

        Assert.True(result.ExitCode == 2, $"{what} must be refused with exit 2: {result.Describe()}");
        AssertOneErrorLine(result);
        Assert.Empty(await cli.RunJsonAsync<List<System.Text.Json.Nodes.JsonNode>>("notice", "list", "--json"));
    }

    /// <summary>Hostile finding #13: a year before 1912 (no ROC year; a ROC year typed with a leading zero) printed a .NET exception, exit 1.</summary>
    [Theory]
    [InlineData("--deadline", "--from", "+0", "--deadline", "0115/12/20")]
    [InlineData("--from", "--from", "0115/11/28", "--deadline", "+14")]
    [InlineData("--deadline", "--from", "+0", "--deadline", "1911年12月31日")]
    public async Task NoticeIssueWithDateBefore1912_ExitsTwoWithOneChineseLineNamingTheOption(string named, params string[] dates)
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        await cli.ImportOrgsAsync("code,name,email,phone,contact\nXC12345678,臺南市測試公會,org@example.tw,06-1234567,李大同\n");
        string Day(int days) => TestClock.Today.AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var values = dates.Select(value => value == "+14" ? Day(14) : value == "+0" ? Day(-3) : value).ToArray();

        var result = await cli.RunAsync(
            ["notice", "issue", "--org", "XC12345678", "--host-ip", "10.1.2.3", "--malicious-ip", "203.0.113.9", values[0], values[1], "--to", Day(-2), values[2], values[3], "--no-send"]);

        Assert.True(result.ExitCode == 2, $"a date before 1912 is a bad value, exit 2: {result.Describe()}");
        AssertOneErrorLine(result);
        var line = result.StderrLines[0];
        Assert.True(line.Contains(named, StringComparison.Ordinal) && line.Contains("無法辨識的日期", StringComparison.Ordinal)
                    && !line.Contains("Exception", StringComparison.Ordinal) && !line.Contains("ROC years", StringComparison.Ordinal),
            $"one zh-TW line naming {named}: {result.Describe()}");
        Assert.Empty(await cli.RunJsonAsync<List<System.Text.Json.Nodes.JsonNode>>("notice", "list", "--json"));
    }

    /// <summary>Findings of issue 10: System.CommandLine's English, several lines long, reached staff; each is now one zh-TW line, exit 2.</summary>
    [Theory]
    [InlineData("--result", "notice", "confirm-phone", "TN-115-0001", "--by", "張專員", "--result", "bogus")]
    [InlineData("MAIL-ID", "mail", "assign", "abc", "TN-115-0001")]
    [InlineData("FILE.csv", "orgs", "import")]
    [InlineData("--kind", "mail", "list", "--kind", "bogus")]
    public async Task BadArgument_ExitsTwoWithOneChineseLineNamingIt(string named, params string[] args)
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);

        var result = await cli.RunAsync(args);

        Assert.True(result.ExitCode == 2, $"a bad argument exits 2: {result.Describe()}");
        AssertOneErrorLine(result);
        var line = result.StderrLines[0];
        Assert.True(line.StartsWith("參數錯誤：", StringComparison.Ordinal) && line.Contains(named, StringComparison.Ordinal),
            $"the line must name {named}: {result.Describe()}");
        Assert.True(!line.Contains("Argument", StringComparison.Ordinal) && !line.Contains("System.", StringComparison.Ordinal)
                    && !line.Contains("Required", StringComparison.Ordinal) && !line.Contains("Cannot parse", StringComparison.Ordinal),
            $"no English parser text: {result.Describe()}");
    }

    /// <summary>A value the command never takes for this notice is a bad argument (exit 2), a rule of the notice's state is exit 1 — README "Follow-up".</summary>
    [Theory]
    [InlineData("--until", "extended", "--until", 0)]
    [InlineData("--until", "extended", "--until", 400)]
    [InlineData("--suspend-from", "suspended", "--suspend-from", -1)]
    [InlineData("--suspend-from", "suspended", "--suspend-from", 400)]
    public async Task FollowUpDateOutOfRange_ExitsTwoChangesNothingAndMailsNothing(string named, string outcome, string option, int daysFromDeadline)
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        var (reference, deadline) = await IssueRelativeToTodayAsync(cli);
        var date = daysFromDeadline < 0 ? TestClock.Today.AddDays(daysFromDeadline) : deadline.AddDays(daysFromDeadline);

        var result = await cli.RunAsync("notice", "follow-up", reference, "--result", outcome, "--by", "張專員",
            option, date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(result.ExitCode == 2, $"{option} {date} must be refused with exit 2: {result.Describe()}");
        AssertOneErrorLine(result);
        Assert.Contains(named, result.StderrLines[0], StringComparison.Ordinal);
        var notice = await cli.ShowNoticeAsync(reference);
        Assert.True(notice.Status == "issued" && notice.FollowUps.Count == 0, $"nothing recorded: {notice.Status}, {notice.FollowUps.Count} rounds");
        Assert.True(!Directory.Exists(_workspace.Outbox) || Directory.GetFiles(_workspace.Outbox, "*.eml", SearchOption.AllDirectories).Length == 0,
            "a refused suspension mails nobody");
    }

    /// <summary>
    /// Hostile finding h10y #1: a value with a reference and something more (two pasted together, a suffix) was taken as
    /// the first reference in it, and the follow-up was recorded on it. The reference must be the whole value.
    /// </summary>
    [Theory]
    [InlineData("follow-up", "{0},TN-115-0002")]
    [InlineData("follow-up", "{0}/TN-115-0002")]
    [InlineData("follow-up", "{0}-2")]
    [InlineData("follow-up", "{0}x")]
    [InlineData("show", "{0}x")]
    [InlineData("confirm-phone", "{0} TN-115-0002")]
    public async Task NoticeCommandWithReferenceAndTrailingText_ExitsTwoWithOneChineseLineAndRecordsNothing(string command, string typed)
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        var (reference, _) = await IssueRelativeToTodayAsync(cli);
        var value = string.Format(System.Globalization.CultureInfo.InvariantCulture, typed, reference);
        string[] args = command switch
        {
            "follow-up" => ["notice", "follow-up", value, "--result", "other", "--by", "陳專員", "--note", "測試"],
            "confirm-phone" => ["notice", "confirm-phone", value, "--by", "陳專員"],
            _ => ["notice", "show", value],
        };

        var result = await cli.RunAsync(args);

        Assert.True(result.ExitCode == 2, $"「{value}」 is not one reference: exit 2: {result.Describe()}");
        AssertOneErrorLine(result);
        Assert.True(result.StderrLines[0].Contains($"「{value}」不是一個限期改善單編號", StringComparison.Ordinal),
            $"the one zh-TW line must name the value as typed and say it is no reference: {result.Describe()}");
        var notice = await cli.ShowNoticeAsync(reference);
        Assert.True(notice.FollowUps.Count == 0 && notice.Timeline.All(entry => entry.Detail?.Contains("測試", StringComparison.Ordinal) != true),
            $"nothing recorded on {reference}: {notice.FollowUps.Count} rounds");
    }

    /// <summary>
    /// Hostile finding h10y #10: an extension could set a new deadline that had already passed (or was today), and the
    /// organisation was mailed it. The new deadline must lie after today, as a notice's deadline must.
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    public async Task FollowUpExtendedUntilNotAfterToday_ExitsTwoChangesNothingAndMailsNothing(int daysAfterDeadline)
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        var (reference, deadline) = await IssueRelativeToTodayAsync(cli);
        // Twenty days later: the deadline (today + 14) is six days past.
        cli.Environment["MailIntake__Clock__Offset"] = (TimeSpan.Parse(TestClock.Offset, System.Globalization.CultureInfo.InvariantCulture) + TimeSpan.FromDays(20))
            .ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        var until = daysAfterDeadline == 0 ? TestClock.Today.AddDays(20) : deadline.AddDays(daysAfterDeadline);

        var result = await cli.RunAsync("notice", "follow-up", reference, "--result", "extended", "--by", "張專員",
            "--until", until.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(result.ExitCode == 2, $"--until {until} (today is {TestClock.Today.AddDays(20)}) must be refused with exit 2: {result.Describe()}");
        AssertOneErrorLine(result);
        Assert.True(result.StderrLines[0].Contains("--until 須晚於今日", StringComparison.Ordinal), $"the line must say --until must be after today: {result.Describe()}");
        var notice = await cli.ShowNoticeAsync(reference);
        Assert.True(notice.Status == "issued" && notice.FollowUps.Count == 0 && notice.Outbound.Count == 0,
            $"nothing recorded or queued: {notice.Status}, {notice.FollowUps.Count} rounds, {notice.Outbound.Count} mails");
    }

    /// <summary>
    /// Hostile finding h10y #11: a round could be dated before the round it follows; the tracking form then printed 第三次
    /// before 第一次. Refused like an <c>--at</c> before the notice: exit 2, one line, nothing recorded.
    /// </summary>
    [Fact]
    public async Task FollowUpAtBeforeThePreviousRound_ExitsTwoAndRecordsNothing()
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        var (reference, _) = await IssueRelativeToTodayAsync(cli);
        cli.Environment["MailIntake__Clock__Offset"] = (TimeSpan.Parse(TestClock.Offset, System.Globalization.CultureInfo.InvariantCulture) + TimeSpan.FromDays(3))
            .ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        string Noon(int days) => TestClock.Today.AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T12:00";
        await cli.RunOkAsync("notice", "follow-up", reference, "--result", "other", "--by", "張專員", "--note", "第一次", "--at", Noon(2));

        var result = await cli.RunAsync("notice", "follow-up", reference, "--result", "other", "--by", "張專員", "--note", "第二次", "--at", Noon(1));

        Assert.True(result.ExitCode == 2, $"a round dated before the previous round must be refused with exit 2: {result.Describe()}");
        AssertOneErrorLine(result);
        Assert.True(result.StderrLines[0].Contains("不可早於限期改善單", StringComparison.Ordinal) && result.StderrLines[0].Contains("前一次追蹤", StringComparison.Ordinal),
            $"the line must say --at is before the previous round: {result.Describe()}");
        Assert.Single((await cli.ShowNoticeAsync(reference)).FollowUps);
    }

    [Fact]
    public async Task ExportUnderARegularFile_ExitsOneSayingTheExportFileCouldNotBeWritten()
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        var (reference, _) = await IssueRelativeToTodayAsync(cli);
        var notAFolder = _workspace.WriteInput("not-a-folder", "x");

        var result = await cli.RunAsync("notice", "export", reference, "--format", "html", "-o", Path.Combine(notAFolder, "n.html"));

        Assert.True(result.ExitCode == 1, $"exit 1: {result.Describe()}");
        AssertOneErrorLine(result);
        Assert.True(result.StderrLines[0].StartsWith("寫入匯出檔失敗：", StringComparison.Ordinal) && result.StderrLines[0].Contains(notAFolder, StringComparison.Ordinal)
                    && !result.StderrLines[0].Contains("郵件伺服器", StringComparison.Ordinal), $"names the export and the file in the way: {result.Describe()}");
    }

    [Theory]
    [InlineData("MailIntake:Staff:Members:0:Role", "MailIntake__Staff__Members__0__Role", "god")]
    [InlineData("MailIntake:TimeZone", "MailIntake__TimeZone", "Mars/Phobos")]
    [InlineData("MailIntake:Mailbox:Kind", "MailIntake__Mailbox__Kind", "Bogus")]
    [InlineData("MailIntake:Staff:DigestTime", "MailIntake__Staff__DigestTime", "25:00")]
    [InlineData("MailIntake:PhoneConfirmation:PromptAfter", "MailIntake__PhoneConfirmation__PromptAfter", "-01:00:00")]
    [InlineData("MailIntake:Smtp:From", "MailIntake__Smtp__From", "notanaddress")]
    [InlineData("MailIntake:Staff:DigestRecipients:0", "MailIntake__Staff__DigestRecipients__0", "bad")]
    [InlineData("MailIntake:Receipts:MaxPerSenderPerHour", "MailIntake__Receipts__MaxPerSenderPerHour", "-1")]
    [InlineData("MailIntake:DataDirectory", "MailIntake__DataDirectory", "FILE")]
    public async Task InvalidSetting_StopsWithOneChineseLineNamingTheKey(string key, string variable, string value)
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        cli.Environment[variable] = value == "FILE" ? _workspace.WriteInput("data-is-a-file", "x") : value;
        if (variable.Contains("Members", StringComparison.Ordinal))
        {
            cli.Environment["MailIntake__Staff__Members__0__Email"] = "wang@tainan.gov.tw";
            cli.Environment["MailIntake__Staff__Members__0__Name"] = "王小明";
        }

        var result = await cli.RunAsync("status");

        Assert.True(result.ExitCode == 1, $"{key}={value} must stop the program, exit 1: {result.Describe()}");
        AssertOneErrorLine(result);
        var line = result.StderrLines[0];
        Assert.True(line.StartsWith("設定錯誤：", StringComparison.Ordinal) && line.Contains(key + " ", StringComparison.Ordinal), $"names {key}: {result.Describe()}");
        Assert.True(!line.Contains("Failed to convert", StringComparison.Ordinal) && !line.Contains("Exception", StringComparison.Ordinal)
                    && !line.Contains("郵件伺服器", StringComparison.Ordinal), $"no English exception text: {result.Describe()}");
    }

    [Fact]
    public async Task MailAssignOfOurOwnMail_ExitsOneAndFilesNothing()
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        cli.Environment["MailIntake__Smtp__From"] = "center@intake.test";
        var (reference, _) = await IssueRelativeToTodayAsync(cli);
        var drop = Path.Combine(_workspace.Root, "drop");
        Directory.CreateDirectory(drop);
        await File.WriteAllTextAsync(Path.Combine(drop, "own.eml"),
            $"From: center@intake.test\r\nTo: center@intake.test\r\nSubject: 轉寄 {reference}\r\nMessage-ID: <own-{Guid.NewGuid():N}@intake.test>\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n\r\n本中心自己寄出\r\n");
        await cli.RunOnceAsync();
        var own = Assert.Single(await cli.ListMailAsync());

        var result = await cli.RunAsync("mail", "assign", own.MailId.ToString(), reference);

        Assert.True(result.ExitCode == 1, $"our own mail is never a reply: {result.Describe()}");
        AssertOneErrorLine(result);
        Assert.Contains("本中心自己之信箱", result.StderrLines[0], StringComparison.Ordinal);
        Assert.Empty((await cli.ShowNoticeAsync(reference)).Replies);
    }

    /// <summary>
    /// h10z C: the same <c>notice issue</c> run twice (arrow-up, Enter) mailed the organisation a second notice for the one
    /// incident. The second is refused with one line naming the open notice; <c>--again</c> issues it on purpose.
    /// </summary>
    [Fact]
    public async Task NoticeIssueRunTwice_SecondRefusedNamingTheOpenNoticeUnlessAgain()
    {
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        var (reference, deadline) = await IssueRelativeToTodayAsync(cli);
        static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        string[] again = ["notice", "issue", "--org", "XC12345678", "--host-ip", "10.1.2.3", "--malicious-ip", "203.0.113.9",
            "--from", Iso(TestClock.Today.AddDays(-7)), "--to", Iso(TestClock.Today.AddDays(-6)), "--deadline", Iso(deadline), "--no-send"];

        var refused = await cli.RunAsync(again);

        Assert.Equal(1, refused.ExitCode);
        AssertOneErrorLine(refused);
        Assert.Contains($"已有未結案之限期改善單 {reference}，未重複開立", refused.StderrLines[0], StringComparison.Ordinal);
        Assert.Single(await cli.RunJsonAsync<List<NoticeSummaryJson>>("notice", "list", "--json"));

        var issued = await cli.RunAsync([.. again, "--again"]);

        Assert.True(issued.ExitCode == 0, issued.Describe());
        Assert.Equal(2, (await cli.RunJsonAsync<List<NoticeSummaryJson>>("notice", "list", "--json")).Count);
    }

    /// <summary>
    /// Hostile finding h10z K: the shipped appsettings.json reported suspensions to g2b2c@archives.gov.tw (and sent the
    /// digest to a real mailbox) by default, so a rehearsal would report a test case to a national agency. The shipped
    /// settings name no outside address; a suspension with Archives:ReportRecipients unset is refused with one line,
    /// nothing recorded, nobody mailed.
    /// </summary>
    [Fact]
    public async Task SuspendedWithArchivesReportRecipientsUnset_ExitsOneNamingTheSettingAndMailsNobody()
    {
        var settings = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.SolutionDirectory, "appsettings.json"))).RootElement.GetProperty("MailIntake");
        Assert.Equal(0, settings.GetProperty("Archives").GetProperty("ReportRecipients").GetArrayLength());
        Assert.Equal(0, settings.GetProperty("Staff").GetProperty("DigestRecipients").GetArrayLength());
        var cli = MailIntakeCli.ForDropFolder(_workspace, output);
        var (reference, _) = await IssueRelativeToTodayAsync(cli);

        var result = await cli.RunAsync("notice", "follow-up", reference, "--result", "suspended", "--by", "張專員", "--note", "事態嚴重",
            "--suspend-from", TestClock.Today.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(result.ExitCode == 1, $"a suspension nobody can be told of at the Archives exits 1: {result.Describe()}");
        AssertOneErrorLine(result);
        Assert.Contains("未設定檔案管理局通報收件者（Archives:ReportRecipients）", result.StderrLines[0], StringComparison.Ordinal);
        var notice = await cli.ShowNoticeAsync(reference);
        Assert.True(notice.Status == "issued" && notice.FollowUps.Count == 0, $"nothing recorded: {notice.Status}, {notice.FollowUps.Count} rounds");
        Assert.True(!Directory.Exists(_workspace.Outbox) || Directory.GetFiles(_workspace.Outbox, "*.eml", SearchOption.AllDirectories).Length == 0,
            "a refused suspension mails nobody");
    }

    /// <summary>A notice whose dates are relative to today (Taipei): incident a week ago, deadline in two weeks.</summary>
    private static async Task<(string Reference, DateOnly Deadline)> IssueRelativeToTodayAsync(MailIntakeCli cli)
    {
        await cli.ImportOrgsAsync("code,name,email,phone,contact\nXC12345678,臺南市測試公會,org@example.tw,06-1234567,李大同\n");
        static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var today = TestClock.Today;
        var deadline = today.AddDays(14);
        var stdout = await cli.RunOkAsync("notice", "issue", "--org", "XC12345678", "--host-ip", "10.1.2.3", "--malicious-ip", "203.0.113.9",
            "--from", Iso(today.AddDays(-7)), "--to", Iso(today.AddDays(-6)), "--deadline", Iso(deadline), "--no-send");
        return (stdout.Trim().Split('\n')[^1].Trim(), deadline);
    }

    public void Dispose() => _workspace.Dispose();

    private static void AssertOneErrorLine(CliResult result)
    {
        Assert.True(result.StderrLines.Length == 1 && result.StderrLines[0].Trim().Length > 0,
            $"stderr must be exactly one line: {result.Describe()}");
        Assert.False(result.Stdout.Split('\n').Concat(result.StderrLines).Any(l => l.StartsWith("   at ", StringComparison.Ordinal)),
            $"no stack trace: {result.Describe()}");
    }
}
