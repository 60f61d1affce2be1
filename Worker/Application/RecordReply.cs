using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Application;

/// <summary>A mail matched to its notice, with what was read from it and the evidence already stored by content hash.</summary>
public sealed record RecordReplyCommand(long MailId, string Reference, MatchMethod MatchedBy, ParsedMail Mail, IReadOnlyList<EvidenceFile>? Evidence);

public sealed record FiledReply(Notice Notice, bool ReceiptQueued);

/// <summary>
/// Files a reply: the mail's kind, the reply with its form fields, its evidence rows, the notice's status, the timeline
/// event and the receipt — one transaction. A crash halfway leaves the mail recorded and unprocessed, to be resumed.
/// </summary>
public sealed class RecordReply(Database database, ReceiptMailer receipts, TimeProvider time, Options.MailIntakeOptions options)
{
    public Task<FiledReply> ExecuteAsync(RecordReplyCommand command, CancellationToken cancellationToken)
    {
        using var session = database.Begin();
        var notice = RequestChecks.Notice(session, command.Reference);
        var carried = DateNotBeforeNotice(session, notice, command.MailId, time.GetUtcNow());
        var filed = File(session, notice, command, TimelineEvent.ReplyFiled, carried);
        session.Commit();
        return Task.FromResult(filed);
    }

    /// <summary>
    /// A mail intake files under a notice is never dated before that notice was issued (h22h M1, M2): an arrival rebuilt
    /// after a restore (a backup's list, a <c>processed/</c> file's time) or stamped by a server a moment before the issue
    /// would have its receipt tell the organisation it replied to a notice not yet issued. Such a mail is dated by its
    /// filing; the time it carried is returned for the timeline, null when it was not before the issue. A staff member
    /// assigning an earlier mail on purpose (<c>mail assign</c>) keeps its arrival.
    /// </summary>
    private static DateTimeOffset? DateNotBeforeNotice(StorageSession session, Notice notice, long mailId, DateTimeOffset now)
    {
        if (MailRepository.ArrivalOf(session, mailId) is not { } carried || carried >= notice.IssuedAt)
        {
            return null;
        }

        MailRepository.Redate(session, mailId, now > notice.IssuedAt ? now : notice.IssuedAt);
        return carried;
    }

    /// <summary>The filing itself, inside a caller's session (a staff assignment files the same way).</summary>
    internal FiledReply File(StorageSession session, Notice notice, RecordReplyCommand command, TimelineEvent timelineEvent, DateTimeOffset? carriedBeforeIssue = null)
    {
        var now = time.GetUtcNow();
        var forms = FormsForNotice.Of(command.Mail, notice.Reference);
        var parsed = forms.Mail;
        ReplyRepository.File(
            session,
            new ReplyFiling(command.MailId, notice.Id, command.MatchedBy, parsed.FromAddress, parsed.Subject,
                // What the organisation wrote is kept printable: it is shown in terminals, mails and filed documents.
                PrintableText.CleanOrNull(parsed.Filler?.Name), PrintableText.CleanOrNull(parsed.Filler?.Phone), PrintableText.CleanOrNull(parsed.Filler?.Email),
                parsed.CompletedOn, Answers(parsed), ReturnsForm(parsed), parsed.CompletedOnUnreadable),
            command.Evidence,
            now);
        var next = NoticeStateMachine.OnReply(notice.Status);
        if (next != notice.Status && !NoticeRepository.Transition(session, notice.Id, notice.Status, next))
        {
            throw new NoticeRuleException(NoticeRuleCode.ChangedMeanwhile, notice.Reference);
        }

        // Read once: this reply's files for the timeline, all of them for the receipt's list of what is still missing.
        var replies = ReplyRepository.ListForNotice(session, notice.Id);
        var filedReply = replies.Single(reply => reply.MailId == command.MailId);
        var files = filedReply.Evidence;
        // Staff are told of a reply written before the organisation could know of the suspension: it answers the notice
        // (its receipt asks for the phone step), it is no application to restore the service.
        var beforeTold = notice.Status == NoticeStatus.Suspended
            && SuspensionTiming.ReplyBeforeOrganisationTold(filedReply.ReceivedAt,
                FollowUpRepository.ListFollowUps(session, notice.Id).LastOrDefault(round => round.Result == RoundResult.Suspended),
                OutboundRepository.ListForNotice(session, notice.Id));
        var items = files.Where(file => file.Item is not null).Select(file => $"附件{file.Item}").Distinct().ToList();
        TimelineRepository.Add(session, notice.Id, now, timelineEvent,
            $"郵件 #{command.MailId} 來自 {parsed.FromAddress ?? "（不明寄件者）"}，比對方式：{Labels.Method(command.MatchedBy)}，"
            + (files.Count == 0 ? "未附檔案" : $"附檔 {files.Count} 件{(items.Count == 0 ? "" : $"（{string.Join("、", items)}）")}")
            + (parsed.CompletedOnUnreadable is { } written ? $"；所填完成改善日期「{written}」無法辨識為日期" : string.Empty)
            + (forms.OtherReferences.Count > 0 ? $"；所附表單為限期改善單 {string.Join("、", forms.OtherReferences)} 之表單，與本限期改善單不符，其填寫內容未採計" : string.Empty)
            + (forms.BlankForms > 0 ? "；所附限期改善單表單未填寫任何內容，不視為已回傳表單" : string.Empty)
            + (beforeTold ? $"；{SuspensionTiming.BeforeToldNote}" : string.Empty)
            + (carriedBeforeIssue is { } carried ? $"；{Labels.CarriedArrivalNote(carried, filedReply.ReceivedAt, options.Zone, notice.IssuedAt)}" : string.Empty));
        var updated = NoticeRepository.Get(session, notice.Id)!;
        var receipt = receipts.QueueReceipt(session, updated, replies, command.MailId, parsed.MessageId, parsed.IsMailingList, parsed.CompletedOnUnreadable, forms,
            parsed.InnerFromAddresses);
        return new FiledReply(updated, receipt);
    }

    /// <summary>The answers of the returned forms, and those written in the mail body for items no form answers.</summary>
    private static List<ItemAnswer> Answers(ParsedMail mail)
    {
        var fromForms = mail.Forms.SelectMany(form => form.ItemAnswers).ToList();
        return fromForms.Concat(mail.BodyAnswers.Where(answer => fromForms.All(form => form.Item != answer.Item)))
            .Select(answer => answer with { Text = PrintableText.Clean(answer.Text) })
            .ToList();
    }

    /// <summary>
    /// The notice form came back: a filled form document of this notice was read, or a scan or document is named as the
    /// form (the stamped paper, <see cref="StampedFormFile"/>) — not a form document set aside as another notice's or as
    /// blank (<see cref="FormsForNotice"/>).
    /// </summary>
    public static bool ReturnsForm(ParsedMail mail) =>
        mail.Forms.Count > 0
        || mail.Attachments.Any(attachment => !attachment.SetAsideForm && StampedFormFile.Is(attachment));
}
