using MailIntake.Worker.Application;

namespace MailIntake.Worker.Cli;

/// <summary>`notice show` for people (zh-TW): the notice, what was sent, the replies and their evidence, calls, rounds, the timeline.</summary>
public static class NoticeText
{
    public static void Write(TextWriter output, NoticeDetail detail, TimeZoneInfo zone)
    {
        var notice = detail.Notice;
        string At(DateTimeOffset instant) => Labels.Moment(instant, zone);
        output.WriteLine($"限期改善單 {notice.Reference}（{Labels.Status(notice.Status, detail.SuspendFrom)}）"
            + (detail.SuspensionUnreached ? "　⚠ 中止交換服務通知遭退信，機關尚未收到通知" : ""));
        output.WriteLine($"  機關：{notice.OrgCode} {notice.OrgName}");
        output.WriteLine($"  電腦 IP：{notice.HostIp}　惡意 IP：{string.Join("、", notice.MaliciousIps)}");
        output.WriteLine($"  事件期間：{Labels.Date(notice.IncidentFrom)}至{Labels.Date(notice.IncidentTo)}");
        output.WriteLine(notice.Deadline == notice.DeadlineIssued
            ? $"  改善期限：{Labels.Date(notice.Deadline)}"
            : $"  改善期限：{Labels.Date(notice.Deadline)}（展延；原改善期限{Labels.Date(notice.DeadlineIssued)}）");
        output.WriteLine($"  開立時間：{At(notice.IssuedAt)}");
        output.WriteLine($"  尚待補充：{(detail.Missing.Count == 0 ? "無" : string.Join("、", detail.Missing))}");
        output.WriteLine($"寄出郵件（{detail.Outbound.Count}）：");
        foreach (var mail in detail.Outbound)
        {
            output.WriteLine($"  {Labels.Outbound(mail.Kind)} → {string.Join("、", mail.To)}　{Labels.Delivery(mail.Status)}{(mail.PartlyBounced ? $"（寄給 {string.Join("、", mail.BouncedTo)} 者{Labels.Delivery(Storage.OutboundStatus.Bounced)}）" : "")}{(mail.SentAt is { } sent ? $"　{At(sent)}" : "")}{(mail.LastError is null ? "" : $"　錯誤：{mail.LastError}")}");
        }

        output.WriteLine($"回覆（{detail.Replies.Count}）：");
        foreach (var reply in detail.Replies)
        {
            var awaiting = detail.AwaitingPhone.Contains(reply) ? "　待電話確認" : detail.Unconfirmed.Contains(reply) ? "　未經電話確認" : "";
            output.WriteLine($"  郵件 #{reply.MailId} 來自 {reply.From}{(detail.SenderElsewhere(reply) is { } elsewhere ? $"（{elsewhere}）" : "")}　{Labels.Arrival(reply.ReceivedAt, reply.CarriedArrival, zone, notice.IssuedAt)}　比對方式：{Labels.Method(reply.MatchedBy)}{awaiting}");
            output.WriteLine($"    填寫人：{reply.FillerName ?? "（未填）"} / {reply.FillerPhone ?? "（未填）"} / {reply.FillerEmail ?? "（未填）"}　完成改善日期：{ReplyDates.CompletionText(reply)}　限期改善單表單：{(reply.FormReturned ? "已附" : "未附")}");
            if (ReplyDates.CompletionDoubt(notice, reply, zone) is { } doubt)
            {
                output.WriteLine($"    ⚠ 日期有疑義：{doubt}，請與機關確認");
            }
            if (reply.Answers.Count > 0)
            {
                output.WriteLine("    改善事項處理情形與說明：");
                foreach (var answer in reply.Answers.OrderBy(answer => answer.Item))
                {
                    var lines = answer.Text.Split('\n');
                    output.WriteLine($"      {answer.Item}. {lines[0]}");
                    foreach (var line in lines.Skip(1))
                    {
                        output.WriteLine($"         {line}");
                    }
                }
            }

            foreach (var file in reply.Evidence)
            {
                var item = file.Item is { } number ? $"附件{number}" : "未標項次";
                var flags = file.Flags.Count > 0 ? $"　⚠ {EvidenceFlagLabels.Join(file.Flags)}" : "";
                output.WriteLine($"    {item}　{file.FileName}　{Labels.Size(file.Size)}　sha256 {file.Sha256}{flags}");
            }
        }

        output.WriteLine($"電話確認（{detail.Calls.Count}）：");
        foreach (var call in detail.Calls)
        {
            output.WriteLine($"  {At(call.At)}　{call.By}　{Labels.Phone(call.Result)}　郵件 #{call.MailId}{(call.Note is null ? "" : $"　{call.Note}")}");
        }

        output.WriteLine($"追蹤（{detail.Rounds.Count} / {NoticeStateMachine.MaxRounds}）：");
        foreach (var round in detail.Rounds)
        {
            output.WriteLine($"  第 {round.Round} 次　{RecordFollowUp.Detail(round)}　{round.By}　{At(round.At)}");
            if (!string.IsNullOrWhiteSpace(round.Note) && !RecordFollowUp.Detail(round).Contains(round.Note, StringComparison.Ordinal))
            {
                output.WriteLine($"    追蹤說明：{round.Note}");
            }
        }

        output.WriteLine("歷程：");
        foreach (var entry in detail.Timeline)
        {
            output.WriteLine($"  {At(entry.At)}　{Labels.Event(entry.Event)}　{entry.Detail}");
        }
    }
}
