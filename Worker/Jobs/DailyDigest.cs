using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Cli;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;
using MimeKit;

namespace MailIntake.Worker.Jobs;

/// <summary>
/// The daily digest to Staff:DigestRecipients at Staff:DigestTime on working days — one per day however often
/// the job runs (the outbox key is the day). "New" means since the previous digest.
/// </summary>
public sealed class DailyDigest(
    NoticeRepository notices,
    OrganisationRepository organisations,
    ReplyRepository replies,
    FollowUpRepository followUps,
    MailRepository mails,
    OutboundRepository outbound,
    OutboxWriter outbox,
    HealthRepository health,
    ConnectionDropsQuery drops,
    CenterClock clock,
    MailIntakeOptions options) : ISweeper
{
    /// <summary>"Due soon" looks this many working days ahead.</summary>
    public const int DueSoonWorkingDays = 3;

    public string Name => "digest";

    public Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var today = clock.Today;
        var key = $"digest:{today:yyyyMMdd}";
        if (!clock.Calendar.IsWorkingDay(today))
        {
            return Task.FromResult("每日摘要：今日非上班日，不寄送");
        }

        if (!clock.HasReached(today, options.Staff.DigestTime))
        {
            return Task.FromResult($"每日摘要：尚未到寄送時間 {options.Staff.DigestTime:HH\\:mm}");
        }

        if (options.Staff.DigestRecipients.Count == 0 || outbound.Exists(key))
        {
            return Task.FromResult("每日摘要：今日已寄出或未設定收件者");
        }

        var content = Gather();
        var body = new BodyBuilder { TextBody = DigestText.PlainText(content, options.Zone), HtmlBody = DigestText.Html(content, options.Zone) };
        var message = OutgoingMessage.Create(options, options.Staff.DigestRecipients, DigestText.Subject(content), body, "auto-generated", clock.UtcNow);
        outbox.Queue(OutboundKinds.Digest, noticeId: null, message, key, timelineDetail: null);
        return Task.FromResult($"每日摘要：已排入寄送（{content.Open.Count} 件未結案）");
    }

    public DigestContent Gather()
    {
        var today = clock.Today;
        var since = outbound.LatestCreatedAt(OutboundKinds.Digest) ?? clock.UtcNow.AddDays(-1);
        var all = notices.List();
        var byId = all.ToDictionary(notice => notice.Id);
        var open = all.Where(notice => NoticeStatus.IsOpen(notice.Status)).ToList();
        var repliesByNotice = replies.ListAllByNotice();
        var awaitingReply = open.Where(notice => notice.Status is NoticeStatus.Issued or NoticeStatus.Extended).ToList();
        var horizon = clock.Calendar.AddWorkingDays(today, DueSoonWorkingDays);
        var rounds = followUps.CountRoundsByNotice();

        var newReplies = repliesByNotice
            .SelectMany(group => group.Where(reply => reply.ReceivedAt >= since)
                .Select(reply => (byId[group.Key], reply, ReceiptText.Missing(group.ToList()))))
            .OrderBy(entry => entry.reply.ReceivedAt)
            .ToList();
        var phones = organisations.List().ToDictionary(organisation => organisation.Code, organisation => organisation.Phone);
        var awaitingPhone = open.Where(notice => notice.Status == NoticeStatus.Replied)
            .Select(notice => (notice, repliesByNotice[notice.Id].MaxBy(reply => reply.ReceivedAt)))
            .Where(entry => entry.Item2 is not null)
            .Select(entry => (entry.notice, entry.Item2!, phones.GetValueOrDefault(entry.notice.OrgCode)))
            .ToList();
        var dueSoon = awaitingReply.Where(notice => notice.Deadline >= today && notice.Deadline <= horizon).OrderBy(notice => notice.Deadline).ToList();
        var overdue = awaitingReply.Where(notice => notice.Deadline < today).OrderBy(notice => notice.Deadline).ToList();
        // Staff evaluate a notice once its reply is confirmed by phone, or when its deadline has passed unanswered.
        var followUpsDue = open.Where(notice => notice.Status == NoticeStatus.Confirmed || (notice.Deadline < today && notice.Status != NoticeStatus.Replied))
            .Select(notice => (notice, rounds.GetValueOrDefault(notice.Id)))
            .Where(entry => entry.Item2 < 3)
            .ToList();
        var toSettle = mails.ListToSettle(since);
        var problems = outbound.ListByStatus(OutboundStatus.Failed).Concat(outbound.ListByStatus(OutboundStatus.Bounced))
            .Select(mail => (mail, mail.NoticeId is { } id && byId.TryGetValue(id, out var notice) ? notice.Reference : null))
            .ToList();
        return new DigestContent(today, since, open, newReplies, awaitingPhone, dueSoon, overdue, followUpsDue, toSettle, problems, HealthText.Warnings(health.List(), options.Zone), drops.Intake());
    }
}
