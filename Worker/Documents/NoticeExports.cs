using MailIntake.Storage;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Documents;

/// <summary>Builds the printable record of a notice (the notice, what came back, the tracking evaluation form) from storage records.</summary>
public static class NoticeExports
{
    public static NoticeExport For(
        Notice notice, NoticeForm form, IReadOnlyList<FollowUp> rounds, IReadOnlyList<Reply> replies, IReadOnlyList<PhoneConfirmation> calls, TimeZoneInfo zone) =>
        new(
            form,
            Labels.Status(notice.Status),
            replies.Select(reply => new ReplySummary(
                reply.ReceivedAt, reply.From, reply.FillerName, reply.FillerPhone, reply.FillerEmail, reply.CompletedOn,
                reply.Evidence.Select(file => (file.FileName, file.Item, file.Size)).ToList())).ToList(),
            calls.Select(call => new PhoneCall(call.By, call.At, call.Result == PhoneResult.Reached ? call.Note : $"{Labels.Phone(call.Result)}{(call.Note is null ? "" : $"：{call.Note}")}")).ToList(),
            rounds.Select(round => new TrackingRound(
                round.Round, round.Result, round.Until, round.SuspendFrom, round.By,
                DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(round.At, zone).DateTime), round.Note)).ToList(),
            zone);
}
