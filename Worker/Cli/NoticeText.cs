using MailIntake.Parsing;
using MailIntake.Storage;

namespace MailIntake.Worker.Cli;

/// <summary>`notice show` for people: the notice, what was sent, the replies and their evidence, the timeline.</summary>
public static class NoticeText
{
    public static void Write(
        TextWriter output, Notice notice, IReadOnlyList<OutboundMail> outbound, IReadOnlyList<Reply> replies,
        IReadOnlyList<PhoneConfirmation> confirmations, IReadOnlyList<FollowUp> followUps,
        IReadOnlyList<TimelineEntry> timeline, TimeZoneInfo zone)
    {
        output.WriteLine($"限期改善單 {notice.Reference}（{NoticeCommands.StatusLabel(notice.Status)}）");
        output.WriteLine($"  機關：{notice.OrgCode} {notice.OrgName}");
        output.WriteLine($"  電腦 IP：{notice.HostIp}　惡意 IP：{string.Join("、", notice.MaliciousIps)}");
        output.WriteLine($"  事件期間：{RocDate.Format(notice.IncidentFrom)}至{RocDate.Format(notice.IncidentTo)}");
        output.WriteLine($"  改善期限：{RocDate.Format(notice.Deadline)}");
        output.WriteLine($"  開立時間：{CliValues.Instant(notice.IssuedAt, zone)}");
        output.WriteLine($"寄出郵件（{outbound.Count}）：");
        foreach (var mail in outbound)
        {
            output.WriteLine($"  {OutboundKinds.Label(mail.Kind)} → {string.Join("、", mail.To)}　{mail.Status}　{CliValues.Instant(mail.SentAt, zone)}{(mail.LastError is null ? "" : $"　錯誤：{mail.LastError}")}");
        }

        output.WriteLine($"回覆（{replies.Count}）：");
        foreach (var reply in replies)
        {
            output.WriteLine($"  郵件 #{reply.MailId} 來自 {reply.From}　{CliValues.Instant(reply.ReceivedAt, zone)}　比對方式 {reply.MatchedBy}");
            output.WriteLine($"    填寫人：{reply.FillerName ?? "（未填）"} / {reply.FillerPhone ?? "（未填）"} / {reply.FillerEmail ?? "（未填）"}　完成日期：{(reply.CompletedOn is { } done ? RocDate.Format(done) : "（未填）")}");
            foreach (var file in reply.Evidence)
            {
                var item = file.Item is { } number ? $"附件{number}" : "未標項次";
                var flags = file.Flags.Count > 0 ? $"　⚠ {string.Join(",", file.Flags)}" : "";
                output.WriteLine($"    {item}　{file.FileName}　{file.Size} bytes　sha256 {file.Sha256}{flags}");
            }
        }

        output.WriteLine($"電話確認（{confirmations.Count}）：");
        foreach (var call in confirmations)
        {
            output.WriteLine($"  {CliValues.Instant(call.At, zone)}　{call.By}　郵件 #{call.MailId}{(call.Note is null ? "" : $"　{call.Note}")}");
        }

        output.WriteLine($"追蹤（{followUps.Count} / 3）：");
        foreach (var round in followUps)
        {
            var detail = round.Result switch
            {
                FollowUpResult.Extended => $"展延至 {RocDate.Format(round.Until!.Value)}",
                FollowUpResult.Suspended => $"自 {RocDate.Format(round.SuspendFrom!.Value)} 起中止交換服務",
                FollowUpResult.Completed => "改善完成",
                _ => $"其他：{round.Note}",
            };
            output.WriteLine($"  第 {round.Round} 次　{detail}　{round.By}　{CliValues.Instant(round.At, zone)}");
        }

        output.WriteLine("歷程：");
        foreach (var entry in timeline)
        {
            output.WriteLine($"  {CliValues.Instant(entry.At, zone)}　{entry.Event}　{entry.Detail}");
        }
    }
}
