using System.Net;
using System.Text.RegularExpressions;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MailIntake.Parsing;
using MailIntake.Worker.Documents;
using MailIntake.Worker.Tests.Documents;
using MimeKit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// What is printed about a notice tells what happened, as it happened (issue 10, observations 2, 4, 7, 8): the export
/// and the Archives' documents print the deadline the notice was sent with and put the extension on its round; the
/// returned form's answers, the evidence, the phone calls and every round's note show in <c>notice show</c> and the
/// export; a suspension sends the Archives the 連線異動表 (.docx and .odt) with the notice as sent and its tracking form.
/// </summary>
public sealed partial class PrintedRecordTests(ITestOutputHelper output) : ScheduledJobTest(output)
{
    private const string Tracker = "王承辦";
    private const string DeadlineSent = "中華民國115年12月10日";

    private static readonly string[] AnswerTexts =
    [
        "1. 經查係瀏覽器外掛造成，已由防火牆設定阻擋規則（附件1）。",
        "2. 於115年12月1日以防毒軟體全機掃描，未發現惡意程式（附件2）。",
        "3. 事件期間公文檔案共12件，均已掃描無異狀。",
        "4. 已請資訊人員保存防火牆紀錄供追查。",
    ];

    [Fact]
    public async Task ExportAndArchivesNotice_AfterAnExtension_PrintTheDeadlineSentAndTheExtensionOnItsRound()
    {
        var reference = await IssueAndSendAsync();
        await FollowUpAsync(reference, "--result", "extended", "--until", "115/12/24", "--note", "機關申請展延");

        var html = await ExportHtmlAsync(reference);
        var docx = await ExportDocxAsync(reference);

        foreach (var (format, text) in new[] { ("html", html), ("docx", docx) })
        {
            Assert.True(text.Contains($"應於{DeadlineSent}前改善完竣", StringComparison.Ordinal), $"the {format} export must print the deadline the notice was sent with:\n{text}");
            Assert.False(text.Contains("應於中華民國115年12月24日前改善完竣", StringComparison.Ordinal), $"the {format} export must not rewrite the notice's deadline:\n{text}");
            Assert.Contains("■尚未完成，再給予改善期限至中華民國115年12月24日。", Round(text, 1));
            Assert.Contains("機關申請展延", Round(text, 1));
        }

        // Round 2 suspends: the notice the Archives get is the one that was sent.
        await FollowUpAsync(reference, "--result", "suspended", "--suspend-from", "116/01/05", "--note", "屆期仍未改善");
        var report = Assert.Single(await Delivered.WaitForAsync(ArchivesAddress, 1, $"Archives report for {reference}"));
        var notice = await AttachmentTextAsync(report, "限期改善單_", ".docx");
        Assert.Contains($"應於{DeadlineSent}前改善完竣", notice);
        Assert.DoesNotContain("115年12月24日", notice);
        var tracking = Letters(await AttachmentTextAsync(report, "追蹤評估表_", ".docx"));
        Assert.Contains("■尚未完成，再給予改善期限至中華民國115年12月24日。", Round(tracking, 1));
    }

