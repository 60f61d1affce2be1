using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MimeKit;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The tracking evaluation form's three rounds on the command line (<c>notice follow-up</c>), refusals included, and a
/// suspension that reaches both the organisation and the Archives through the real Postfix.
/// </summary>
public sealed class FollowUpWorkflowTests(ITestOutputHelper output) : ScheduledJobTest(output)
{
    private const string Tracker = "王承辦";
    private const string SuspendFromRoc = "中華民國116年1月5日";
    private const string DocxMediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /// <remarks>
    /// Its last assertion (each .docx is a real document) fails while main builds with the temporary
    /// Worker/Documents/_ExportStubs.cs, whose TrackingFormDocx.Create returns no bytes; it passes once branch
    /// <c>export</c> lands the real tracking form.
    /// </remarks>
    [Fact]
    public async Task ExtendedThenOtherThenSuspended_RoundRulesHoldAndSuspensionReachesOrganisationAndArchivesWithTwoDocx()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var reference = await Cli.IssueNoticeAsync(Orgs.TestGuild); // deadline 115/12/10

        // Round 1: not done yet, a new deadline.
        await FollowUpAsync(reference, "--result", "extended", "--until", "115/12/24");
        var afterRound1 = await Cli.ShowNoticeAsync(reference);
        Assert.True(afterRound1.Status == "extended" && afterRound1.Deadline == "2026-12-24",
            $"round 1 extended --until 115/12/24 must make the notice extended with deadline 2026-12-24: status {afterRound1.Status}, deadline {afterRound1.Deadline}");
        var round1 = Assert.Single(afterRound1.FollowUps);
        Assert.Equal((1, "extended", "2026-12-24", Tracker), (round1.Round, round1.Result, round1.Until, round1.By));

        // Round 2: something else, with a note.
        const string note = "已電話聯繫，承辦人休假至12月20日";
        await FollowUpAsync(reference, "--result", "other", "--note", note);
        var afterRound2 = await Cli.ShowNoticeAsync(reference);
        Assert.True(afterRound2.FollowUps.Count == 2 && afterRound2.FollowUps[1] is { Round: 2, Result: "other" } r2 && r2.Note == note,
            $"round 2 must be recorded as other with its note: {Dump(afterRound2.FollowUps)}");
        Assert.True(afterRound2.Status == "extended" && afterRound2.Deadline == "2026-12-24",
            $"other changes neither status nor deadline: status {afterRound2.Status}, deadline {afterRound2.Deadline}");

        // Round 3 may only be completed or suspended: extended is refused and changes nothing.
        var refused = await Cli.RunAsync("notice", "follow-up", reference, "--result", "extended", "--until", "115/12/31", "--by", Tracker);
        AssertRefused(refused, exitCode: 1, "round 3 extended");
        var afterRefusal = await Cli.ShowNoticeAsync(reference);
        Assert.True(afterRefusal.FollowUps.Count == 2 && afterRefusal.Status == "extended" && afterRefusal.Deadline == "2026-12-24",
            $"a refused round 3 must change nothing: status {afterRefusal.Status}, deadline {afterRefusal.Deadline}, followUps {Dump(afterRefusal.FollowUps)}");

        // Round 3: suspended from 116/01/05; the command sends what it queued.
        await FollowUpAsync(reference, "--result", "suspended", "--suspend-from", "116/01/05");
        var suspended = await Cli.ShowNoticeAsync(reference);
        Assert.True(suspended.Status == "suspended", $"round 3 suspended must make the notice suspended: {suspended.Status}");
        Assert.True(suspended.FollowUps.Count == 3 && suspended.FollowUps[2] is { Round: 3, Result: "suspended", SuspendFrom: "2027-01-05" },
            $"round 3 must be recorded as suspended from 2027-01-05: {Dump(suspended.FollowUps)}");

        // No fourth round (and a suspended notice takes no more).
        var fourth = await Cli.RunAsync("notice", "follow-up", reference, "--result", "completed", "--by", Tracker);
        AssertRefused(fourth, exitCode: 1, "a 4th follow-up");
        Assert.True((await Cli.ShowNoticeAsync(reference)) is { Status: "suspended", FollowUps.Count: 3 }, "a refused 4th follow-up must change nothing");

