using MailIntake.Storage;
using MailIntake.Worker.Jobs;
using MailIntake.Worker.Outbound;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Tests.Outbound;

/// <summary>
/// The check before sending judges a queued receipt, phone prompt, reminder or overdue note by the facts kept in its
/// row's own columns (the reply it is about, the deadline it was written for, a reminder's offset), never by what its
/// idempotency key spells: each mail here carries a key that says otherwise, and the column decides.
/// </summary>
public sealed class QueuedMailCheckTests : IDisposable
{
    // Deadline Monday 2026-12-14; DaysBefore 7,3,1 → Mon 12-07, Fri 12-11, Fri 12-11 (Sunday 12-13 moves back) at 09:00.
    private static readonly DateOnly Deadline = new(2026, 12, 14);
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    private QueuedMailVerdict Check(OutboundMail mail) =>
        ActivatorUtilities.CreateInstance<QueuedMailCheck>(_harness.Services, (TimeProvider)_harness.Time).Check(mail, _harness.Rendered(mail));

    private async Task<OutboundMail> SevenDayReminderAsync()
    {
        _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 7, 9, 0);
        await Sweeper<DeadlineReminders>().RunAsync(CancellationToken.None);
        return Assert.Single(_harness.Outbound(OutboundKind.Reminder));
    }

    private T Sweeper<T>() where T : ISweeper => _harness.Services.GetServices<ISweeper>().OfType<T>().Single();

    [Fact]
    public async Task Check_ReminderWhoseColumnNamesAnotherDeadlineThanItsKey_WithdrawnByTheColumn()
    {
        var reminder = await SevenDayReminderAsync();
        Assert.Equal(Deadline, reminder.Deadline);

        var verdict = Check(reminder with { Deadline = new DateOnly(2026, 12, 21) });

        var withdrawn = Assert.IsType<QueuedMailVerdict.Withdraw>(verdict);
        Assert.Contains("改善期限已變更為中華民國115年12月14日", withdrawn.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ReminderWhoseKeyNamesAnotherDeadlineThanItsColumn_KeptByTheColumn()
    {
        var reminder = await SevenDayReminderAsync();

        var verdict = Check(reminder with { IdempotencyKey = reminder.IdempotencyKey.Replace(":20261214:", ":20261221:", StringComparison.Ordinal) });

        Assert.IsNotType<QueuedMailVerdict.Withdraw>(verdict);
    }

    /// <summary>On 12-11 the 1-day reminder is due: a 7-day one still waiting is withdrawn, a 1-day one is not — by its column.</summary>
    [Fact]
    public async Task Check_ReminderWhoseColumnGivesAnotherOffsetThanItsKey_JudgedByTheColumnsOffset()
    {
        var reminder = await SevenDayReminderAsync();
        _harness.SetLocal(2026, 12, 11, 10, 0);
        Assert.EndsWith(":7", reminder.IdempotencyKey, StringComparison.Ordinal);

        Assert.IsType<QueuedMailVerdict.Withdraw>(Check(reminder));
        Assert.IsNotType<QueuedMailVerdict.Withdraw>(Check(reminder with { DaysBefore = 1 }));
    }

    /// <summary>A receipt whose notice changed meanwhile (a call confirmed the reply) is written again about the reply in its column.</summary>
    [Fact]
    public async Task Check_ReceiptWhoseKeyNamesAnotherMail_RewrittenAboutTheReplyInItsColumn()
    {
        var notice = _harness.IssueSentNotice(Deadline);
        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");
        _harness.Call(notice);
        var receipt = Assert.Single(_harness.Get<OutboundRepository>().ListByStatus(OutboundStatus.Queued), mail => mail.Kind == OutboundKind.Receipt);

        var verdict = Check(receipt with { IdempotencyKey = "receipt:999999" });

        var rewritten = Assert.IsType<QueuedMailVerdict.Rewrite>(verdict);
        Assert.Contains($"郵件 #{receipt.ReplyMailId} 之收件回執", rewritten.Detail, StringComparison.Ordinal);
    }

    /// <summary>A prompt about the reply still waiting for a call stays, whatever mail its key spells.</summary>
    [Fact]
    public async Task Check_PhonePromptWhoseKeyNamesAnotherMail_KeptForTheReplyInItsColumn()
    {
        var notice = _harness.IssueSentNotice(Deadline);
        await _harness.ReceiveReplyAsync($"回覆 {notice.Reference}");
        _harness.SetLocal(2026, 12, 1, 14, 0);
        await Sweeper<PhonePrompts>().RunAsync(CancellationToken.None);
        var prompt = Assert.Single(_harness.Outbound(OutboundKind.PhonePrompt));

        var verdict = Check(prompt with { IdempotencyKey = "phone-prompt:999999:20261201>staff@intake.test" });

        Assert.IsNotType<QueuedMailVerdict.Withdraw>(verdict);
    }

    /// <summary>An overdue note for the deadline that passed stays, though its key spells a deadline the notice never had.</summary>
    [Fact]
    public async Task Check_OverdueNoteWhoseKeyNamesAnotherDeadline_KeptForTheDeadlineInItsColumn()
    {
        var notice = _harness.IssueSentNotice(Deadline);
        _harness.SetLocal(2026, 12, 15, 9, 0);
        await Sweeper<OverdueSweep>().RunAsync(CancellationToken.None);
        var note = Assert.Single(_harness.Outbound(OutboundKind.Overdue));

        var verdict = Check(note with { IdempotencyKey = $"overdue:{notice.Reference}:20261203" });

        Assert.IsNotType<QueuedMailVerdict.Withdraw>(verdict);
    }

    public void Dispose() => _harness.Dispose();
}