    [Fact]
    public async Task ShowAndExport_AfterAReturnedFormCallsAndRounds_ShowAnswersEvidencePhoneRecordsAndEveryNote()
    {
        var (reference, delivered) = await IssueAndDeliverAsync();
        await ReplyWithFilledFormAsync(delivered);
        await Cli.RunOnceAsync();
        await Cli.RunOkAsync("notice", "confirm-phone", reference, "--by", Tracker, "--result", "no-answer", "--note", "上午撥打無人接聽");
        await Cli.RunOkAsync("notice", "confirm-phone", reference, "--by", Tracker, "--note", "李大同確認已寄出佐證資料");
        await FollowUpAsync(reference, "--result", "extended", "--until", "115/12/24", "--note", "附件3尚缺公文文號清單");
        await FollowUpAsync(reference, "--result", "other", "--note", "已電話聯繫，承辦人休假至12月20日");

        var show = await Cli.RunOkAsync("notice", "show", reference);
        foreach (var expected in AnswerTexts.Concat(["上午撥打無人接聽", "李大同確認已寄出佐證資料", "附件3尚缺公文文號清單", "已電話聯繫，承辦人休假至12月20日", "防火牆規則.png", "掃毒結果.pdf"]))
            Assert.True(show.Contains(expected, StringComparison.Ordinal), $"`notice show` must show 「{expected}」:\n{show}");
        Assert.DoesNotMatch("[A-Za-z]{4,}", Regex.Replace(show, @"[\w.+-]+@[\w.-]+|TN-\d+-\d+|\S*\.(png|pdf|docx|odt)|sha256 [0-9a-f]+|[0-9a-f]{64}|<[^>]+>|XC\d+", ""));

        foreach (var (format, text) in new[] { ("html", await ExportHtmlAsync(reference)), ("docx", await ExportDocxAsync(reference)) })
        {
            foreach (var answer in AnswerTexts)
                Assert.True(text.Contains(Letters(answer), StringComparison.Ordinal), $"the {format} export's 處理情形 must print the returned answer 「{answer}」:\n{text}");
            foreach (var expected in new[] { "附件1附件1_防火牆規則.png", "附件2附件2_掃毒結果.pdf", "無人接聽", "上午撥打無人接聽", "李大同確認已寄出佐證資料" })
                Assert.True(text.Contains(expected, StringComparison.Ordinal), $"the {format} export must print 「{expected}」:\n{text}");

            var round1 = Round(text, 1);
            Assert.Contains("■尚未完成，再給予改善期限至中華民國115年12月24日。", round1);
            Assert.Contains("附件3尚缺公文文號清單", round1);
            Assert.Contains($"追蹤人員{Tracker}追蹤日期{TodayRoc}", round1);
            var round2 = Round(text, 2);
            Assert.Contains("■其他：已電話聯繫，承辦人休假至12月20日。", round2);
            Assert.Contains($"追蹤人員{Tracker}追蹤日期{TodayRoc}", round2);
        }
    }

    [Fact]
    public async Task EarlySuspension_ArchivesReportCarriesTheConnectionChangeFormNoticeAsSentAndTrackingForm()
    {
        var reference = await IssueAndSendAsync();
        await FollowUpAsync(reference, "--result", "suspended", "--suspend-from", "115/12/08", "--note", "持續對外連線惡意IP，事態嚴重");

        var report = Assert.Single(await Delivered.WaitForAsync(ArchivesAddress, 1, $"Archives report for {reference}"));
        var names = report.Attachments.OfType<MimePart>().Select(part => part.FileName ?? "").ToList();
        foreach (var expected in new[]
        {
            $"限期改善單_{reference}_{Orgs.TestGuild}.docx",
            $"追蹤評估表_{reference}_{Orgs.TestGuild}.docx",
            $"連線異動表_{reference}_{Orgs.TestGuild}.docx",
            $"連線異動表_{reference}_{Orgs.TestGuild}.odt",
        })
        {
            Assert.True(names.Contains(expected), $"the Archives report must carry {expected}; it has [{string.Join(", ", names)}]");
        }

        foreach (var extension in new[] { ".docx", ".odt" })
        {
            var letters = await LibreOfficeLettersAsync(report, "連線異動表_", extension);
            foreach (var expected in new[]
            {
                "公文電子交換系統連線異動表",
                $"機關（構）代碼{Orgs.TestGuild}",
                $"機關（構）名稱{Orgs.TestGuildName}",
                "異動類別■中止交換服務",
                "生效日期自中華民國115年12月8日起中止交換服務。",
                "持續對外連線惡意IP，事態嚴重",
                $"已於{TodayRoc}通知改善機關",
                "李大同/06-2345678/",
                CenterPhone,
                "法令依據",
            })
            {
                Assert.True(letters.Contains(Letters(expected), StringComparison.Ordinal), $"the {extension} 連線異動表 as LibreOffice reads it must hold 「{expected}」:\n{letters}");
            }

            Assert.DoesNotContain("未於改善期限內完成改善", letters);
        }

        var tracking = Letters(await AttachmentTextAsync(report, "追蹤評估表_", ".docx"));
        Assert.Contains($"■尚未完成，因事態嚴重，已於{TodayRoc}通知改善機關於中華民國115年12月8日起中止交換服務。", Round(tracking, 1));
        Assert.Contains("持續對外連線惡意IP，事態嚴重", Round(tracking, 1));
    }

