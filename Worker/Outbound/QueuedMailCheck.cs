using System.Globalization;
using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Jobs;
using MailIntake.Worker.Options;
using MimeKit;

namespace MailIntake.Worker.Outbound;

/// <summary>What the sender does with a queued mail it is about to send.</summary>
public abstract record QueuedMailVerdict
{
    /// <summary>Still true: sent as written.</summary>
    public sealed record Send : QueuedMailVerdict;

    /// <summary>Nothing true left to say (a reminder of a notice replied or closed meanwhile): never sent; the timeline says why.</summary>
    public sealed record Withdraw(string Detail) : QueuedMailVerdict;

    /// <summary>Its words written again from the notice's state now (<paramref name="NoticeState"/>), headers kept.</summary>
    public sealed record Rewrite(MimeMessage Message, string NoticeState, string Detail) : QueuedMailVerdict;
}

/// <summary>
/// A mail tells the truth at the moment it is sent, not only when it was queued: mail can wait in the outbox for hours
/// (the mail server down) while the notice moves on. Before a reminder or a receipt goes out it is checked against its
/// notice as it stands then. A reminder whose notice no longer runs to that deadline (a reply filed, the case closed,
/// the deadline extended or passed) is withdrawn; one still due is written again when its words changed (the days left,
/// what arrived meanwhile). A receipt whose notice changed since it was written (another reply, a call, a round, the
/// case closed) is written again from the state then — the files and fields of its own reply as they were, what is still
/// missing, the phone step or the closure as they are now. The Message-ID, recipients and subject stay.
/// </summary>
public sealed class QueuedMailCheck(Database database, MailIntakeOptions options, TimeProvider time)
{
    public QueuedMailVerdict Check(OutboundMail mail, MimeMessage written)
    {
        if (mail.NoticeId is not { } noticeId || mail.Kind is not (OutboundKind.Reminder or OutboundKind.Receipt))
        {
            return new QueuedMailVerdict.Send();
        }

        using var session = database.BeginRead();
        var state = NoticeRepository.State(session, noticeId);
        // A receipt is written again only when its notice changed (that costs reading its mail again); a reminder always
        // is checked, since its days left and its very being due depend on the day it goes out.
        if (mail.Kind == OutboundKind.Receipt && (mail.NoticeState is null || string.Equals(state, mail.NoticeState, StringComparison.Ordinal)))
        {
            return new QueuedMailVerdict.Send();
        }

        var notice = NoticeRepository.Get(session, noticeId)!;
        var replies = ReplyRepository.ListForNotice(session, noticeId);
        return mail.Kind == OutboundKind.Reminder
            ? Reminder(session, mail, written, notice, replies, state)
            : Receipt(session, mail, written, notice, replies, state);
    }

    private QueuedMailVerdict Reminder(StorageSession session, OutboundMail mail, MimeMessage written, Notice notice, IReadOnlyList<Reply> replies, string state)
    {
        var today = RequestChecks.Today(time, options.Zone);
        var why = !notice.Status.IsOpen() ? $"本案已結案（{Labels.Status(notice.Status)}）"
            : DeadlineOf(mail) is { } deadline && deadline != notice.Deadline ? $"改善期限已變更為{Labels.Date(notice.Deadline)}"
            : today > notice.Deadline ? $"改善期限（{Labels.Date(notice.Deadline)}）已過"
            : !DeadlineDuty.Runs(notice, () => replies) ? "已收到機關回覆"
            : null;
        if (why is not null)
        {
            return new QueuedMailVerdict.Withdraw($"期限提醒（收件者 {string.Join("、", mail.To)}）排入寄送後未能即時寄出，其間{why}，提醒內容已不符現況，已撤回未寄");
        }

        var body = ReminderMail.Body(notice, notice.Deadline.DayNumber - today.DayNumber, replies, FollowUpRepository.ListConfirmations(session, notice.Id), options,
            MailRepository.HeldSince(session, mail.To), ReminderMail.SentElsewhere(notice, OutboundRepository.ListForNotice(session, notice.Id), mail.To, options));
        return Rewritten(mail, written, body, state, $"期限提醒（收件者 {string.Join("、", mail.To)}）排入寄送後未能即時寄出，寄出前依現況（{ReminderMail.DaysLeft(notice.Deadline.DayNumber - today.DayNumber)}）重寫");
    }

    private QueuedMailVerdict Receipt(StorageSession session, OutboundMail mail, MimeMessage written, Notice notice, IReadOnlyList<Reply> replies, string state)
    {
        if (MailIdOf(mail) is not { } mailId || replies.SingleOrDefault(reply => reply.MailId == mailId) is not { } reply)
        {
            return new QueuedMailVerdict.Send();
        }

        if (Read(MailRepository.Get(session, mailId)) is not { } parsed)
        {
            return new QueuedMailVerdict.Withdraw($"郵件 #{mailId} 之收件回執排入寄送後本案已有變更，而原始郵件已無法讀取，無法依現況重寫，已撤回未寄；請承辦人員另行通知機關");
        }

        var forms = FormsForNotice.Of(parsed, notice.Reference);
        var body = ReceiptText.Body(notice, reply, replies, () => FollowUpRepository.ListFollowUps(session, notice.Id), options.Center, options.Zone,
            forms.Mail.CompletedOnUnreadable, forms);
        var now = notice.Status.IsOpen()
            ? $"尚待補充 {ReplyCompleteness.Missing(notice, replies).Count} 項"
            : $"本案已結案（{Labels.Status(notice.Status)}），回執載明結案，不列補件";
        return Rewritten(mail, written, body, state, $"郵件 #{mailId} 之收件回執排入寄送後未能即時寄出，其間本案已有變更，寄出前依現況重寫（{now}）");
    }

    /// <summary>The written message with the body of now; sent as written when the words are the same.</summary>
    private QueuedMailVerdict Rewritten(OutboundMail mail, MimeMessage written, BodyBuilder body, string state, string detail)
    {
        if (string.Equals(Normalised(written.TextBody), Normalised(body.TextBody), StringComparison.Ordinal))
        {
            return new QueuedMailVerdict.Send();
        }

        written.Body = body.ToMessageBody();
        written.Date = time.GetUtcNow();
        return new QueuedMailVerdict.Rewrite(written, state, detail);
    }

    private static string Normalised(string? text) => (text ?? string.Empty).ReplaceLineEndings("\n").TrimEnd();

    /// <summary>The kept raw mail of the reply, read again; null when it cannot be (missing, altered, not a message).</summary>
    private ParsedMail? Read(MailSummary? mail)
    {
        if (mail is null)
        {
            return null;
        }

        try
        {
            using var raw = UnixFiles.OpenRegular(Path.Combine(options.DataDirectory, mail.RawPath));
            return MailReader.Read(MailParserOptions.Load(raw));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            // Said on the timeline by the caller's withdrawal: the receipt cannot be written again truthfully.
            return null;
        }
    }

    /// <summary>The deadline a reminder was queued for: its key is reminder:REF:yyyyMMdd:DAYS.</summary>
    private static DateOnly? DeadlineOf(OutboundMail mail) =>
        mail.IdempotencyKey.Split(':') is [_, _, var day, _]
        && DateOnly.TryParseExact(day, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var deadline)
            ? deadline
            : null;

    /// <summary>The reply a receipt answers: its key is receipt:MAIL-ID.</summary>
    private static long? MailIdOf(OutboundMail mail) =>
        mail.IdempotencyKey.Split(':') is [_, var id] && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var mailId) ? mailId : null;
}
