using MailIntake.Parsing;
using MailIntake.Parsing.StaffActions;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace MailIntake.Worker.StaffActions;

/// <summary>
/// A mail that carries an action token: checks who sent it and the token, then calls the same use case as the command
/// line, with the link's single use, the "經由郵件" timeline event and the recorded outcome in the use case's own
/// transaction; answers the member with a confirmation or a refusal. Never files it as an organisation's reply.
/// </summary>
public sealed partial class StaffActionHandler(
    Database database,
    MailRepository mails,
    ActionKeyStore keys,
    StaffActionRepository used,
    ConfirmPhone confirmPhone,
    RecordFollowUp recordFollowUp,
    AssignMail assignMail,
    DismissMail dismissMail,
    IssueNotice issueNotice,
    ActionAnswers answers,
    MailIntakeOptions options,
    TimeProvider time,
    ILogger<StaffActionHandler> logger)
{
    /// <summary>Handles the mail and records it (staff-action or suspicious) with the reason; returns what was recorded.</summary>
    public async Task<MailOutcome> HandleAsync(long mailId, MimeMessage message, ParsedMail parsed, ActionMail action, CancellationToken cancellationToken)
    {
        var from = parsed.FromAddress;
        var member = options.Staff.FindMember(from);
        var context = new AnswerContext(mailId, message, from, member, action);
        var trusted = options.Mailbox.TrustedAuthServIds;
        if (SenderAuthentication.Check(message, trusted) is { Failed: true } failed)
        {
            return Refuse(context, MailKind.Suspicious, $"本中心郵件伺服器驗證寄件者失敗（{failed.Reason}），動作未執行", answer: false);
        }

        if (trusted.Count > 0 && !SenderAuthentication.Passed(message, trusted))
        {
            return Refuse(context, MailKind.Suspicious, $"未經本中心郵件伺服器（{string.Join("、", trusted)}）驗證寄件者通過，動作未執行", answer: false);
        }

        if (member is null)
        {
            return Refuse(context, MailKind.Suspicious, $"寄件者 {from ?? "（無）"} 不是設定檔所列可經由郵件處理之承辦人員，動作未執行", answer: false);
        }

        if (action.Tokens.Count > 1)
        {
            return Refuse(context, MailKind.StaffAction, $"郵件中有 {action.Tokens.Count} 個不同之動作識別碼，無法判斷要執行哪一個；請由原通知郵件之按鈕重新開啟後寄出", answer: true);
        }

        if (!ActionToken.TryParse(action.Tokens[0], out var token))
        {
            return Refuse(context, MailKind.Suspicious, "動作識別碼格式錯誤，動作未執行", answer: true);
        }

        // Judged as of the mail's arrival: one that reached the mailbox in time and was read late (the worker or the
        // server down over the expiry, a re-read after a restore) is not expired (h14h G13). Never later than now.
        var now = time.GetUtcNow();
        var judgedAt = mails.ArrivalOf(mailId) is { } arrived && arrived < now ? arrived : now;
        var verdictOfToken = ActionSignature.Verify(keys.Key, token, member.Email, options.Staff.Members.Select(m => m.Email), judgedAt);
        switch (verdictOfToken.Check)
        {
            case TokenCheck.Altered:
                return Refuse(context, MailKind.Suspicious, "動作識別碼遭修改或非本中心所發，動作未執行", answer: true);
            case TokenCheck.OtherMember:
                return Refuse(context, MailKind.Suspicious, $"此動作連結係寄給 {verdictOfToken.IssuedTo}，只能由其本人寄出，動作未執行", answer: true);
            case TokenCheck.Expired:
                return Refuse(context, MailKind.Suspicious, $"此動作連結已於 {Labels.Moment(token.Expires, options.Zone)} 失效，動作未執行；請使用較新之通知郵件中之按鈕", answer: true);
        }

        StaffActionCodes.TryParse(token.Action, out var kind);
        if (used.Find(token.Nonce) is { } earlier)
        {
            return AlreadyDone(context, earlier);
        }

        try
        {
            return await ExecuteAsync(context, kind, token, cancellationToken);
        }
        catch (NoticeRuleException refusal)
        {
            // A wrong line can be corrected by replying; a state that has moved on cannot.
            return Refuse(context, MailKind.StaffAction, ActionRefusalText.Line(refusal), answer: true, correctable: refusal.IsBadRequest);
        }
        catch (PermissionException permission)
        {
            return Refuse(context, MailKind.StaffAction, permission.Message, answer: true, correctable: false);
        }
        catch (ActionFieldException field)
        {
            return Refuse(context, MailKind.StaffAction, field.Message, answer: true);
        }
        catch (LinkAlreadyUsedException)
        {
            return AlreadyDone(context, used.Find(token.Nonce)!);
        }
    }

    /// <summary>Why a mail from a member that carries no token is not an organisation's reply; null when the sender is no member.</summary>
    public string? MemberWithoutToken(string? from) =>
        options.Staff.FindMember(from) is { } member
            ? $"寄件者是本中心承辦人員 {member.Name}，郵件中沒有動作識別碼，不視為機關回覆，未執行任何動作（經由郵件處理請使用通知郵件中之按鈕）"
            : null;

    private const string RefusedSubjectMark = "【無法處理】";

    private const string NoTokenMark = "中沒有動作識別碼，本中心未執行任何動作";

    private static bool IsAnswerComingBack(MimeMessage message) =>
        (message.Subject ?? "").Contains(RefusedSubjectMark, StringComparison.Ordinal)
        || (message.TextBody ?? message.HtmlBody ?? "").Contains(NoTokenMark, StringComparison.Ordinal);

    /// <summary>
    /// Answers a member whose mail carries no token (an Outlook reply to a prompt saying 已聯繫, a note answered) at once:
    /// nothing was done or recorded, and how to act by mail — the member must not believe a call was recorded.
    /// </summary>
    public void AnswerWithoutToken(long mailId, MimeMessage message, string? from)
    {
        var member = options.Staff.FindMember(from) ?? throw new InvalidOperationException($"{from} is no member");

        // Never answer one of these answers coming back (a member's forwarding rule sends it on, without Auto-Submitted):
        // answering it would loop, one mail each way every pass.
        if (IsAnswerComingBack(message))
        {
            LogRefused(mailId, member.Email, "一封本中心【無法處理】答覆之轉回，不再答覆（避免郵件迴圈）");
            return;
        }

        var reason = $"郵件 #{mailId} {NoTokenMark}，也未記錄電話確認或追蹤結果；"
                     + "如要記錄，請按電話確認提醒或每日摘要中之按鈕寄出（勿修改其中之識別碼一行）；"
                     + "此郵件列於每日摘要之待處理郵件：如係轉寄機關之回覆，可歸入限期改善單，否則請註記不需處理";
        LogRefused(mailId, member.Email, reason);
        Answer(new AnswerContext(mailId, message, member.Email, member, ActionMailReader.Read(message)), reason, correctable: false);
    }

    private void Answer(AnswerContext context, string reason, bool correctable)
    {
        if (!answers.QueueRefusal(context, reason, correctable))
        {
            LogNotAnswered(context.MailId, context.Member!.Email, ActionAnswers.MaxRefusalsPerMemberPerHour);
        }
    }

    private async Task<MailOutcome> ExecuteAsync(AnswerContext context, StaffActionKind kind, ActionToken token, CancellationToken cancellationToken)
    {
        var member = context.Member!;
        var mail = context.Action;
        switch (kind)
        {
            case StaffActionKind.ConfirmReached or StaffActionKind.ConfirmNoAnswer:
            {
                var (noticeId, replyMailId) = Target(token.Target);
                var notice = NoticeById(noticeId);
                var by = ActionFields.Person(mail, ActionLabels.Confirmer, member.Name);
                var result = kind == StaffActionKind.ConfirmReached ? PhoneResult.Reached : PhoneResult.NoAnswer;
                MailOutcome outcome = null!;
                await confirmPhone.ExecuteAsync(
                    new ConfirmPhoneCommand(notice.Reference, by, result, ActionFields.Optional(mail, ActionLabels.Note), CallMoment(context.Message, replyMailId), replyMailId),
                    cancellationToken,
                    (session, recorded) => outcome = Done(session, context, token, recorded.Notice,
                        $"{recorded.Notice.Reference} 電話確認郵件 #{recorded.MailId} 之回覆：{Labels.Phone(result)}（確認人：{by}）"
                        + (recorded.ConfirmedBefore is { } before ? $"；{Labels.ConfirmedBefore(before, options.Zone)}" : "")));
                return outcome;
            }

            case StaffActionKind.FollowUpCompleted or StaffActionKind.FollowUpExtended or StaffActionKind.FollowUpOther or StaffActionKind.FollowUpSuspended:
            {
                var (noticeId, round) = Target(token.Target);
                var notice = NoticeById(noticeId);
                if (kind == StaffActionKind.FollowUpSuspended && member.Role != StaffRole.Admin)
                {
                    throw new PermissionException($"中止交換服務須由設定檔所列之管理者寄出；{member.Name} 為一般承辦人員，動作未執行");
                }

                var command = FollowUpCommand(kind, notice, mail, member) with { Round = round is null ? null : (int)round };

                MailOutcome outcome = null!;
                await recordFollowUp.ExecuteAsync(command, cancellationToken,
                    (session, recorded) => outcome = Done(session, context, token, recorded.Notice,
                        $"{recorded.Notice.Reference} 第 {recorded.Round} 次追蹤（{command.By}）：{RecordFollowUp.Detail(new FollowUp(recorded.Round, command.Result, command.Until, command.SuspendFrom, command.By, time.GetUtcNow(), command.Note))}"));
                return outcome;
            }

            case StaffActionKind.Assign:
            {
                var (mailId, noticeId) = Target(token.Target);
                var notice = NoticeById(noticeId.GetValueOrDefault());
                MailOutcome outcome = null!;
                await assignMail.ExecuteAsync(new AssignMailCommand(mailId, notice.Reference), cancellationToken,
                    (session, assigned) => outcome = Done(session, context, token, assigned.Notice, assigned.Text(options.Zone)));
                return outcome;
            }

            case StaffActionKind.Dismiss:
            {
                var mailId = long.Parse(token.Target, System.Globalization.CultureInfo.InvariantCulture);
                var by = ActionFields.Person(mail, ActionLabels.Handler, member.Name);
                var reason = ActionFields.Required(mail, ActionLabels.Reason, "不需處理之原因");
                MailOutcome outcome = null!;
                await dismissMail.ExecuteAsync(new DismissMailCommand(mailId, by, reason), cancellationToken,
                    (session, dismissed) => outcome = Done(session, context, token, notice: null, $"郵件 #{mailId} 已註記不需處理（{by}：{reason}）"));
                return outcome;
            }

            case StaffActionKind.Issue:
            {
                var command = ActionFields.Issue(mail);
                MailOutcome outcome = null!;
                await issueNotice.ExecuteAsync(command, cancellationToken,
                    (session, issued) => outcome = Done(session, context, token, issued.Notice,
                        $"已開立限期改善單 {issued.Notice.Reference}（{issued.Notice.OrgCode} {issued.Notice.OrgName}），改善期限{Labels.Date(issued.Notice.Deadline)}" + (issued.MailQueued ? "，已排入寄送機關" : "")));
                return outcome;
            }

            default:
                throw new ActionFieldException("未知之動作");
        }
    }

    private RecordFollowUpCommand FollowUpCommand(StaffActionKind kind, Notice notice, ActionMail mail, StaffMember member)
    {
        var by = ActionFields.Person(mail, ActionLabels.Tracker, member.Name);
        return kind switch
        {
            StaffActionKind.FollowUpCompleted => new(notice.Reference, RoundResult.Completed, by, null, null, ActionFields.Optional(mail, ActionLabels.Note), null),
            StaffActionKind.FollowUpExtended => new(notice.Reference, RoundResult.Extended, by, ActionFields.Date(mail, ActionLabels.NewDeadline), null, ActionFields.Optional(mail, ActionLabels.Note), null),
            StaffActionKind.FollowUpOther => new(notice.Reference, RoundResult.Other, by, null, null, ActionFields.Required(mail, ActionLabels.Explanation, "說明"), null),
            _ => new(notice.Reference, RoundResult.Suspended, by, null, ActionFields.Date(mail, ActionLabels.SuspendFrom), ActionFields.Required(mail, ActionLabels.Reason, "中止交換服務之原因"), null,
                DespiteWaitingMail: ActionFields.Yes(mail, ActionLabels.DespiteWaitingMail)),
        };
    }

    /// <summary>
    /// When the call was made: the member writes the mail after calling, so its Date, not the moment the worker reads it
    /// (after an outage over a weekend). Kept between the reply's arrival and now; a missing or skewed Date means now (null).
    /// </summary>
    private DateTimeOffset? CallMoment(MimeMessage message, long? replyMailId)
    {
        // A Date has whole seconds: the call is taken at the end of its second, so a reply recorded within that second
        // counts as arrived before the call (the link is then stale) rather than confirmed unseen.
        var written = message.Date == DateTimeOffset.MinValue ? DateTimeOffset.MinValue : message.Date + TimeSpan.FromMilliseconds(999);
        if (replyMailId is null || written == DateTimeOffset.MinValue || written > time.GetUtcNow())
        {
            return null;
        }

        using var session = database.BeginRead();
        return MailRepository.Get(session, replyMailId.Value) is { } reply && written >= reply.ReceivedAt ? written : null;
    }

    private Notice NoticeById(string id) => NoticeById(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture));

    private Notice NoticeById(long id)
    {
        using var session = database.BeginRead();
        return NoticeRepository.Get(session, id) ?? throw new NoticeRuleException(NoticeRuleCode.NoticeNotFound, $"#{id}");
    }

    /// <summary>A signed target <c>ID</c> or <c>ID-DETAIL</c> (a reply's mail id, a round, a notice id).</summary>
    private static (long Id, long? Detail) Target(string target)
    {
        var parts = target.Split('-');
        var id = long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        return parts.Length > 1 ? (id, long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)) : (id, null);
    }

    /// <summary>Inside the use case's transaction: the link's single use, the timeline's "經由郵件" event, the mail's record, the confirmation.</summary>
    private MailOutcome Done(StorageSession session, AnswerContext context, ActionToken token, Notice? notice, string what)
    {
        var member = context.Member!;
        var now = time.GetUtcNow();
        if (!StaffActionRepository.TryUse(session, new UsedAction(token.Nonce, token.Action, token.Target, member.Email, context.MailId, notice?.Id, now)))
        {
            throw new LinkAlreadyUsedException();
        }

        var reason = $"經由郵件：{member.Name}（{member.Email}）{what}";
        if (notice is not null)
        {
            TimelineRepository.Add(session, notice.Id, now, TimelineEvent.ViaMail, reason + $"（郵件 #{context.MailId}）");
        }

        var outcome = new MailOutcome(MailKind.StaffAction, context.From, context.Message.Subject, notice?.Id, reason);
        MailRepository.Complete(session, context.MailId, outcome, now);
        answers.QueueDone(session, context, what, notice is null ? null : NoticeRepository.Get(session, notice.Id));
        LogDone(context.MailId, member.Email, what);
        return outcome;
    }

    private MailOutcome AlreadyDone(AnswerContext context, UsedAction earlier)
    {
        var reason = $"已處理過：此動作連結已於 {Labels.Moment(earlier.UsedAt, options.Zone)} 由郵件 #{earlier.MailId} 處理，本次未作任何變更";
        return Record(context, MailKind.StaffAction, earlier.NoticeId, reason, () => answers.QueueAlreadyDone(context, earlier));
    }

    private MailOutcome Refuse(AnswerContext context, MailKind kind, string reason, bool answer, bool? correctable = null)
    {
        LogRefused(context.MailId, context.Member?.Email, reason);
        Action? answering = answer && context.Member is not null
            ? () => Answer(context, reason, correctable ?? kind == MailKind.StaffAction)
            : null;
        return Record(context, kind, null, reason, answering);
    }

    private MailOutcome Record(AnswerContext context, MailKind kind, long? noticeId, string reason, Action? answer)
    {
        var outcome = new MailOutcome(kind, context.From, context.Message.Subject, noticeId, reason);
        mails.Complete(context.MailId, outcome, [], time.GetUtcNow());
        answer?.Invoke();
        return outcome;
    }

    [LoggerMessage(LogLevel.Information, "Mail #{MailId}: staff action by {Member}: {What}")]
    private partial void LogDone(long mailId, string member, string what);

    [LoggerMessage(LogLevel.Warning, "Mail #{MailId}: staff action refused (from {Member}): {Reason}")]
    private partial void LogRefused(long mailId, string? member, string reason);

    [LoggerMessage(LogLevel.Warning, "Mail #{MailId}: refusal not answered: {Member} already had {Limit} refusals in the last hour (a forwarding loop?); the mail waits in the digest")]
    private partial void LogNotAnswered(long mailId, string member, int limit);
}

/// <summary>A line of the action mail is missing or wrong; the message names it.</summary>
public sealed class ActionFieldException(string message) : Exception(message);

/// <summary>The member may not do this action (their role); replying with other lines cannot change that.</summary>
public sealed class PermissionException(string message) : Exception(message);

/// <summary>The link was used by another mail while this one was being handled.</summary>
public sealed class LinkAlreadyUsedException() : Exception("action link already used");

/// <summary>Who and what an answer is about.</summary>
public sealed record AnswerContext(long MailId, MimeMessage Message, string? From, StaffMember? Member, ActionMail Action);