    /// <summary>
    /// h10x #26: renaming the organisation in the registry rewrote its notices already sent — in <c>notice show</c>, the
    /// export and the Archives' "notice as sent". They keep the name the notice was sent to.
    /// </summary>
    [Fact]
    public async Task ShowExportAndArchivesNotice_AfterTheOrganisationIsRenamed_KeepTheNameTheNoticeWasSentTo()
    {
        var (reference, delivered) = await IssueAndDeliverAsync();
        Assert.Contains(Orgs.TestGuildName, delivered.Subject, StringComparison.Ordinal);
        const string renamed = "台南市改名後公會";
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address).Replace(Orgs.TestGuildName, renamed, StringComparison.Ordinal));

        var shown = await Cli.ShowNoticeAsync(reference);
        var html = await ExportHtmlAsync(reference);
        await FollowUpAsync(reference, "--result", "suspended", "--suspend-from", "116/01/05", "--note", "嚴重");
        var report = Assert.Single(await Delivered.WaitForAsync(ArchivesAddress, 1, $"Archives report for {reference}"));
        var noticeAsSent = Letters(await AttachmentTextAsync(report, "限期改善單_", ".docx"));

        Assert.True(shown.OrgName == Orgs.TestGuildName, $"notice show names the organisation as the notice was sent: {shown.OrgName}");
        foreach (var (what, text) in new[] { ("the html export", html), ("the Archives' notice as sent", noticeAsSent) })
        {
            Assert.True(text.Contains(Orgs.TestGuildName, StringComparison.Ordinal) && !text.Contains(renamed, StringComparison.Ordinal),
                $"{what} must print {Orgs.TestGuildName}, the name it was sent to, not the new one:\n{text}");
        }
    }

    /// <summary>
    /// h10x #18: a notice whose mail never left (the mail server refused the connection) cannot be suspended — the
    /// 連線異動表 would tell the Archives the organisation had been told on a day nobody had told it anything. Once the
    /// notice is delivered the suspension is recorded, and the 連線異動表 names the day the suspension notice went out.
    /// </summary>
    [Fact]
    public async Task Suspension_OfANoticeWhoseMailNeverLeft_IsRefusedAndOnceSentTheFormNamesTheDayTheOrganisationWasTold()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var smtpPort = Cli.Environment["MailIntake__Smtp__Port"];
        Cli.Environment["MailIntake__Smtp__Port"] = "1"; // nothing listens there: the notice cannot be sent
        var reference = await Cli.IssueNoticeAsync(Orgs.TestGuild, send: true);
        await Cli.RunAsync("jobs", "run", "outbox");

        var refused = await Cli.RunAsync("notice", "follow-up", reference, "--result", "suspended", "--suspend-from", "115/12/31", "--note", "嚴重", "--by", Tracker);

        Assert.True(refused.ExitCode == 1 && refused.StderrLines.Length == 1 && refused.StderrLines[0].Contains("尚未寄達機關", StringComparison.Ordinal),
            $"suspending a notice that was never sent must be refused with one line saying so: {refused.Describe()}");
        var unchanged = await Cli.ShowNoticeAsync(reference);
        Assert.True(unchanged is { Status: "issued", FollowUps.Count: 0 } && unchanged.Outbound.All(mail => mail.Kind == "notice" && mail.Status != "sent"),
            $"a refused suspension records and queues nothing: {unchanged.Status}, {Dump(unchanged.FollowUps)}, {Dump(unchanged.Outbound)}");

        Cli.Environment["MailIntake__Smtp__Port"] = smtpPort;
        await RunJobAsync("outbox", AsOf(TestClock.Now.AddMinutes(5)));
        await Delivered.WaitForAsync(Org1Address, 1, $"the notice {reference}");
        await FollowUpAsync(reference, "--result", "suspended", "--suspend-from", "115/12/31", "--note", "嚴重");

        var report = Assert.Single(await Delivered.WaitForAsync(ArchivesAddress, 1, $"Archives report for {reference}"));
        var change = Letters(await AttachmentTextAsync(report, "連線異動表_", ".docx"));
        Assert.Contains(Letters($"已於{TodayRoc}通知改善機關中止交換服務之日期"), change, StringComparison.Ordinal);
        var suspension = (await Delivered.WaitForAsync(Org1Address, 2, $"the suspension notice for {reference}"))
            .Single(mail => mail.Subject?.Contains("中止交換服務通知", StringComparison.Ordinal) == true);
        AssertBodiesContain(suspension, "the suspension notice", $"發文日期：{TodayRoc}");
    }

    /// <summary>Rounds and calls are recorded now (the program refuses a future <c>--at</c>): their date is today in Taipei.</summary>
    private static string TodayRoc => RocDate.Format(TestClock.Today);

    private async Task<string> IssueAndSendAsync() => (await IssueAndDeliverAsync()).Reference;

    private async Task<(string Reference, MimeMessage Delivered)> IssueAndDeliverAsync()
    {
        var (reference, delivered, _) = await IssueAndDeliverNoticeAsync();
        return (reference, delivered);
    }

    /// <summary>The organisation fills in the .docx the notice carried (filler, completion date, answers 1–4) and replies with two pieces of evidence.</summary>
    private async Task ReplyWithFilledFormAsync(MimeMessage notice)
    {
        var form = notice.Attachments.OfType<MimePart>().Single(part => part.FileName!.EndsWith(".docx", StringComparison.Ordinal));
        using var blank = new MemoryStream();
        await form.Content!.DecodeToAsync(blank);
        var answers = new Dictionary<string, string>
        {
            [NoticeFormText.FillerBlankLine] = "姓名：李大同　電話：06-2345678　郵件信箱：lee@org1.example.tw",
            [NoticeFormText.CompletionBlankLine] = "本用戶已於115年12月01日完成以下改善事項：",
        };
        for (var item = 1; item <= AnswerTexts.Length; item++)
            answers[$"{item}."] = AnswerTexts[item - 1];

        var reply = new MimeMessage { Subject = $"RE: {notice.Subject}", MessageId = $"reply-{Guid.NewGuid():N}@org1.example.tw", InReplyTo = notice.MessageId };
        reply.From.Add(MailboxAddress.Parse(Org1Address));
        reply.To.Add(MailboxAddress.Parse("center@intake.test"));
        var body = new BodyBuilder { TextBody = "檢送限期改善單及佐證資料，請查收。" };
        body.Attachments.Add("限期改善單回覆.docx", FormFiller.FillDocx(blank.ToArray(), answers));
        body.Attachments.Add("附件1_防火牆規則.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]);
        body.Attachments.Add("附件2_掃毒結果.pdf", "%PDF-1.4\n%%EOF\n"u8.ToArray());
        reply.Body = body.ToMessageBody();
        await Mailbox.AppendAsync(reply);
    }

    private Task FollowUpAsync(string reference, params string[] args) =>
        Cli.RunOkAsync(["notice", "follow-up", reference, "--by", Tracker, .. args]);

    private async Task<string> ExportHtmlAsync(string reference)
    {
        var file = Path.Combine(Workspace.Input, $"export-{Guid.NewGuid():N}.html");
        await Cli.RunOkAsync("notice", "export", reference, "--format", "html", "-o", file);
        return Letters(WebUtility.HtmlDecode(Markup().Replace(await File.ReadAllTextAsync(file), string.Empty)));
    }

    private async Task<string> ExportDocxAsync(string reference)
    {
        var file = Path.Combine(Workspace.Input, $"export-{Guid.NewGuid():N}.docx");
        await Cli.RunOkAsync("notice", "export", reference, "--format", "docx", "-o", file);
        await using var stream = File.OpenRead(file);
        return Letters(FormTextExtractor.ExtractText(file, stream) ?? throw new XunitException($"{file} has no text"));
    }

    private static async Task<byte[]> AttachmentAsync(MimeMessage mail, string prefix, string extension)
    {
        var part = mail.Attachments.OfType<MimePart>().SingleOrDefault(p => p.FileName is { } n && n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(extension, StringComparison.Ordinal))
            ?? throw new XunitException($"no attachment {prefix}*{extension} in [{string.Join(", ", mail.Attachments.OfType<MimePart>().Select(p => p.FileName))}]");
        using var content = new MemoryStream();
        await part.Content!.DecodeToAsync(content);
        return content.ToArray();
    }

    private static async Task<string> AttachmentTextAsync(MimeMessage mail, string prefix, string extension) =>
        FormTextExtractor.ExtractText("attachment" + extension, new MemoryStream(await AttachmentAsync(mail, prefix, extension)))
        ?? throw new XunitException($"{prefix}*{extension} has no text");

    /// <summary>The attachment opened by LibreOffice (<c>--convert-to pdf</c>) and its letters read back from the PDF.</summary>
    private async Task<string> LibreOfficeLettersAsync(MimeMessage mail, string prefix, string extension)
    {
        var dir = Path.Combine(Workspace.Root, $"lo-{extension.TrimStart('.')}");
        Directory.CreateDirectory(dir);
        var pdf = LibreOffice.ConvertToPdf(await AttachmentAsync(mail, prefix, extension), extension, dir);
        Output.WriteLine($"LibreOffice converted {prefix}*{extension} to {new FileInfo(pdf).Length} bytes of PDF");
        return Letters(PdfTextOf.Letters(pdf));
    }

    private static string Letters(string text) => Whitespace().Replace(text, string.Empty);

    private static string Round(string letters, int round) => ExportText.Round(letters, round);

    [GeneratedRegex("<style.*?</style>|<[^>]+>", RegexOptions.Singleline)]
    private static partial Regex Markup();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
