using System.Globalization;
using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Jobs;
using MailIntake.Worker.Options;
using MailIntake.Worker.StaffActions;
using MimeKit;

namespace MailIntake.Worker.Outbound;

/// <summary>What the sender does with a queued mail it is about to send.</summary>
public abstract record QueuedMailVerdict
{
    /// <summary>Still true: sent as written.</summary>
    public sealed record Send : QueuedMailVerdict;

    /// <summary>Nothing true left to say (a reminder of a notice replied or closed meanwhile): never sent; the timeline says why.</summary>
    public sealed record Withdraw(string Detail) : QueuedMailVerdict;

    /// <summary>
    /// Its words written again from the notice's state now (<paramref name="NoticeState"/>), headers kept.
    /// <paramref name="Alongside"/>: what the notice records in the same transaction (false: the notice changed meanwhile,
    /// nothing is written and the mail is checked again on the next pass).
    /// </summary>
    public sealed record Rewrite(MimeMessage Message, string NoticeState, string? Detail, Func<StorageSession, bool>? Alongside = null) : QueuedMailVerdict;
}

/// <summary>
/// A mail tells the truth at the moment it is sent, not only when it was queued: mail can wait in the outbox for hours
/// (the mail server down) while the notice moves on. Before a reminder, a receipt, a phone prompt or an 【逾期】 note goes
/// out it is checked against its notice as it stands then. A reminder or an overdue note whose notice no longer runs to
/// that deadline (a reply filed, the case closed, the deadline extended — or for a reminder passed) is withdrawn; one still
/// due is written again when its words changed (the days left, what arrived meanwhile). A receipt is written again from
/// the state then whenever anything it states changed (another reply, a call, the deadline, a round, the case closed) or
/// its deadline passed — the files and fields of its own reply as they were; what is still missing and by when, the
/// phone step or the closure as they are now. A phone prompt whose reply was confirmed meanwhile, or that a later reply
/// superseded (the next prompt run asks about that one), is withdrawn; one still waiting is written with the calls and
/// deadline of now. The Message-ID, recipients and subject stay. The notice's own word never goes out past the date it
/// states: a notice mail leaving days late moves its deadline on by those days, an extension whose new deadline has come
/// is withdrawn, a late suspension notice says when it was decided and when sent.
/// </summary>
public sealed class QueuedMailCheck(
    Database database, ActionKeyStore keys, WorkingCalendar calendar, ExtensionMailer extensions, SuspensionMailer suspensions, MailIntakeOptions options,
    TimeProvider time, JobRun run)
{
    public QueuedMailVerdict Check(OutboundMail mail, MimeMessage written)
    {
        if (mail.Kind is OutboundKind.Digest or OutboundKind.ActionAnswer or OutboundKind.MailNote or OutboundKind.BounceNote)
        {
            return StaffMailSentLate(mail, written, mail.Kind == OutboundKind.ActionAnswer && mail.NoticeId is { } answered ? AnswerStateNow(answered) : null);
        }

        if (mail.NoticeId is not { } noticeId
            || mail.Kind is not (OutboundKind.Reminder or OutboundKind.Receipt or OutboundKind.PhonePrompt or OutboundKind.Overdue
                or OutboundKind.Notice or OutboundKind.Extension or OutboundKind.Suspension or OutboundKind.ArchivesReport))
        {
            return new QueuedMailVerdict.Send();
        }

        using var session = database.BeginRead();
        var state = NoticeRepository.State(session, noticeId);
        var notice = NoticeRepository.Get(session, noticeId)!;
        var today = RequestChecks.Today(time, options.Zone);
        // A receipt is written again only when its notice changed or its deadline passed (that costs reading its mail
        // again); the others are always checked, since their being due depends on the day they go out.
        if (mail.Kind == OutboundKind.Receipt
            && (mail.NoticeState is null || (string.Equals(state, mail.NoticeState, StringComparison.Ordinal) && !(notice.Status.IsOpen() && today > notice.Deadline))))
        {
            return new QueuedMailVerdict.Send();
        }

        var replies = ReplyRepository.ListForNotice(session, noticeId);
        return mail.Kind switch
        {
            OutboundKind.Notice => NoticeMail(session, mail, written, notice, state),
            OutboundKind.Extension => Extension(session, mail, written, notice, replies, state),
            OutboundKind.Suspension => Suspension(session, mail, written, notice, state),
            OutboundKind.ArchivesReport => ArchivesReport(session, written, notice, state),
            OutboundKind.Reminder => Reminder(session, mail, written, notice, replies, state, today),
            OutboundKind.Receipt => Receipt(session, mail, written, notice, replies, state, today),
            OutboundKind.PhonePrompt => PhonePrompt(session, mail, written, notice, replies, state),
            _ => Overdue(session, mail, written, notice, replies, state),
        };
    }

    private QueuedMailVerdict Reminder(StorageSession session, OutboundMail mail, MimeMessage written, Notice notice, IReadOnlyList<Reply> replies, string state, DateOnly today)
    {
        var why = !notice.Status.IsOpen() ? $"本案已結案（{Labels.Status(notice.Status)}）"
            : DeadlineOf(mail) is { } deadline && deadline != notice.Deadline ? $"改善期限已變更為{Labels.Date(notice.Deadline)}"
            : today > notice.Deadline ? $"改善期限（{Labels.Date(notice.Deadline)}）已過"
            : !DeadlineDuty.Runs(notice, () => replies) ? "已收到機關回覆"
            : LaterDue(mail, notice.Deadline, today) is { } later ? $"前 {later} 日提醒已到期（寄送時間起以該提醒為準，不重複提醒）"
            : null;
        if (why is not null)
        {
            return new QueuedMailVerdict.Withdraw($"期限提醒（收件者 {string.Join("、", mail.To)}）排入寄送後未能即時寄出，其間{why}，提醒內容已不符現況，已撤回未寄");
        }

        var to = Addressees(session, mail, notice);
        var body = ReminderMail.Body(notice, notice.Deadline.DayNumber - today.DayNumber, replies, FollowUpRepository.ListConfirmations(session, notice.Id), options,
            OtherMail.Of(session, notice, to ?? mail.To, options), ReminderMail.SentElsewhere(notice, OutboundRepository.ListForNotice(session, notice.Id), to ?? mail.To, options));
        return Rewritten(mail, written, body, state, $"期限提醒（收件者 {string.Join("、", mail.To)}）排入寄送後未能即時寄出，寄出前依現況（{ReminderMail.DaysLeft(notice.Deadline.DayNumber - today.DayNumber)}）重寫", to);
    }

    private QueuedMailVerdict Receipt(StorageSession session, OutboundMail mail, MimeMessage written, Notice notice, IReadOnlyList<Reply> replies, string state, DateOnly today)
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
        var calls = FollowUpRepository.ListConfirmations(session, notice.Id);
        // The deadline it names is the one the organisation was told: the notice's own word goes first, so an extension
        // mail due beside it has left by now — or was withdrawn, failed or bounced, and was never its deadline (h10x F6).
        var told = notice with { Deadline = SuspensionTiming.Told(notice, FollowUpRepository.ListFollowUps(session, notice.Id), OutboundRepository.ListForNotice(session, notice.Id)) };
        var body = ReceiptText.Body(told, reply, replies, calls, () => FollowUpRepository.ListFollowUps(session, notice.Id), options.Center, options.Zone,
            today, forms.Mail.CompletedOnUnreadable, forms, () => OutboundRepository.ListForNotice(session, notice.Id),
            OrganisationRepository.RegisteredElsewhere(session, reply.From, notice.OrgCode));
        var now = notice.Status.IsOpen()
            ? $"尚待補充 {ReplyCompleteness.Missing(notice, replies).Count} 項，改善期限{Labels.Date(told.Deadline)}"
              + (ReplyCompleteness.ConfirmedAt(reply, replies, calls) is null ? string.Empty : "，已電話確認")
            : $"本案已結案（{Labels.Status(notice.Status)}），回執載明結案，不列補件";
        return Rewritten(mail, written, body, state, $"郵件 #{mailId} 之收件回執排入寄送後未能即時寄出，其間本案已有變更，寄出前依現況重寫（{now}）");
    }

    private QueuedMailVerdict PhonePrompt(StorageSession session, OutboundMail mail, MimeMessage written, Notice notice, IReadOnlyList<Reply> replies, string state)
    {
        if (PromptedMailOf(mail) is not { } mailId)
        {
            return new QueuedMailVerdict.Send();
        }

        var calls = FollowUpRepository.ListConfirmations(session, notice.Id);
        var waiting = ReplyCompleteness.AwaitingPhone(replies, calls);
        var latest = waiting.MaxBy(reply => reply.ReceivedAt);
        var why = !notice.Status.IsOpen() ? $"本案已結案（{Labels.Status(notice.Status)}）"
            : waiting.All(reply => reply.MailId != mailId) ? $"郵件 #{mailId} 之回覆已{(replies.SingleOrDefault(reply => reply.MailId == mailId) is { } prompted && ReplyCompleteness.ConfirmedAt(prompted, replies, calls) is { } at ? $"於{Labels.Moment(at, options.Zone)}" : string.Empty)}經電話確認"
            : latest!.MailId != mailId ? $"又收到郵件 #{latest.MailId} 之回覆（下次電話確認提醒將以該回覆為準）"
            : null;
        if (why is not null)
        {
            return new QueuedMailVerdict.Withdraw($"電話確認提醒（收件者 {string.Join("、", mail.To)}）排入寄送後未能即時寄出，其間{why}，提醒內容已不符現況，已撤回未寄");
        }

        // Still the reply waiting for a call: told with the calls tried and the deadline as they are now.
        var duty = new PhoneDuty(notice, latest!, ReplyCompleteness.LatestWithFiller(replies), OrganisationRepository.Phone(session, notice.OrgCode),
            calls.Where(call => call.MailId == latest!.MailId).ToList(),
            OverdueNote.UntoldExtensions(notice, FollowUpRepository.ListFollowUps(session, notice.Id), OutboundRepository.ListForNotice(session, notice.Id)));
        var member = mail.To.Count == 1 ? options.Staff.FindMember(MailboxAddress.Parse(mail.To[0]).Address) : null;
        var (text, html) = Jobs.PhonePrompts.Body(duty, member is null ? null : new ActionLinks(keys, options, member, time.GetUtcNow()), options.Zone);
        return Rewritten(mail, written, new BodyBuilder { TextBody = text, HtmlBody = html }, state,
            $"電話確認提醒（收件者 {string.Join("、", mail.To)}）排入寄送後未能即時寄出，寄出前依現況（已致電 {duty.Attempts.Count} 次，{(duty.Untold is { } untold ? $"已獲告知之改善期限{Labels.Date(untold.Told)}" : $"改善期限{Labels.Date(notice.Deadline)}")}）重寫");
    }

    private QueuedMailVerdict Overdue(StorageSession session, OutboundMail mail, MimeMessage written, Notice notice, IReadOnlyList<Reply> replies, string state)
    {
        var sent = OutboundRepository.ListForNotice(session, notice.Id);
        var rounds = FollowUpRepository.ListFollowUps(session, notice.Id);
        // The deadline it was written for: the current one, or the one told while an extension had not reached the organisation.
        var passed = DeadlineOf(mail) ?? notice.Deadline;
        var why = !notice.Status.IsOpen() ? $"本案已結案（{Labels.Status(notice.Status)}）"
            : passed != notice.Deadline && passed != SuspensionTiming.Told(notice, rounds, sent) ? $"改善期限已變更為{Labels.Date(notice.Deadline)}"
            : !DeadlineDuty.Runs(notice, () => replies) ? $"已收到機關回覆 {replies.Count} 封"
            : null;
        if (why is not null)
        {
            return new QueuedMailVerdict.Withdraw($"逾期通知（收件者 {string.Join("、", mail.To)}）排入寄送後未能即時寄出，其間{why}，通知內容已不符現況，已撤回未寄");
        }

        var detail = OverdueNote.Detail(notice, replies, sent, rounds,
            OrganisationRepository.Emails(session, notice.OrgCode).Count > 0, WaitingForNotice.Of(session, notice, options), options.Zone, passed,
            SameIncidentReply.Latest(session, notice));
        var lines = OverdueNote.Lines(notice, detail);
        return Rewritten(mail, written, new BodyBuilder { TextBody = OverdueNote.Text(lines), HtmlBody = StaffMail.Html(lines) }, state,
            $"逾期通知（收件者 {string.Join("、", mail.To)}）排入寄送後未能即時寄出，寄出前依現況重寫（{detail}）");
    }

    /// <summary>
    /// The notice's own mail waits while the case was closed (completed: settled another way before the organisation was
    /// told): it would ask for work, files and a call on a closed case, so it is withdrawn. One that leaves on a later day
    /// than it was written (the mail server down) gives the organisation the period it was given, from the day it leaves:
    /// its deadline moves on by the days it waited (to the next working day, 期間之末日為休息日者以其次日為末日), in the
    /// notice and its forms alike, and the mail says why. It goes to the organisation's registered addresses of now.
    /// </summary>
    private QueuedMailVerdict NoticeMail(StorageSession session, OutboundMail mail, MimeMessage written, Notice notice, string state)
    {
        // The day it really leaves (a preview's --as-of sends now, too): the organisation's period runs from it.
        var today = RequestChecks.Today(run.Real, options.Zone);
        if (!notice.Status.IsOpen())
        {
            return new QueuedMailVerdict.Withdraw(
                $"限期改善單（收件者 {string.Join("、", mail.To)}）排入寄送後未能即時寄出，其間本案已結案（{Labels.Status(notice.Status)}），不再要求機關改善及回覆，已撤回未寄");
        }

        var to = Addressees(session, mail, notice);
        // Counted from the day it was first written and the deadline it was first written with (kept in headers by the
        // first rewrite): a try that failed after a rewrite moved nothing the organisation was told.
        var writtenOn = WrittenHeader(written, WrittenOnHeader) ?? RequestChecks.Day(written.Date, options.Zone);
        var deadlineWritten = WrittenHeader(written, DeadlineWrittenHeader) ?? notice.DeadlineIssued;
        var late = today.DayNumber - writtenOn.DayNumber;
        var deadline = calendar.OnOrAfter(deadlineWritten.AddDays(Math.Max(0, late)));
        if (late <= 0 || notice.Deadline != notice.DeadlineIssued)
        {
            return Rewritten(mail, written, null, state, $"限期改善單（收件者 {string.Join("、", mail.To)}）排入寄送後未能即時寄出", to);
        }

        var redated = notice with { Deadline = deadline, DeadlineIssued = deadline };
        written.Body = NoticeMailer.Body(redated, options, sentLateOn: today).ToMessageBody();
        written.Subject = NoticeMailText.Subject(redated);
        written.Headers[WrittenOnHeader] = writtenOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        written.Headers[DeadlineWrittenHeader] = deadlineWritten.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (to is not null)
        {
            written.To.Clear();
            written.To.AddRange(to.Select(MailboxAddress.Parse));
        }

        written.Date = run.Real.GetUtcNow();
        var detail = $"限期改善單（{Labels.Date(writtenOn)}排入寄送）未能即時寄出，至{Labels.Date(today)}始寄出：改善期限依原給予之期間順延 {late} 日"
            + $"為{Labels.Date(deadline)}（開立時{Labels.Date(deadlineWritten)}），郵件及所附限期改善單均以新期限重寫，並載明延誤原因"
            + (to is null ? string.Empty : $"；其間機關登記之電子郵件已變更，改寄至現登記之 {string.Join("、", to)}（原收件者 {string.Join("、", mail.To)}）");
        // Written again on every late try (the day it leaves is in its words); the notice is moved when its deadline moves.
        return new QueuedMailVerdict.Rewrite(written, state, detail,
            deadline == notice.DeadlineIssued ? null : alongside => NoticeRepository.Redate(alongside, notice.Id, notice.DeadlineIssued, deadline));
    }

    /// <summary>
    /// The Archives report goes after the organisation's suspension notice, and is always written again then: its
    /// 連線異動表 and tracking form give the day that notice actually left (or none), the registry's contact of now, and —
    /// when either waited past the day it was decided — a line saying it was sent late (the timeline says so only then).
    /// </summary>
    private QueuedMailVerdict ArchivesReport(StorageSession session, MimeMessage written, Notice notice, string state)
    {
        if (FollowUpRepository.ListFollowUps(session, notice.Id).LastOrDefault(round => round.Result == RoundResult.Suspended) is not { } round)
        {
            return new QueuedMailVerdict.Send();
        }

        var now = run.Real.GetUtcNow();
        var decidedOn = RequestChecks.Day(round.At, options.Zone);
        var notifiedOn = Documents.TrackingFormText.SuspensionNoticeSentOn(OutboundRepository.ListForNotice(session, notice.Id), options.Zone);
        var report = suspensions.ArchivesReportNow(session, notice, round, now);
        var onTime = RequestChecks.Day(now, options.Zone) == decidedOn && notifiedOn == decidedOn;
        written.Body = report.Body;
        written.Date = now;
        return new QueuedMailVerdict.Rewrite(written, state, onTime ? null
            : $"檔案管理局通報排入寄送後未能即時寄出，寄出前依現況重寫（中止交換服務通知{(notifiedOn is { } day ? $"於{Labels.Date(day)}寄出" : "未寄達機關")}）");
    }

    private const string WrittenOnHeader = "X-MailIntake-Written-On";

    private const string DeadlineWrittenHeader = "X-MailIntake-Deadline-Written";

    private static DateOnly? WrittenHeader(MimeMessage written, string field) =>
        DateOnly.TryParseExact(written.Headers[field], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    /// <summary>
    /// A suspension notice that leaves on a later day than it was decided says so (its 發文日期 is the decision's): the
    /// organisation reads when it was decided and when it was finally sent. It goes to the registered addresses of now.
    /// </summary>
    private QueuedMailVerdict Suspension(StorageSession session, OutboundMail mail, MimeMessage written, Notice notice, string state)
    {
        var today = RequestChecks.Today(run.Real, options.Zone);
        var decided = FollowUpRepository.ListFollowUps(session, notice.Id).LastOrDefault(round => round.Result == RoundResult.Suspended);
        var decidedOn = decided is null ? today : RequestChecks.Day(decided.At, options.Zone);
        var body = today > decidedOn ? SuspensionMailer.SentLate(written.TextBody ?? string.Empty, decidedOn, today) : null;
        return Rewritten(mail, written, body, state,
            $"中止交換服務通知（收件者 {string.Join("、", mail.To)}）排入寄送後未能即時寄出" + (body is null ? string.Empty : $"，至{Labels.Date(today)}始寄出，通知已載明延誤"),
            Addressees(session, mail, notice));
    }

    /// <summary>
    /// An extension mail says the new deadline, what arrived, what is missing and the phone step: withdrawn when the case
    /// closed or a later round extended the deadline again (its own mail says so; the organisation never reads a deadline
    /// that is no longer one), otherwise written again from the replies and calls of now.
    /// </summary>
    private QueuedMailVerdict Extension(StorageSession session, OutboundMail mail, MimeMessage written, Notice notice, IReadOnlyList<Reply> replies, string state)
    {
        var rounds = FollowUpRepository.ListFollowUps(session, notice.Id);
        if (ExtensionMailer.RoundOf(mail) is not { } number || rounds.SingleOrDefault(round => round.Round == number) is not { Until: { } until } extended)
        {
            return new QueuedMailVerdict.Send();
        }

        var later = rounds.LastOrDefault(round => round.Round > number && round.Result == RoundResult.Extended);
        var why = !notice.Status.IsOpen() ? $"本案已結案（{Labels.Status(notice.Status)}）"
            : later is not null ? $"第 {later.Round} 次追蹤已再展延改善期限至{Labels.Date(later.Until!.Value)}（另以該次展延通知告知機關）"
            : until <= RequestChecks.Today(run.Real, options.Zone) ? $"展延後之改善期限（{Labels.Date(until)}）已屆至，機關已無從於期限內改善；機關未獲告知此次展延，其改善期限仍為已告知之{Labels.Date(SuspensionTiming.Told(notice, rounds, OutboundRepository.ListForNotice(session, notice.Id)))}，請承辦人員另行決定追蹤"
            : null;
        var what = $"展延通知（改善期限展延至{Labels.Date(until)}，收件者 {string.Join("、", mail.To)}）排入寄送後未能即時寄出";
        if (why is not null)
        {
            return new QueuedMailVerdict.Withdraw($"{what}，其間{why}，通知內容已不符現況，已撤回未寄");
        }

        var calls = FollowUpRepository.ListConfirmations(session, notice.Id);
        var to = Addressees(session, mail, notice);
        var lines = extensions.Lines(session, notice, extended, replies, calls, OutboundRepository.ListForNotice(session, notice.Id), to ?? mail.To).ToList();
        var decidedOn = RequestChecks.Day(extended.At, options.Zone);
        var sentOn = RequestChecks.Today(run.Real, options.Zone);
        if (sentOn > decidedOn)
        {
            // Decided days ago: the organisation reads that the delay was the center's, and how little time is left.
            lines.Insert(lines.FindIndex(line => line.StartsWith("聯絡窗口：", StringComparison.Ordinal)),
                $"本通知於{Labels.Date(decidedOn)}發文，因本中心郵件系統延誤，至{Labels.Date(sentOn)}始寄出；改善期限仍為{Labels.Date(until)}，如有困難請洽聯絡窗口。");
        }

        var body = ExtensionMailer.Body(lines);
        return Rewritten(mail, written, body, state,
            $"{what}，寄出前依現況（已收到回覆 {replies.Count} 封，尚待補充 {ReplyCompleteness.Missing(notice, replies).Count} 項）重寫", to);
    }

    /// <summary>
    /// The organisation's registered addresses now, when they are not those a queued mail to it was addressed to (an
    /// import changed them meanwhile): the mail goes where the registry says, never to an address it dropped. Null when
    /// unchanged, or when the registry holds none now (the addresses it was written for are all there is).
    /// </summary>
    private static IReadOnlyList<string>? Addressees(StorageSession session, OutboundMail mail, Notice notice)
    {
        var now = OrganisationRepository.Emails(session, notice.OrgCode);
        return now.Count == 0 || (now.Count == mail.To.Count && now.All(address => mail.To.Contains(address, StringComparer.OrdinalIgnoreCase)))
            ? null
            : now;
    }

    /// <summary>
    /// The written message with the body of now (<paramref name="body"/>; null: its words stay) and, when the registry
    /// changed, the addresses of now (<paramref name="to"/>); sent as written when neither changed.
    /// </summary>
    private QueuedMailVerdict Rewritten(OutboundMail mail, MimeMessage written, BodyBuilder? body, string state, string detail, IReadOnlyList<string>? to = null)
    {
        var reworded = body is not null && !string.Equals(Normalised(written.TextBody), Normalised(body.TextBody), StringComparison.Ordinal);
        if (!reworded && to is null)
        {
            return new QueuedMailVerdict.Send();
        }

        if (reworded)
        {
            written.Body = body!.ToMessageBody();
        }

        if (to is not null)
        {
            written.To.Clear();
            written.To.AddRange(to.Select(MailboxAddress.Parse));
            detail += $"；其間機關登記之電子郵件已變更，改寄至現登記之 {string.Join("、", to)}（原收件者 {string.Join("、", mail.To)} 已不在登記資料中者不再寄送）";
        }

        written.Date = time.GetUtcNow();
        return new QueuedMailVerdict.Rewrite(written, state, detail);
    }

    /// <summary>How long a staff mail may wait before it says when it was written (a digest a minute late needs no word).</summary>
    private static readonly TimeSpan StaffMailLate = TimeSpan.FromMinutes(15);

    private const string WrittenLead = "【延遲寄出】";

    /// <summary>
    /// A digest, an answer to a member or a note to staff that waited in the outbox (the mail server away) is headed by
    /// when it was written and when it finally left: its counts, lists and answers are of then, and a member reading it
    /// hours later must not take them for now. A later try replaces the line. An answer about a notice states the notice
    /// as it stands when it leaves (<paramref name="stateNow"/>: its 目前狀態 line written again, with what it said when
    /// written): a notice mail that left late beside it moved its deadline (h10x F16), and 「目前」 must be true on arrival.
    /// </summary>
    private QueuedMailVerdict StaffMailSentLate(OutboundMail mail, MimeMessage written, (string Lead, string Line)? stateNow = null)
    {
        var now = run.Real.GetUtcNow();
        var text = written.TextBody ?? string.Empty;
        var html = written.HtmlBody;
        var restated = false;
        if (stateNow is { } state
            && text.ReplaceLineEndings("\n").Split('\n').FirstOrDefault(line => line.StartsWith(state.Lead, StringComparison.Ordinal)) is { } then
            && !then.StartsWith(state.Line, StringComparison.Ordinal))
        {
            var line = $"{state.Line}（本郵件寫成時為「{then[state.Lead.Length..].TrimEnd('。')}」，其後已有變動）";
            text = text.ReplaceLineEndings("\n").Replace(then, line, StringComparison.Ordinal);
            html = html?.Replace(System.Net.WebUtility.HtmlEncode(then), System.Net.WebUtility.HtmlEncode(line), StringComparison.Ordinal);
            restated = true;
        }

        var late = now - written.Date >= StaffMailLate;
        if (!late && !restated)
        {
            return new QueuedMailVerdict.Send();
        }

        var body = new BodyBuilder { TextBody = text, HtmlBody = html };
        if (late)
        {
            var line = $"{WrittenLead}本郵件於{Labels.Moment(written.Date, options.Zone)}寫成，因本中心郵件系統延誤，至{Labels.Moment(now, options.Zone)}始寄出；"
                       + (stateNow is null ? "所列內容為寫成時之狀況，其後之變動未列入。" : "所述處理為寫成時所為，限期改善單之目前狀態及改善期限為寄出時之狀況。");
            text = text.StartsWith(WrittenLead, StringComparison.Ordinal) ? text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..].TrimStart('\n') : text;
            body.TextBody = line + "\n\n" + text;
            if (html is not null)
            {
                var paragraph = $"<p data-late=\"1\" style=\"color:#b00020;font-weight:bold\">{System.Net.WebUtility.HtmlEncode(line)}</p>";
                var earlier = html.IndexOf("<p data-late=\"1\"", StringComparison.Ordinal);
                html = earlier >= 0 ? html.Remove(earlier, html.IndexOf("</p>", earlier, StringComparison.Ordinal) + 4 - earlier) : html;
                var bodyTag = html.IndexOf("<body", StringComparison.OrdinalIgnoreCase);
                var at = bodyTag < 0 ? 0 : html.IndexOf('>', bodyTag) + 1;
                body.HtmlBody = html.Insert(at, paragraph);
            }
        }

        foreach (var attachment in written.Attachments)
        {
            body.Attachments.Add(attachment);
        }

        var writtenAt = written.Date;
        written.Body = body.ToMessageBody();
        return new QueuedMailVerdict.Rewrite(written, mail.NoticeState ?? string.Empty,
            (late ? $"{Labels.Outbound(mail.Kind)}於{Labels.Moment(writtenAt, options.Zone)}寫成，延至{Labels.Moment(now, options.Zone)}始寄出，已於郵件開頭載明" : $"{Labels.Outbound(mail.Kind)}寫成後、寄出前限期改善單已有變動")
            + (restated ? "；限期改善單之目前狀態已依寄出時重寫" : string.Empty));
    }

    /// <summary>The 目前狀態 line an answer about the notice <paramref name="noticeId"/> would state now, and how that line starts.</summary>
    private (string Lead, string Line)? AnswerStateNow(long noticeId)
    {
        using var session = database.BeginRead();
        return NoticeRepository.Get(session, noticeId) is { } notice ? (ActionAnswers.StateLead(notice), ActionAnswers.StateLine(session, notice)) : null;
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

    /// <summary>The deadline a reminder or an overdue note was queued for (its own column, kept when it was queued).</summary>
    private static DateOnly? DeadlineOf(OutboundMail mail) => mail.Kind is OutboundKind.Reminder or OutboundKind.Overdue ? mail.Deadline : null;

    /// <summary>
    /// The offset of a later reminder of the same deadline whose day has come (the reminder job sends it that day): after
    /// downtime only the latest due reminder goes, never this one beside it saying the same. This one's offset is its own
    /// column, kept when it was queued.
    /// </summary>
    private int? LaterDue(OutboundMail mail, DateOnly deadline, DateOnly today) =>
        mail.Kind == OutboundKind.Reminder && mail.DaysBefore is { } offset
            ? options.Reminders.DaysBefore.Where(later => later < offset && calendar.OnOrBefore(deadline.AddDays(-later)) <= today).Order().Cast<int?>().FirstOrDefault()
            : null;

    /// <summary>The reply a phone prompt asks about (its own column, kept when it was queued).</summary>
    private static long? PromptedMailOf(OutboundMail mail) => mail.Kind == OutboundKind.PhonePrompt ? mail.ReplyMailId : null;

    /// <summary>The reply a receipt answers (its own column, kept when it was queued).</summary>
    private static long? MailIdOf(OutboundMail mail) => mail.Kind == OutboundKind.Receipt ? mail.ReplyMailId : null;
}