        // The organisation was told of the extension at once (the new deadline, what is missing, the phone step) …
        var toOrgAll = await Delivered.WaitForAsync(Org1Address, 2, $"extension and suspension notices for {reference}");
        var extension = Assert.Single(toOrgAll, mail => mail.Subject?.Contains("展延", StringComparison.Ordinal) == true);
        AssertBodiesContain(extension, $"the extension notice for {reference}", reference, "展延至中華民國115年12月24日", "原改善期限中華民國115年12月10日",
            "本中心尚未收到貴單位之回覆", "尚待補充", "應再以電話確認之");
        // … and is told the date its exchange service stops.
        var toOrg = Assert.Single(toOrgAll, mail => mail.Subject?.Contains("中止交換服務", StringComparison.Ordinal) == true);
        Assert.Contains(reference, toOrg.Subject, StringComparison.Ordinal);
        AssertBodiesContain(toOrg, $"the suspension notice for {reference}", reference, SuspendFromRoc, Orgs.TestGuildName);

        // The Archives get the report with the notice and its tracking evaluation form as .docx documents.
        var report = Assert.Single(await Delivered.WaitForAsync(ArchivesAddress, 1, $"Archives report for {reference}"));
        Assert.Contains(Orgs.TestGuild, report.Subject, StringComparison.Ordinal);
        AssertBodiesContain(report, $"the Archives report for {reference}", Orgs.TestGuild, Orgs.TestGuildName, SuspendFromRoc);
        var attachments = report.Attachments.OfType<MimePart>().ToList();
        var docx = attachments.Where(p => p.FileName?.EndsWith(".docx", StringComparison.OrdinalIgnoreCase) == true).ToList();
        Assert.True(docx.Count == 3, $"the report must carry three .docx attachments (連線異動表, notice, tracking form), has: [{string.Join(", ", attachments.Select(a => $"{a.FileName} ({a.ContentType.MimeType})"))}]");

        await SettledCountAsync(Org1Address, reference, expected: 2, "extension and suspension notices");
        await SettledCountAsync(ArchivesAddress, Orgs.TestGuild, expected: 1, "Archives report");
        var final = await Cli.ShowNoticeAsync(reference);
        foreach (var kind in new[] { "extension", "suspension", "archives-report" })
            Assert.True(SingleOutbound(final, kind).Status == "sent", $"the {kind} outbound entry must be sent: {Dump(final.Outbound)}");

