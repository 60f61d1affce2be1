using MailIntake.Storage;
using MailIntake.Worker.Options;
using MimeKit;

namespace MailIntake.Worker.Outbound;

/// <summary>
/// Queues the receipt for a filed reply, inside the session that files it. Loop protection lives here: never to our own
/// address, never to mailing lists, and at most Receipts:MaxPerSenderPerHour receipts to one sender unless the reply
/// gives something the notice still lacked (auto-replies and bounces are never replies at all).
/// </summary>
public sealed class ReceiptMailer(OutboxWriter outbox, MailIntakeOptions options, TimeProvider time)
{
    /// <summary>
    /// <paramref name="all"/> is every reply filed under the notice, this one included, as read in the same session: what the
    /// receipt says is still missing is judged against all of them.
    /// <paramref name="forwardedFrom"/> are the senders of the messages the mail forwards as attachments: when a member of
    /// the staff forwarded an organisation's mail, its receipt goes to the organisation's address among them, never to the
    /// member (a receipt is written to the organisation).
    /// </summary>
    public bool QueueReceipt(
        StorageSession session, Notice notice, IReadOnlyList<Reply> all, long mailId, string? replyMessageId, bool isMailingList,
        string? unreadableDate = null, Parsing.FormsForNotice? forms = null, IReadOnlyList<string>? forwardedFrom = null)
    {
        var reply = all.SingleOrDefault(candidate => candidate.MailId == mailId);
        if (reply?.From is not { } to)
        {
            // Parsing gives an address or nothing: a sender that is not an address is never a recipient.
            TimelineRepository.Add(session, notice.Id, time.GetUtcNow(), TimelineEvent.ReceiptSuppressed,
                $"郵件 #{mailId} 之寄件者無法辨識為電子郵件地址，未寄收件回執");
            return false;
        }

        if (outbox.IsOwnAddress(to) || isMailingList)
        {
            return false;
        }

        // A mail staff filed from a sender the organisation never registered (its IT vendor, a stranger): the receipt,
        // which names the notice's open items, goes to the organisation itself — it must learn what now counts — and
        // never to the stranger (an unregistered sender is never receipted on its own).
        // The registered addresses are read (in this session) only for those two cases, not for every receipt.
        IReadOnlyList<string> recipients = [to];
        var member = options.Staff.FindMember(to);
        var registered = reply.MatchedBy == Parsing.MatchMethod.Staff || member is not null ? OrganisationRepository.Emails(session, notice.OrgCode) : [];
        if (reply.MatchedBy == Parsing.MatchMethod.Staff && registered.Count > 0 && !registered.Contains(to, StringComparer.OrdinalIgnoreCase))
        {
            recipients = registered;
        }

        // A staff member's forward of the organisation's mail (it came to the member's own mailbox): the receipt goes to the
        // organisation's address that sent the message inside, never to the member.
        if (recipients.Contains(to) && member is not null)
        {
            if ((forwardedFrom ?? []).FirstOrDefault(address => registered.Contains(address, StringComparer.OrdinalIgnoreCase)) is not { } inner)
            {
                TimelineRepository.Add(session, notice.Id, time.GetUtcNow(), TimelineEvent.ReceiptSuppressed,
                    $"郵件 #{mailId} 由本中心承辦人員 {member.Name} 寄來，其中沒有機關登記信箱寄出之郵件，未寄收件回執（回執不寄給本中心人員）");
                return false;
            }

            to = inner;
            recipients = [inner];
        }

        var now = time.GetUtcNow();
        var missing = Application.ReplyCompleteness.Missing(notice, all);
        // The limit stops a loop with an autoresponder, whose mails add nothing. A reply that gives something the notice
        // still lacked is a person's: it gets its receipt, or the last receipt the organisation has would stay wrong.
        var progress = missing.Count < Application.ReplyCompleteness.Missing(notice, all.Where(other => other.MailId != mailId).ToList()).Count;
        // The line states the true count: receipts that gave progress went past the limit and count too.
        if (!progress && OutboundRepository.CountRecentTo(session, OutboundKind.Receipt, to, now - TimeSpan.FromHours(1), now) is var recent
            && recent >= options.Receipts.MaxPerSenderPerHour)
        {
            TimelineRepository.Add(session, notice.Id, now, TimelineEvent.ReceiptSuppressed,
                $"一小時內寄給 {to} 之回執已有 {recent} 封（上限 {options.Receipts.MaxPerSenderPerHour} 封），郵件 #{mailId} 不再寄回執（防止郵件迴圈）");
            return false;
        }

        var elsewhere = OrganisationRepository.RegisteredElsewhere(session, reply.From, notice.OrgCode);
        var body = ReceiptText.Body(notice, reply, all, FollowUpRepository.ListConfirmations(session, notice.Id), () => FollowUpRepository.ListFollowUps(session, notice.Id),
            options.Center, options.Zone, Application.RequestChecks.Today(time, options.Zone), unreadableDate, forms, () => OutboundRepository.ListForNotice(session, notice.Id),
            elsewhere);
        var message = OutgoingMessage.Create(options, recipients, ReceiptText.Subject(notice, elsewhere.Count > 0), body, autoSubmitted: "auto-replied", now);
        if (replyMessageId is not null)
        {
            message.InReplyTo = replyMessageId;
            message.References.Add(replyMessageId);
        }

        return outbox.Queue(session, OutboundKind.Receipt, notice.Id, message, $"receipt:{mailId}",
            notice.Status.IsOpen()
                ? $"收件回執已排入寄送佇列（郵件 #{mailId}，收件者 {string.Join("、", recipients)}，尚待補充 {missing.Count} 項）"
                : $"收件回執已排入寄送佇列（郵件 #{mailId}，收件者 {string.Join("、", recipients)}；本案已結案，回執載明結案，不列補件）",
            TimelineEvent.Receipt, replyMailId: mailId);
    }
}
