using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Documents;
using MailIntake.Worker.Options;

namespace MailIntake.Worker.Tests.Application;

/// <summary>
/// Hostile findings h10w #1, #2, #3, #5, #11: a control character, a bidirectional override or a character XML cannot hold
/// (U+FFFF) in what an organisation or staff wrote made the notice's .docx impossible to write for ever (an English .NET
/// line), reached the admin's terminal raw, or reversed the printed filler line.
/// </summary>
public sealed class UnprintableTextTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(8)));

    [Theory]
    [InlineData("李\u001b[31m大同", "李\uFFFD[31m大同")]
    [InlineData("大同\u202egnp.exe", "大同\uFFFDgnp.exe")]
    [InlineData("公文無感染\u000b（Word 換行）", "公文無感染 （Word 換行）")]
    [InlineData("嚴重\uffff", "嚴重\uFFFD")]
    [InlineData("𠀀名", "𠀀名")]
    public void Clean_UnprintableCharacters_AreReplacedSoTheTextCanBePrinted(string written, string printed) =>
        Assert.Equal(printed, PrintableText.Clean(written));

    /// <summary>A lone surrogate (theory data cannot carry one: it is serialized as UTF-8).</summary>
    [Fact]
    public void CleanAndIsOneLine_LoneSurrogate_IsReplacedAndRefused()
    {
        var lone = "孤" + '\ud800' + "立";

        Assert.Equal("孤\uFFFD立", PrintableText.Clean(lone));
        Assert.False(RequestChecks.IsOneLine(lone, 100));
    }

    [Fact]
    public void ForDocument_KeepsLineBreaksAndTabsOfLayoutAndReplacesWhatXmlCannotHold() =>
        Assert.Equal("一\n二\t三\uFFFD\uFFFD", PrintableText.ForDocument("一\n二\t三\uffff\u001b"));

    [Theory]
    [InlineData("嚴重\uffff")]
    [InlineData("嚴重\ufffe")]
    public void IsOneLine_CharacterXmlCannotHold_IsRefused(string note) => Assert.False(RequestChecks.IsOneLine(note, 100));

    [Fact]
    public void FollowUp_NoteWithUffff_IsRefusedAsABadNoteAndTheNoticeCanStillBeSuspended()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 14));

        var refusal = Assert.Throws<NoticeRuleException>(() => _harness.FollowUp(notice, RoundResult.Other, note: "嚴重\uffff"));

        Assert.Equal(NoticeRuleCode.NoteInvalid, refusal.Code);
        Assert.Equal(1, _harness.FollowUp(notice, RoundResult.Suspended, suspendFrom: new DateOnly(2026, 12, 20), note: "事態嚴重").Round);
    }

    [Fact]
    public async Task Reply_FillerAndAnswerWithControlAndBidiCharacters_AreStoredPrintableAndTheDocxExportIsWritten()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 14));

        await _harness.ReceiveReplyAsync($"RE: {notice.Reference} 回覆", body:
            "填寫人：李\u001b[31m大同\u202egnp.exe\n電話：06-12345678\n電子郵件：org1@intake.test\n本用戶已於115年12月01日完成以下改善事項：\n3. 公文無感染\u000b（Word 換行）\n");

        var reply = Assert.Single(_harness.Get<ReplyRepository>().ListForNotice(notice.Id));
        Assert.Equal("李\uFFFD[31m大同\uFFFDgnp.exe", reply.FillerName);
        Assert.All(reply.Answers, answer => Assert.DoesNotContain(answer.Text, character => char.IsControl(character)));
        var options = _harness.Get<MailIntakeOptions>();
        var export = NoticeExport.For(_harness.Get<NoticeDetailQuery>().Get(notice.Reference), options.Center, options.Zone);
        Assert.NotEmpty(NoticeExportDocx.Create(export));
    }

    /// <summary>Text filed before it was cleaned on the way in, and a sender's file name as written: the documents are still written.</summary>
    [Fact]
    public void ExportDocxAndOdt_StoredFillerAndFileNameWithUnprintableCharacters_AreWrittenWithReplacementCharacters()
    {
        var reply = Documents.SampleExport.Reply with
        {
            FillerName = "李\u001b[31m大同\u202e",
            Evidence = [Documents.SampleExport.Reply.Evidence[0] with { FileName = "附件2_掃毒\uffff.txt" }],
        };
        var export = Documents.SampleExport.With(reply);

        var letters = Documents.ExportText.OfDocx(NoticeExportDocx.Create(export));

        Assert.Contains("李\uFFFD[31m大同\uFFFD", letters, StringComparison.Ordinal);
        Assert.Contains("附件2_掃毒\uFFFD.txt", letters, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", NoticeExportHtml.Create(export), StringComparison.Ordinal);
    }

    public void Dispose() => _harness.Dispose();
}
