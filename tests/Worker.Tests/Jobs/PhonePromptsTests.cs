using MailIntake.Storage;
using MailIntake.Worker.Jobs;
using MailIntake.Worker.Application;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Tests.Jobs;

public sealed class PhonePromptsTests : IDisposable
{
    // Reply filed Tuesday 2026-12-01 10:00; PromptAfter is four hours.
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    private async Task<int> RunAsync()
    {
        await _harness.Services.GetServices<ISweeper>().OfType<PhonePrompts>().Single().RunAsync(CancellationToken.None);
        return _harness.Outbound(OutboundKind.PhonePrompt).Count;
    }

    private async Task<Notice> RepliedNoticeAsync()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 10));
        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");
        return notice;
    }

    [Fact]
    public async Task RunAsync_BeforePromptAfter_PromptsNobody()
    {
        await RepliedNoticeAsync();
        _harness.SetLocal(2026, 12, 1, 13, 59);

        Assert.Equal(0, await RunAsync());
    }

    [Fact]
    public async Task RunAsync_AfterPromptAfterTwiceSameDay_PromptsStaffOnceNamingFillerAndPhones()
    {
        var notice = await RepliedNoticeAsync();
        _harness.SetLocal(2026, 12, 1, 14, 0);

        Assert.Equal(1, await RunAsync());
        _harness.SetLocal(2026, 12, 1, 16, 0);
        Assert.Equal(1, await RunAsync());

        var prompt = _harness.Rendered(_harness.Outbound(OutboundKind.PhonePrompt)[0]);
        Assert.Contains(notice.Reference, prompt.TextBody);
        Assert.Contains("李大同", prompt.TextBody);
        Assert.Contains("06-2345678", prompt.TextBody);
        Assert.Contains("06-1234567", prompt.TextBody);
        Assert.Equal("staff@intake.test", prompt.To.Mailboxes.Single().Address);
    }

    /// <summary>
    /// Hostile finding h10x F2 (its rest): after an extension whose mail never reached the organisation, the prompt gave
    /// that extended deadline as 「目前改善期限」, one the organisation was never told. It gives the deadline told and names
    /// the extension mail that did not go.
    /// </summary>
    [Fact]
    public async Task RunAsync_ExtensionWhoseMailNeverLeft_PromptGivesTheDeadlineToldAndNamesTheUntoldExtension()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 10));
        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 17));
        _harness.SetLocal(2026, 12, 1, 14, 0);

        Assert.Equal(1, await RunAsync());

        var text = _harness.Rendered(_harness.Outbound(OutboundKind.PhonePrompt)[0]).TextBody;
        Assert.Contains("已獲告知之改善期限中華民國115年12月10日", text, StringComparison.Ordinal);
        Assert.Contains("第 1 次追蹤展延至中華民國115年12月17日之展延通知尚未寄出，機關未獲告知展延", text, StringComparison.Ordinal);
        Assert.DoesNotContain("目前改善期限中華民國115年12月17日", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ExtensionTold_PromptGivesTheExtendedDeadline()
    {
        var notice = _harness.IssueSentNotice(new DateOnly(2026, 12, 10));
        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 17));
        _harness.Deliver();
        _harness.SetLocal(2026, 12, 1, 14, 0);

        Assert.Equal(1, await RunAsync());

        var text = _harness.Rendered(_harness.Outbound(OutboundKind.PhonePrompt)[0]).TextBody;
        Assert.Contains("目前改善期限中華民國115年12月17日", text, StringComparison.Ordinal);
        Assert.DoesNotContain("未獲告知", text, StringComparison.Ordinal);
    }

    /// <summary>Hostile finding h10w #6: a prompt previewed with --as-of for a day suppressed that day's real prompt.</summary>
    [Fact]
    public async Task RunAsync_PreviewTwiceThenTheRealRun_PreviewMailsOnceAndTheRealPromptStillGoes()
    {
        await RepliedNoticeAsync();
        _harness.SetLocal(2026, 12, 2, 9, 0);
        var preview = ActivatorUtilities.CreateInstance<PhonePrompts>(_harness.Services, new JobRun(Preview: true, _harness.Time));

        await preview.RunAsync(CancellationToken.None);
        await preview.RunAsync(CancellationToken.None);
        Assert.Single(_harness.Outbound(OutboundKind.PhonePrompt));

        Assert.Equal(2, await RunAsync());
        Assert.Equal(2, await RunAsync());
    }

    [Fact]
    public async Task RunAsync_NextWorkingDay_PromptsAgain_ButNotOnWeekend()
    {
        await RepliedNoticeAsync();
        _harness.SetLocal(2026, 12, 1, 15, 0);
        await RunAsync();
        _harness.SetLocal(2026, 12, 2, 9, 0);
        Assert.Equal(2, await RunAsync());

        _harness.SetLocal(2026, 12, 5, 9, 0);
        Assert.Equal(2, await RunAsync());
    }

    [Fact]
    public async Task RunAsync_AfterConfirmPhone_PromptsNoMore()
    {
        var notice = await RepliedNoticeAsync();
        _harness.SetLocal(2026, 12, 1, 15, 0);
        await RunAsync();
        _harness.Call(notice);

        _harness.SetLocal(2026, 12, 2, 9, 0);

        Assert.Equal(1, await RunAsync());
        Assert.Equal(NoticeStatus.Confirmed, _harness.Get<NoticeRepository>().Get(notice.Id)!.Status);
    }

    [Fact]
    public async Task RunAsync_AfterAnExtension_StillPromptsForTheUnconfirmedReply()
    {
        var notice = await RepliedNoticeAsync();
        _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 20));
        _harness.SetLocal(2026, 12, 1, 15, 0);

        Assert.Equal(1, await RunAsync());
    }

    [Fact]
    public async Task RunAsync_NoAnswerCall_KeepsPromptingShowsTheAttempt_ReachedStops()
    {
        var notice = await RepliedNoticeAsync();
        _harness.SetLocal(2026, 12, 1, 14, 0);
        _harness.Call(notice, PhoneResult.NoAnswer);

        Assert.Equal(1, await RunAsync());
        Assert.Contains("無人接聽", _harness.Rendered(_harness.Outbound(OutboundKind.PhonePrompt)[0]).TextBody);
        Assert.Equal(NoticeStatus.Replied, _harness.Get<NoticeRepository>().Get(notice.Id)!.Status);
        _harness.Call(notice, PhoneResult.Reached);
        _harness.SetLocal(2026, 12, 2, 9, 0);
        Assert.Equal(1, await RunAsync());
        Assert.Equal(NoticeStatus.Confirmed, _harness.Get<NoticeRepository>().Get(notice.Id)!.Status);
    }

    [Fact]
    public async Task RunAsync_LaterMailWithoutFiller_PromptNamesTheFillerOfTheEarlierReply()
    {
        var notice = await RepliedNoticeAsync();
        _harness.SetLocal(2026, 12, 1, 11, 0);
        await _harness.ReceiveReplyAsync($"補件 {notice.Reference}", body: "補上附件，謝謝");
        _harness.SetLocal(2026, 12, 1, 16, 0);

        Assert.Equal(1, await RunAsync());
        var text = _harness.Rendered(_harness.Outbound(OutboundKind.PhonePrompt)[0]).TextBody;
        Assert.Contains("填寫人：李大同", text);
        Assert.DoesNotContain("mailintake", text);
    }

    [Fact]
    public async Task RunAsync_AfterAWrongNumberCall_PromptShowsItsNoteAndWarnsNotToDialTheSameNumber()
    {
        var notice = await RepliedNoticeAsync();
        _harness.SetLocal(2026, 12, 1, 14, 0);
        _harness.Call(notice, PhoneResult.WrongNumber, by: "林書記", note: "登記電話為空號");

        Assert.Equal(1, await RunAsync());

        var text = _harness.Rendered(_harness.Outbound(OutboundKind.PhonePrompt)[0]).TextBody;
        Assert.Contains("已致電：中華民國115年12月1日 14:00 林書記 電話號碼錯誤（登記電話為空號）", text);
        Assert.Contains("曾記錄「電話號碼錯誤」：請先查明機關正確之電話", text);
    }

    /// <summary>The reply a prompt asks about is kept in its own column where it is queued, for the check before sending.</summary>
    [Fact]
    public async Task RunAsync_PromptQueued_KeepsTheReplyItAsksAboutInItsColumn()
    {
        var notice = await RepliedNoticeAsync();
        _harness.SetLocal(2026, 12, 1, 14, 0);

        Assert.Equal(1, await RunAsync());

        var reply = Assert.Single(_harness.Get<ReplyRepository>().ListForNotice(notice.Id));
        var prompt = Assert.Single(_harness.Outbound(OutboundKind.PhonePrompt));
        Assert.Equal((reply.MailId, (DateOnly?)null, (int?)null), (prompt.ReplyMailId, prompt.Deadline, prompt.DaysBefore));
    }

    public void Dispose() => _harness.Dispose();
}
