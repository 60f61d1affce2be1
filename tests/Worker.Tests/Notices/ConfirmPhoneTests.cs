using MailIntake.Storage;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Tests.Notices;

public sealed class ConfirmPhoneTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    private PhoneCallRecorded Call(Notice notice, DateTimeOffset at, PhoneResult result = PhoneResult.Reached) =>
        _harness.Run(_harness.Get<ConfirmPhone>().ExecuteAsync(new ConfirmPhoneCommand(notice.Reference, "王承辦", result, null, at), CancellationToken.None));

    /// <summary>A notice with replies at 09:00 and 12:00 on 12/2, oldest first; the clock then at 15:00.</summary>
    private async Task<(Notice Notice, List<Reply> Replies)> TwoRepliesAsync()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        _harness.SetLocal(2026, 12, 2, 9);
        await _harness.ReceiveReplyAsync($"RE: {notice.Reference}");
        _harness.SetLocal(2026, 12, 2, 12);
        await _harness.ReceiveReplyAsync($"RE: {notice.Reference} 補件");
        _harness.SetLocal(2026, 12, 2, 15);
        return (notice, _harness.Get<ReplyRepository>().ListForNotice(notice.Id).OrderBy(reply => reply.ReceivedAt).ToList());
    }

    private static DateTimeOffset Taipei(int day, int hour, int minute = 0) => new(2026, 12, day, hour, minute, 0, TimeSpan.FromHours(8));

    /// <summary>
    /// h10u M: a second member's link on a reply another member had confirmed minutes before was answered as if nothing
    /// had happened; the organisation would be called twice. The call is recorded and names the earlier confirmation.
    /// </summary>
    [Theory]
    [InlineData(PhoneResult.NoAnswer)]
    [InlineData(PhoneResult.Reached)]
    public async Task ExecuteAsync_ReplyAlreadyConfirmedByAnotherCall_RecordedNamingTheEarlierConfirmation(PhoneResult result)
    {
        var (notice, replies) = await TwoRepliesAsync();
        Call(notice, Taipei(2, 13));

        var second = Call(notice, Taipei(2, 14), result);

        var before = Assert.IsType<PhoneConfirmation>(second.ConfirmedBefore);
        Assert.Equal(Taipei(2, 13), before.At);
        Assert.Equal($"郵件 #{replies[1].MailId} 之回覆已於中華民國115年12月2日 13:00由王承辦電話確認，無須再致電機關", Labels.ConfirmedBefore(before, WorkerHarness.Taipei));
    }

    [Fact]
    public async Task ExecuteAsync_FirstCallOfAReply_NamesNoEarlierConfirmation()
    {
        var (notice, _) = await TwoRepliesAsync();

        Assert.Null(Call(notice, Taipei(2, 13), PhoneResult.NoAnswer).ConfirmedBefore);
        Assert.Null(Call(notice, Taipei(2, 14)).ConfirmedBefore);
    }

    [Theory]
    [InlineData(PhoneResult.Reached)]
    [InlineData(PhoneResult.NoAnswer)]
    public async Task ExecuteAsync_CallBeforeTheReplyArrived_IsRefusedAndRecordsNothing(PhoneResult result)
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        _harness.SetLocal(2026, 12, 2, 2, 8);
        await _harness.ReceiveReplyAsync($"RE: {notice.Reference}");
        _harness.SetLocal(2026, 12, 2, 10);

        var refusal = Assert.Throws<NoticeRuleException>(() => Call(notice, Taipei(2, 2, 7), result));

        Assert.Equal(NoticeRuleCode.AtBeforeReply, refusal.Code);
        Assert.True(refusal.IsBadRequest);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListConfirmations(notice.Id));
        Assert.Equal(NoticeStatus.Replied, _harness.Get<NoticeRepository>().Get(notice.Id)!.Status);
    }

    /// <summary>
    /// Hostile finding h10v #2: reply → call → extension ended 展延中 while reply → extension → call ended 已電話確認 — the
    /// same facts, two statuses. An extension of a notice whose replies were all confirmed by phone keeps it confirmed.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_ReachedBeforeTheExtension_EndsInTheSameStatusAsReachedAfterIt()
    {
        var called = _harness.IssueNotice(new DateOnly(2026, 12, 8));
        var extended = _harness.IssueNotice(new DateOnly(2026, 12, 8));
        _harness.SetLocal(2026, 12, 2, 9);
        await _harness.ReceiveReplyAsync($"RE: {called.Reference}");
        await _harness.ReceiveReplyAsync($"RE: {extended.Reference}");
        _harness.SetLocal(2026, 12, 2, 11);

        Call(called, Taipei(2, 10));
        var afterCallThenExtension = _harness.FollowUp(called, RoundResult.Extended, until: new DateOnly(2026, 12, 18)).Notice.Status;
        _harness.FollowUp(extended, RoundResult.Extended, until: new DateOnly(2026, 12, 18));
        var afterExtensionThenCall = Call(extended, Taipei(2, 10)).Notice.Status;

        Assert.Equal((NoticeStatus.Confirmed, NoticeStatus.Confirmed), (afterCallThenExtension, afterExtensionThenCall));
    }

    /// <summary>
    /// Hostile finding h10w #4: reply then extension left the notice 展延中 for ever (a reached call did not move it), while
    /// extension then reply ended 已電話確認 — the status depended on which of two commits came first. After reply,
    /// extension and a reached call the notice is confirmed either way.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ExecuteAsync_ReachedAfterReplyAndExtensionInEitherOrder_LeavesTheNoticeConfirmed(bool replyFirst)
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 8));
        _harness.SetLocal(2026, 12, 2, 9);
        if (replyFirst)
        {
            await _harness.ReceiveReplyAsync($"RE: {notice.Reference}");
            _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 18));
        }
        else
        {
            _harness.FollowUp(notice, RoundResult.Extended, until: new DateOnly(2026, 12, 18));
            await _harness.ReceiveReplyAsync($"RE: {notice.Reference}");
        }

        _harness.SetLocal(2026, 12, 2, 11);
        var recorded = Call(notice, Taipei(2, 10));

        Assert.Equal(NoticeStatus.Confirmed, recorded.Notice.Status);
    }

    [Fact]
    public async Task ExecuteAsync_CallBetweenTwoReplies_ConfirmsTheEarlierAndLeavesTheLaterAwaitingItsCall()
    {
        var (notice, replies) = await TwoRepliesAsync();

        var recorded = Call(notice, Taipei(2, 10));

        Assert.Equal(replies[0].MailId, recorded.MailId);
        Assert.Equal(NoticeStatus.Replied, recorded.Notice.Status);
        Assert.Equal(replies[1].MailId, Call(notice, Taipei(2, 14)).MailId);
        Assert.Equal(NoticeStatus.Confirmed, _harness.Get<NoticeRepository>().Get(notice.Id)!.Status);
    }

    [Fact]
    public async Task ExecuteAsync_CallNamingTheEarlierReplyWhenALaterOneCameBeforeTheCall_IsRefusedAsStaleAndRecordsNothing()
    {
        var (notice, replies) = await TwoRepliesAsync();

        var refusal = Assert.Throws<NoticeRuleException>(() => _harness.Run(_harness.Get<ConfirmPhone>().ExecuteAsync(
            new ConfirmPhoneCommand(notice.Reference, "王承辦", PhoneResult.Reached, null, null, replies[0].MailId), CancellationToken.None)));
        var named = _harness.Run(_harness.Get<ConfirmPhone>().ExecuteAsync(
            new ConfirmPhoneCommand(notice.Reference, "王承辦", PhoneResult.Reached, null, Taipei(2, 10), replies[0].MailId), CancellationToken.None));

        Assert.Equal(NoticeRuleCode.StalePhonePrompt, refusal.Code);
        Assert.Equal($"#{replies[1].MailId}", refusal.Value);
        Assert.Equal(replies[0].MailId, named.MailId);
        Assert.Single(_harness.Get<FollowUpRepository>().ListConfirmations(notice.Id));
    }

    /// <summary>
    /// Hostile finding h10v #10: <c>--mail</c> naming the later reply with <c>--at</c> before it arrived was refused as if a
    /// later reply had come before the call, naming the earlier one (#1). The refusal names the reply the call is said to
    /// be about and when it arrived.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_CallNamingAReplyWithAtBeforeItArrived_IsRefusedNamingThatReplysArrival()
    {
        var (notice, replies) = await TwoRepliesAsync();

        var refusal = Assert.Throws<NoticeRuleException>(() => _harness.Run(_harness.Get<ConfirmPhone>().ExecuteAsync(
            new ConfirmPhoneCommand(notice.Reference, "王承辦", PhoneResult.NoAnswer, null, Taipei(2, 10), replies[1].MailId), CancellationToken.None)));

        Assert.Equal((NoticeRuleCode.AtBeforeReply, $"#{replies[1].MailId}"), (refusal.Code, refusal.Subject));
        Assert.Contains("12:00", refusal.Value, StringComparison.Ordinal);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListConfirmations(notice.Id));
    }

    [Fact]
    public async Task ExecuteAsync_CallNamingAMailThatIsNoReplyOfTheNotice_IsRefused()
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        await _harness.ReceiveReplyAsync($"RE: {notice.Reference}");
        var reply = _harness.Get<ReplyRepository>().ListForNotice(notice.Id).Single();

        var refusal = Assert.Throws<NoticeRuleException>(() => _harness.Run(_harness.Get<ConfirmPhone>().ExecuteAsync(
            new ConfirmPhoneCommand(notice.Reference, "王承辦", PhoneResult.Reached, null, null, reply.MailId + 100), CancellationToken.None)));

        Assert.Equal(NoticeRuleCode.MailNotReplyOfNotice, refusal.Code);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListConfirmations(notice.Id));
    }

    [Fact]
    public async Task ExecuteAsync_SuspendedNoticeWhoseReplyCameBeforeTheSuspensionNoticeLeft_RecordsTheCallAndStaysSuspended()
    {
        // The receipt of such a reply asks the organisation to call (it answered the notice, not knowing of the
        // suspension), and the timeline asks staff to confirm it by phone: the call must be recordable.
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20), send: true);
        _harness.Deliver();
        _harness.SetLocal(2026, 12, 2, 9);
        _harness.FollowUp(notice, RoundResult.Suspended, suspendFrom: new DateOnly(2026, 12, 3), note: "事態嚴重");
        _harness.SetLocal(2026, 12, 2, 10);
        await _harness.ReceiveReplyAsync($"RE: {notice.Reference}"); // the suspension notice still waits in the outbox
        _harness.SetLocal(2026, 12, 2, 15);

        var recorded = Call(notice, Taipei(2, 14));

        Assert.Equal(NoticeStatus.Suspended, recorded.Notice.Status);
        Assert.Equal(PhoneResult.Reached, Assert.Single(_harness.Get<FollowUpRepository>().ListConfirmations(notice.Id)).Result);
    }

    [Theory]
    [InlineData(RoundResult.Suspended, PhoneResult.Reached)]
    [InlineData(RoundResult.Completed, PhoneResult.NoAnswer)]
    public async Task ExecuteAsync_ClosedNotice_IsRefusedAndRecordsNothing(RoundResult closing, PhoneResult result)
    {
        var notice = _harness.IssueNotice(new DateOnly(2026, 12, 20));
        _harness.SetLocal(2026, 12, 2, 9);
        // A completion waits for the reply's call (RecordFollowUp): the completed notice's reply is a late one.
        if (closing == RoundResult.Suspended)
        {
            // Before the decision: a reply at or after it, while the suspension notice has not left, still takes its call.
            await _harness.ReceiveReplyAsync($"RE: {notice.Reference}");
            _harness.SetLocal(2026, 12, 2, 9, 30);
        }

        _harness.FollowUp(notice, closing, suspendFrom: closing == RoundResult.Suspended ? new DateOnly(2026, 12, 3) : null,
            note: closing == RoundResult.Suspended ? "事態嚴重" : null);
        if (closing == RoundResult.Completed)
        {
            await _harness.ReceiveReplyAsync($"RE: {notice.Reference}");
        }

        _harness.SetLocal(2026, 12, 2, 15);

        var refusal = Assert.Throws<NoticeRuleException>(() => Call(notice, Taipei(2, 14), result));

        Assert.Equal(NoticeRuleCode.NoticeClosed, refusal.Code);
        Assert.Empty(_harness.Get<FollowUpRepository>().ListConfirmations(notice.Id));
        Assert.Equal(closing == RoundResult.Suspended ? NoticeStatus.Suspended : NoticeStatus.Completed, _harness.Get<NoticeRepository>().Get(notice.Id)!.Status);
        var detail = _harness.Get<NoticeDetailQuery>().Get(notice.Reference);
        Assert.True(detail.AwaitingPhone.Count == 0 && detail.Unconfirmed.Count == 1, "a closed notice awaits no call; its reply stays unconfirmed");
    }

    /// <summary>Hostile finding h10v #16: calls recorded with --at out of order were listed in the order typed.</summary>
    [Fact]
    public async Task ListConfirmations_CallsRecordedOutOfOrder_AreListedInTheOrderTheyWereMade()
    {
        var (notice, _) = await TwoRepliesAsync();
        Call(notice, Taipei(2, 14, 30), PhoneResult.NoAnswer);
        Call(notice, Taipei(2, 12, 30), PhoneResult.NoAnswer);
        Call(notice, Taipei(2, 13, 30), PhoneResult.NoAnswer);

        var calls = _harness.Get<FollowUpRepository>().ListConfirmations(notice.Id);

        Assert.Equal([Taipei(2, 12, 30), Taipei(2, 13, 30), Taipei(2, 14, 30)], calls.Select(call => call.At.ToOffset(TimeSpan.FromHours(8))));
    }

    public void Dispose() => _harness.Dispose();
}
