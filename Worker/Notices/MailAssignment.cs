using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Cli;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Notices;

/// <summary>Staff settle an unmatched or ambiguous mail by naming its notice; the mail becomes a reply matched by "staff".</summary>
public sealed class MailAssignment(
    MailRepository mails, NoticeRepository notices, ReplyRepository replies, ReceiptMailer receipts, MailIntakeOptions options, TimeProvider time)
{
    private static readonly string[] Assignable = [MailKind.Unmatched, MailKind.Ambiguous, MailKind.Suspicious];

    public Notice Assign(long mailId, string reference)
    {
        var mail = mails.Get(mailId) ?? throw new CliException($"找不到郵件 #{mailId}");
        if (!Assignable.Contains(mail.Kind))
        {
            throw new CliException($"郵件 #{mailId} 的類別是 {mail.Kind}，只有 unmatched、ambiguous、suspicious 的郵件可以指定");
        }

        var notice = notices.Get(NoticeReference.FindAll(reference).FirstOrDefault() ?? reference.Trim())
            ?? throw new CliException($"找不到限期改善單 {reference}");
        using var raw = File.OpenRead(Path.Combine(options.DataDirectory, mail.RawPath));
        var message = MailParserOptions.Load(raw);
        var parsed = MailReader.Read(message);
        replies.File(
            new ReplyFiling(mailId, notice.Id, MatchedBy.Staff, mail.From, mail.Subject,
                parsed.Filler?.Name, parsed.Filler?.Phone, parsed.Filler?.Email, parsed.CompletedOn,
                parsed.Forms.SelectMany(form => form.ItemAnswers).ToList()),
            evidence: null,
            time.GetUtcNow(),
            TimelineEvent.Assigned);
        receipts.QueueReceipt(notice, mailId, parsed.MessageId, parsed.IsMailingList);
        return notice;
    }
}
