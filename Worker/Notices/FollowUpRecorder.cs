using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Cli;
using MailIntake.Worker.Outbound;

namespace MailIntake.Worker.Notices;

public sealed record FollowUpRequest(string Result, string By, DateOnly? Until, DateOnly? SuspendFrom, string? Note, DateTimeOffset? At);

/// <summary>
/// The tracking evaluation form's rules (追蹤評估表): rounds 1 and 2 are completed | extended (until a new deadline) |
/// suspended (from a date) | other (a note); round 3 is completed | suspended; no fourth round; a completed or
/// suspended notice takes no more. A refusal changes nothing.
/// </summary>
public sealed class FollowUpRecorder(
    NoticeRepository notices,
    FollowUpRepository followUps,
    ReplyRepository replies,
    SuspensionMailer suspensions,
    TimeProvider time)
{
    public const int MaxRounds = 3;

    public (Notice Notice, int Round) Record(Notice notice, FollowUpRequest request)
    {
        if (!NoticeStatus.IsOpen(notice.Status))
        {
            throw new CliException($"限期改善單 {notice.Reference} 目前為「{NoticeCommands.StatusLabel(notice.Status)}」，不再追蹤");
        }

        var round = followUps.ListFollowUps(notice.Id).Count + 1;
        if (round > MaxRounds)
        {
            throw new CliException($"限期改善單 {notice.Reference} 已追蹤 {MaxRounds} 次，不能再追蹤");
        }

        Validate(round, request);
        var now = time.GetUtcNow();
        var at = request.At ?? now;
        var followUp = new FollowUp(round, request.Result, request.Until, request.SuspendFrom, request.By, at, request.Note);
        var (status, detail) = request.Result switch
        {
            FollowUpResult.Completed => (NoticeStatus.Completed, "改善完成"),
            FollowUpResult.Extended => (NoticeStatus.Extended, $"尚未完成，再給予改善期限至{RocDate.Format(request.Until!.Value)}"),
            FollowUpResult.Suspended => (NoticeStatus.Suspended, $"尚未完成，自{RocDate.Format(request.SuspendFrom!.Value)}起中止交換服務"),
            _ => (notice.Status, $"其他：{request.Note}"),
        };
        followUps.AddFollowUp(notice.Id, followUp, status, $"第 {round} 次追蹤（{request.By}）：{detail}", now);
        var updated = notices.Get(notice.Id)!;
        if (request.Result == FollowUpResult.Suspended)
        {
            suspensions.Queue(updated, request.SuspendFrom!.Value, followUps.ListFollowUps(notice.Id), replies.ListForNotice(notice.Id), followUps.ListConfirmations(notice.Id));
        }

        return (updated, round);
    }

    private static void Validate(int round, FollowUpRequest request)
    {
        string[] allowed = round == MaxRounds
            ? [FollowUpResult.Completed, FollowUpResult.Suspended]
            : [FollowUpResult.Completed, FollowUpResult.Extended, FollowUpResult.Suspended, FollowUpResult.Other];
        if (!allowed.Contains(request.Result))
        {
            throw new CliException($"第 {round} 次追蹤只能是 {string.Join("、", allowed)}");
        }

        if (string.IsNullOrWhiteSpace(request.By))
        {
            throw new CliException("--by 必須填寫追蹤人員", 2);
        }

        switch (request.Result)
        {
            case FollowUpResult.Extended when request.Until is null:
                throw new CliException("extended 需要 --until（新的改善期限）", 2);
            case FollowUpResult.Suspended when request.SuspendFrom is null:
                throw new CliException("suspended 需要 --suspend-from（中止交換服務日期）", 2);
            case FollowUpResult.Other when string.IsNullOrWhiteSpace(request.Note):
                throw new CliException("other 需要 --note（說明）", 2);
        }
    }
}