        // Last, so everything above is proven first: each attachment is a real document (a non-empty OOXML zip).
        foreach (var part in docx)
        {
            using var content = new MemoryStream();
            await part.Content!.DecodeToAsync(content);
            var bytes = content.ToArray();
            Assert.True(part.ContentType.MimeType == DocxMediaType, $"{part.FileName} must be sent as {DocxMediaType}, is {part.ContentType.MimeType}");
            Assert.True(bytes.Length > 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4,
                $"{part.FileName} must be a .docx (a zip, PK\\x03\\x04), is {bytes.Length} bytes");
        }
    }

    [Fact]
    public async Task ExtendedWithoutUntil_ExitsTwoWithOneLineAndRecordsNothing()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var reference = await Cli.IssueNoticeAsync(Orgs.TestGuild);

        var result = await Cli.RunAsync("notice", "follow-up", reference, "--result", "extended", "--by", Tracker);

        AssertRefused(result, exitCode: 2, "extended without --until");
        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice is { Status: "issued", Deadline: "2026-12-10", FollowUps.Count: 0 },
            $"a refused follow-up must change nothing: status {notice.Status}, deadline {notice.Deadline}, followUps {Dump(notice.FollowUps)}");
    }

    /// <summary>
    /// Hostile finding h10y #4: a notice whose mail bounced for every address was suspended as if the organisation had
    /// been told, and the Archives report said it had been notified. Refused (exit 1, naming the bounce); nobody mailed.
    /// </summary>
    [Fact]
    public async Task SuspendedAfterNoticeBouncedForEveryAddress_ExitsOneNamingTheBounceAndMailsNobody()
    {
        var (reference, notice, _) = await IssueAndDeliverNoticeAsync();
        await Mailbox.AppendAsync(AnswersToOurMail.PostfixBounce(notice, Org1Address));
        await Cli.RunOnceAsync();
        Assert.Equal("bounced", SingleOutbound(await Cli.ShowNoticeAsync(reference), "notice").Status);

        var result = await Cli.RunAsync("notice", "follow-up", reference, "--result", "suspended", "--by", Tracker, "--suspend-from", "115/12/20", "--note", "未改善");

        AssertRefused(result, exitCode: 1, "a suspension of a notice that bounced for every address");
        Assert.True(result.StderrLines[0].Contains($"寄給 {Org1Address} 均遭退信，機關未收到，不能據以中止交換服務", StringComparison.Ordinal),
            $"the refusal must name the bounce and its address: {result.Describe()}");
        var after = await Cli.ShowNoticeAsync(reference);
        Assert.True(after.FollowUps.Count == 0 && after.Status == "issued" && after.Outbound.All(mail => mail.Kind == "notice"),
            $"nothing recorded or queued: {after.Status}, {Dump(after.FollowUps)}, {Dump(after.Outbound)}");
        await SettledCountAsync(ArchivesAddress, Orgs.TestGuild, expected: 0, "Archives report of a refused suspension");
    }

    /// <summary>
    /// Hostile finding h10z H: <c>follow-up --result other</c> typed twice burned a second round, after which no extension
    /// was possible. The repeat is refused (exit 1, one line naming round 1 and how to record it on purpose); with
    /// <c>--round 2</c> it is recorded, and round 2 can then still be an extension instead.
    /// </summary>
    [Fact]
    public async Task SameOtherFollowUpTwice_SecondRefusedNamingTheRoundAndRoundTwoStaysFree()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var reference = await Cli.IssueNoticeAsync(Orgs.TestGuild);
        string[] other = ["notice", "follow-up", reference, "--result", "other", "--by", Tracker, "--note", "已電話聯繫，機關表示下週回覆"];

        await Cli.RunOkAsync(other);
        var repeated = await Cli.RunAsync(other);

        AssertRefused(repeated, exitCode: 1, "the same follow-up typed twice");
        Assert.True(repeated.StderrLines[0].Contains($"限期改善單 {reference} 第 1 次追蹤今日已記錄相同內容", StringComparison.Ordinal)
                    && repeated.StderrLines[0].Contains("--round 2", StringComparison.Ordinal),
            $"the refusal must name round 1 and --round 2: {repeated.Describe()}");
        Assert.Single((await Cli.ShowNoticeAsync(reference)).FollowUps);
        await FollowUpAsync(reference, "--result", "extended", "--until", "115/12/24");
        var after = await Cli.ShowNoticeAsync(reference);
        Assert.True(after.FollowUps.Count == 2 && after.FollowUps[1] is { Round: 2, Result: "extended" },
            $"round 2 must still be free for the extension: {Dump(after.FollowUps)}");
    }

    /// <summary>
    /// Hostile finding h14h G5: two staff recording the same follow-up at once — six identical commands started together —
    /// recorded one round, but some losers were refused with 「--at 不可早於…前一次追蹤之時間」 (exit 2), an option nobody gave:
    /// their default "now" was read before the winner's round committed. Every loser gets the refusal of a repeated command
    /// (exit 1, naming round 1).
    /// </summary>
    [Fact]
    public async Task SameOtherFollowUpSixAtOnce_OneRecordedAndEveryOtherRefusedAsTheRepeatOfRoundOne()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var reference = await Cli.IssueNoticeAsync(Orgs.TestGuild);

        // A bound on work, not time: six processes starting at once on a loaded CI machine may each take a minute.
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Cli.RunAsync(TimeSpan.FromMinutes(5),
            "notice", "follow-up", reference, "--result", "other", "--by", "王", "--note", "同一說明")));

        Assert.True(results.Count(result => result.ExitCode == 0) == 1, $"one of them records the round: {string.Join("\n", results.Select(result => result.Describe()))}");
        foreach (var refused in results.Where(result => result.ExitCode != 0))
        {
            Assert.True(refused.ExitCode == 1 && refused.StderrLines.Length == 1
                        && refused.StderrLines[0].Contains($"限期改善單 {reference} 第 1 次追蹤今日已記錄相同內容", StringComparison.Ordinal)
                        && !refused.StderrLines[0].Contains("--at", StringComparison.Ordinal),
                $"every other is refused as the repeat of round 1, never as an --at nobody gave: {refused.Describe()}");
        }

        var round = Assert.Single((await Cli.ShowNoticeAsync(reference)).FollowUps);
        Assert.Equal((1, "other", "王", "同一說明"), (round.Round, round.Result, round.By, round.Note));
    }

    /// <summary>
    /// Hostile finding h10z L: a suspension notice that bounced was noticed by nobody until a digest row among ordinary
    /// bounces, while the Archives' 連線異動表 said the organisation had been notified. Staff are told at once (with what
    /// the Archives were sent), and notice show and the digest say the organisation has not been reached.
    /// </summary>
    [Fact]
    public async Task SuspensionNoticeBounced_StaffToldAtOnceAndShowAndDigestSayTheOrganisationWasNotReached()
    {
        var (reference, _, _) = await IssueAndDeliverNoticeAsync();
        await FollowUpAsync(reference, "--result", "suspended", "--suspend-from", "115/12/20", "--note", "事態嚴重");
        var suspension = Assert.Single(await Delivered.WaitForAsync(Org1Address, 2, "notice and suspension notice"),
            mail => mail.Subject?.Contains("中止交換服務通知", StringComparison.Ordinal) == true);

        await Mailbox.AppendAsync(AnswersToOurMail.PostfixBounce(suspension, Org1Address));
        await Cli.RunOnceAsync();

        var note = Assert.Single(await Delivered.WaitForAsync(StaffAddress, 1, "the note of the bounced suspension notice"));
        Assert.Contains("【中止通知退信】", note.Subject, StringComparison.Ordinal);
        AssertBodiesContain(note, "the note of the bounced suspension notice", reference, $"寄給 {Org1Address} 均遭退信", "機關尚未收到中止交換服務之通知",
            "檔案管理局通報（連線異動表）已於");
        var show = await Cli.RunOkAsync("notice", "show", reference);
        Assert.True(show.Contains("中止交換服務通知遭退信，機關尚未收到通知", StringComparison.Ordinal), $"notice show must say the organisation was not reached:\n{show}");
        await RunJobAsync("digest", "2026-12-02T08:30:00+08:00");
        var digest = Assert.Single(await Delivered.WaitForAsync(StaffAddress, 2, "note and digest"), mail => mail.Subject?.Contains("每日摘要", StringComparison.Ordinal) == true);
        AssertBodiesContain(digest, "the digest", "退信：機關尚未收到中止交換服務通知");
    }

    /// <summary>
    /// Hostile finding h10z B: after <c>orgs import</c> dropped the organisation's only address, its reminders were skipped
    /// unseen and a suspension was recorded with no suspension notice to anybody, while the Archives' 連線異動表 said the
    /// organisation had been notified. The skipped reminder is on the timeline and the digest names the organisation;
    /// the suspension is refused (exit 1, one line), nothing recorded, nobody mailed.
    /// </summary>
    [Fact]
    public async Task SuspendedAfterImportDroppedTheOrganisationsAddress_ExitsOneAndSkippedReminderIsOnTimelineAndDigest()
    {
        var (reference, _, _) = await IssueAndDeliverNoticeAsync();
        await Cli.ImportOrgsAsync($"code,name,email,phone,contact\n{Orgs.TestGuild},{Orgs.TestGuildName},,06-2345678,李大同\n");

        await RunJobAsync("reminders", "2026-12-07T09:00:00+08:00");
        await RunJobAsync("digest", "2026-12-07T09:30:00+08:00");
        var result = await Cli.RunAsync("notice", "follow-up", reference, "--result", "suspended", "--by", Tracker, "--suspend-from", "115/12/20", "--note", "未改善");

        AssertRefused(result, exitCode: 1, "a suspension of an organisation with no registered address");
        Assert.True(result.StderrLines[0].Contains($"機關 {Orgs.TestGuild} 目前沒有登記電子郵件，中止交換服務通知無法寄送", StringComparison.Ordinal),
            $"the refusal must say the suspension notice cannot be mailed: {result.Describe()}");
        var after = await Cli.ShowNoticeAsync(reference);
        Assert.True(after.FollowUps.Count == 0 && after.Status == "issued" && after.Outbound.All(mail => mail.Kind == "notice"),
            $"nothing recorded or queued: {after.Status}, {Dump(after.FollowUps)}, {Dump(after.Outbound)}");
        Assert.True(after.Timeline.Any(entry => entry.Detail?.Contains("前 3 日提醒未寄出：機關 " + Orgs.TestGuild + " 目前沒有登記電子郵件", StringComparison.Ordinal) == true),
            $"the skipped reminder must be on the timeline: {Dump(after.Timeline)}");
        var digest = Assert.Single(await Delivered.WaitForAsync(StaffAddress, 1, "the daily digest"));
        var (text, _) = Bodies(digest, "the digest");
        var section = text[text.IndexOf("機關未登記電子郵件", StringComparison.Ordinal)..];
        Assert.True(section.Contains(reference, StringComparison.Ordinal), $"the digest must list {reference} under 機關未登記電子郵件:\n{text}");
        await SettledCountAsync(ArchivesAddress, Orgs.TestGuild, expected: 0, "Archives report of a refused suspension");
        await SettledCountAsync(Org1Address, "期限提醒", expected: 0, "reminders to the dropped address");
    }

    /// <summary>
    /// Hostile finding h10y #15: 改善完成 was recorded while the email reply had never been confirmed by phone; the phone
    /// duty then vanished and no call could be recorded. Completion waits for the call (以電子郵件方式回復者，應再以電話確認之).
    /// </summary>
    [Fact]
    public async Task CompletedWhileEmailReplyAwaitsPhone_ExitsOneNamingTheReplyThenCompletesAfterTheCall()
    {
        var (reference, notice, _) = await IssueAndDeliverNoticeAsync();
        await Mailbox.AppendAsync(AnswersToOurMail.ThreadReply(Org1Address, notice.MessageId!));
        await Cli.RunOnceAsync();
        var mailId = Assert.Single((await Cli.ShowNoticeAsync(reference)).Replies).MailId;

        var refused = await Cli.RunAsync("notice", "follow-up", reference, "--result", "completed", "--by", Tracker);

        AssertRefused(refused, exitCode: 1, "completion while the reply awaits its call");
        Assert.True(refused.StderrLines[0].Contains($"之電子郵件回覆（郵件 #{mailId}）尚未以電話確認", StringComparison.Ordinal),
            $"the refusal must name the unconfirmed reply: {refused.Describe()}");
        Assert.True((await Cli.ShowNoticeAsync(reference)) is { Status: "replied", FollowUps.Count: 0 }, "a refused completion changes nothing");

        var confirmed = await Cli.RunOkAsync("notice", "confirm-phone", reference, "--by", "林書記", "--mail", mailId);
        // h10w #8: the answer names the reply the call was recorded for.
        Assert.Contains($"郵件 #{mailId} 之回覆", confirmed, StringComparison.Ordinal);
        await FollowUpAsync(reference, "--result", "completed");
        var completed = await Cli.ShowNoticeAsync(reference);
        Assert.True(completed is { Status: "completed", PhoneConfirmations.Count: 1 }, $"after the call, completion is recorded: {completed.Status}, {Dump(completed.PhoneConfirmations)}");
    }

    /// <summary>
    /// Hostile finding h10y #8: a suspension from a later date was stated as done (「已中止交換服務」) the day it was recorded,
    /// in <c>notice list</c>, in the refusal of a call and in the digest. Every one of them says only what is true then.
    /// </summary>
    [Fact]
    public async Task SuspendedFromALaterDate_ListRefusalAndDigestNeverSayTheServiceHasStopped()
    {
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var reference = await Cli.IssueNoticeAsync(Orgs.TestGuild);
        await FollowUpAsync(reference, "--result", "suspended", "--suspend-from", "115/12/31", "--note", "嚴重");

        var list = await Cli.RunOkAsync("notice", "list");
        var call = await Cli.RunAsync("notice", "confirm-phone", reference, "--by", "林書記");
        await RunJobAsync("digest", "2026-12-02T08:30:00+08:00");
        var digest = Assert.Single(await Delivered.WaitForAsync(StaffAddress, 1, "the daily digest"));

        Assert.True(list.Contains(reference, StringComparison.Ordinal) && !list.Contains("已中止", StringComparison.Ordinal), $"notice list must not say 已中止:\n{list}");
        AssertRefused(call, exitCode: 1, "a call on a suspended notice");
        Assert.True(!call.Stderr.Contains("已中止", StringComparison.Ordinal), $"the refusal must not say 已中止: {call.Describe()}");
        var (text, html) = Bodies(digest, "the digest");
        Assert.True(!text.Contains("已中止", StringComparison.Ordinal) && !html.Contains("已中止", StringComparison.Ordinal), $"the digest must not say 已中止:\n{text}");
    }

    /// <summary>
    /// Hostile finding h10y #2: after a rename, the suspension documents of today named the organisation by its old name
    /// beside its current addresses and contact. They name it as the registry does now (the Archives report also gives
    /// the name the notice was sent with).
    /// </summary>
    [Fact]
    public async Task SuspendedAfterARename_TodaysDocumentsNameTheOrganisationAsRegisteredNow()
    {
        const string renamed = "台南市改名後公會";
        await Cli.ImportOrgsAsync(Orgs.CsvWith(Org1Address));
        var reference = await Cli.IssueNoticeAsync(Orgs.TestGuild);
        await Cli.ImportOrgsAsync($"code,name,email,phone,contact\n{Orgs.TestGuild},{renamed},{Org1Address},06-12345679,李小同\n");

        await FollowUpAsync(reference, "--result", "suspended", "--suspend-from", "115/12/20", "--note", "嚴重");

        var toOrg = Single(await Delivered.WaitForAsync(Org1Address, 1, "the suspension notice"), "中止交換服務");
        AssertBodiesContain(toOrg, "the suspension notice", $"受文者：{renamed}");
        Assert.True(!toOrg.TextBody!.Contains(Orgs.TestGuildName, StringComparison.Ordinal) && toOrg.Subject!.Contains(renamed, StringComparison.Ordinal),
            $"the suspension notice of today must not name the old name: {toOrg.Subject}\n{toOrg.TextBody}");
        var report = Assert.Single(await Delivered.WaitForAsync(ArchivesAddress, 1, "the Archives report"));
        AssertBodiesContain(report, "the Archives report", $"機關(構)名稱：{renamed}（限期改善單寄發時名稱：{Orgs.TestGuildName}）");
        var change = report.Attachments.OfType<MimePart>().Single(part => part.FileName!.StartsWith("連線異動表", StringComparison.Ordinal) && part.FileName.EndsWith(".docx", StringComparison.Ordinal));
        using var content = new MemoryStream();
        await change.Content!.DecodeToAsync(content);
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(content.ToArray()));
        using var reader = new StreamReader(zip.GetEntry("word/document.xml")!.Open());
        var xml = await reader.ReadToEndAsync();
        Assert.True(xml.Contains(renamed, StringComparison.Ordinal) && !xml.Contains(Orgs.TestGuildName, StringComparison.Ordinal),
            "the 連線異動表 of today names the organisation as registered now, beside its current contact 李小同");
    }

    private static MimeMessage Single(IReadOnlyList<MimeMessage> delivered, string subjectPart) =>
        Assert.Single(delivered, mail => mail.Subject?.Contains(subjectPart, StringComparison.Ordinal) == true);

    private Task FollowUpAsync(string reference, params string[] args) =>
        Cli.RunOkAsync(["notice", "follow-up", reference, "--by", Tracker, .. args]);

    private static void AssertRefused(CliResult result, int exitCode, string what)
    {
        Assert.True(result.ExitCode == exitCode, $"{what} must be refused with exit {exitCode}: {result.Describe()}");
        Assert.True(result.StderrLines.Length == 1, $"{what}: the refusal must be one line on stderr: {result.Describe()}");
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
