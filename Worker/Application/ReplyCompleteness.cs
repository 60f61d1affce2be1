using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>
/// What the form asks the organisation to return, checked against everything filed under the notice so far:
/// the filler's name, phone and address; the returned form itself (the stamped 限期改善單, as a document or scan);
/// an answer for each improvement item (處理情形與說明); the completion date; and the evidence — as this notice asks
/// them (<see cref="NoticeAsks"/>: the paper form's, or the notice's own items).
/// </summary>
public static class ReplyCompleteness
{
    /// <summary>What no reply to this notice has given yet, in the form's order (zh-TW, as told to the organisation and staff).</summary>
    public static IReadOnlyList<string> Missing(Notice notice, IReadOnlyList<Reply> replies)
    {
        var missing = new List<string>();
        if (!replies.Any(reply => reply.FillerName is not null)) missing.Add("填寫人姓名");
        if (!replies.Any(reply => reply.FillerPhone is not null)) missing.Add("填寫人電話");
        if (!replies.Any(reply => reply.FillerEmail is not null)) missing.Add("填寫人電子郵件信箱");
        if (!replies.Any(reply => reply.FormReturned)) missing.Add("蓋印信之限期改善單（填妥之表單檔案或掃描檔）");
        var answered = replies.SelectMany(reply => reply.Answers).Where(answer => !string.IsNullOrWhiteSpace(answer.Text)).Select(answer => answer.Item).ToHashSet();
        var unanswered = Enumerable.Range(1, NoticeAsks.AnsweredItems(notice)).Where(item => !answered.Contains(item)).ToList();
        if (unanswered.Count > 0)
        {
            missing.Add($"改善事項{string.Join("、", unanswered)}之處理情形與說明");
        }

        if (!replies.Any(reply => reply.CompletedOn is not null)) missing.Add("完成改善日期");
        var seen = replies.SelectMany(reply => reply.Evidence).Select(file => file.Item).OfType<int>().ToHashSet();
        var evidence = NoticeAsks.Evidence(notice);
        for (var item = 1; item <= evidence.Count; item++)
        {
            if (!seen.Contains(item))
            {
                missing.Add($"附件{item}（{evidence[item - 1]}）");
            }
        }

        return missing;
    }

    /// <summary>The latest reply that named a filler: the one staff call (a later mail without a filler does not erase it).</summary>
    public static Reply? LatestWithFiller(IReadOnlyList<Reply> replies) =>
        replies.Where(reply => reply.FillerName is not null || reply.FillerPhone is not null).MaxBy(reply => reply.ReceivedAt);

    /// <summary>
    /// Email replies not yet confirmed by a call that reached the organisation, whatever happened to the deadline since:
    /// a reply is confirmed by a reached call recorded about it or about a later reply.
    /// </summary>
    /// <summary>When a reached call confirmed <paramref name="reply"/> (the first about it or a later reply); null while none did.</summary>
    public static DateTimeOffset? ConfirmedAt(Reply reply, IReadOnlyList<Reply> replies, IReadOnlyList<PhoneConfirmation> calls)
    {
        var sinceThis = replies.Where(other => other.ReceivedAt >= reply.ReceivedAt).Select(other => other.MailId).ToHashSet();
        return calls.Where(call => call.Result == PhoneResult.Reached && sinceThis.Contains(call.MailId)).Select(call => (DateTimeOffset?)call.At).Min();
    }

    public static IReadOnlyList<Reply> AwaitingPhone(IReadOnlyList<Reply> replies, IReadOnlyList<PhoneConfirmation> calls)
    {
        var reachedMails = calls.Where(call => call.Result == PhoneResult.Reached).Select(call => call.MailId).ToHashSet();
        var lastConfirmed = replies.Where(reply => reachedMails.Contains(reply.MailId)).Select(reply => (DateTimeOffset?)reply.ReceivedAt).Max();
        return replies.Where(reply => lastConfirmed is null || reply.ReceivedAt > lastConfirmed).ToList();
    }
}
