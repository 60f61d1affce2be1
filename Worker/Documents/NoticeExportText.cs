using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Application;

namespace MailIntake.Worker.Documents;

/// <summary>
/// The first page of the export: the notice exactly as the fillable form words it and as it was sent (the center's
/// part of <see cref="NoticeFormText"/>), then, where the paper leaves the organisation's blanks, what the
/// organisation actually returned (filler, the answers of 處理情形與說明, the evidence by 附件 item) and every phone
/// call about its emailed replies with its result and note.
/// </summary>
internal static class NoticeExportText
{
    private const string NotFilled = "（未填）";

    public static ExportPage Page(NoticeExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        var form = NoticeFormText.Layout(export.Notice);
        var rows = new List<ExportRow>(CenterPart(form.Rows))
        {
            new ExportSection("以下由改善對象填寫（回覆紀錄）"),
            new ExportField("辦理狀態", [Labels.Status(export.Detail.Notice.Status, export.Detail.SuspendFrom)
                + (export.Detail.SuspensionUnreached ? "（中止交換服務通知遭退信，機關尚未收到通知）" : "")]),
        };

        var replies = export.Detail.Replies.OrderBy(reply => reply.ReceivedAt).ToList();
        if (replies.Count == 0)
        {
            rows.Add(new ExportField("回覆郵件", ["（尚未收到回覆）"]));
        }

        for (var index = 0; index < replies.Count; index++)
        {
            var label = replies.Count == 1 ? "回覆郵件" : $"回覆郵件\n（第{index + 1}封）";
            rows.AddRange(Reply(label, export.Detail, replies[index], export.Zone));
        }

        rows.Add(new ExportField("電話確認", PhoneCalls(export.Detail.Calls, export.Zone)));
        return new ExportPage(form.Title, null, form.Heading, rows, []);
    }

    /// <summary>
    /// The center's rows are the first section and its fields; the next section starts the
    /// organisation's blanks, which the export replaces with the recorded replies.
    /// </summary>
    private static IEnumerable<ExportRow> CenterPart(IReadOnlyList<FormRow> rows) =>
        rows.Take(1).Concat(rows.Skip(1).TakeWhile(row => row.Kind != FormRowKind.Section))
            .Select(row => row.Kind == FormRowKind.Section
                ? (ExportRow)new ExportSection(row.Label)
                : new ExportField(row.Label, row.Lines.Select(line => (ExportLine)line).ToList()));

    private static IEnumerable<ExportRow> Reply(string label, NoticeDetail detail, Reply reply, TimeZoneInfo zone)
    {
        var notice = detail.Notice;
        yield return new ExportField(label,
        [
            $"收件時間：{Labels.Arrival(reply.ReceivedAt, reply.CarriedArrival, zone, notice.IssuedAt)}",
            $"寄件者：{reply.From ?? NotFilled}{(detail.SenderElsewhere(reply) is { } elsewhere ? $"（{elsewhere}）" : "")}",
        ]);
        yield return new ExportField("填寫人",
        [
            "姓名/電話/郵件信箱",
            $"{reply.FillerName ?? NotFilled} / {reply.FillerPhone ?? NotFilled} / {reply.FillerEmail ?? NotFilled}",
        ]);
        yield return new ExportField("改善事項處理\n情形與說明", Answers(notice, reply, zone));
        yield return new ExportField("佐證資料", Files(reply.Evidence));
    }

    /// <summary>
    /// What the returned form says under 處理情形與說明: the completion date and each item's answer, as written — a date
    /// that reads as no date repeated as written, and a date that cannot be true marked as doubtful, never filed as fact.
    /// </summary>
    private static List<ExportLine> Answers(Notice notice, Reply reply, TimeZoneInfo zone)
    {
        var lines = new List<ExportLine>
        {
            reply.CompletedOn is { } done ? $"本用戶已於{RocDate.Format(done)}完成以下改善事項：" : $"完成改善日期：{ReplyDates.CompletionText(reply)}",
        };
        if (ReplyDates.CompletionDoubt(notice, reply, zone) is { } doubt)
        {
            lines.Add($"⚠ 日期有疑義：{doubt}，請與機關確認");
        }

        lines.AddRange(reply.Answers.OrderBy(answer => answer.Item)
            .SelectMany(answer => answer.Text.Split('\n').Select((line, index) => (ExportLine)(index == 0 ? $"{answer.Item}. {line}" : line))));
        if (reply.Answers.Count == 0)
        {
            lines.Add(reply.FormReturned ? "（表單未填寫各項處理情形）" : "（未回傳限期改善單表單）");
        }

        return lines;
    }

    private static List<ExportLine> Files(IReadOnlyList<StoredEvidence> files)
    {
        if (files.Count == 0)
        {
            return ["（未附檔案）"];
        }

        // By item, as the form numbers its evidence (附件1…附件4); files the reader could not
        // place last, so a missing item stands out.
        return files
            .OrderBy(file => file.Item ?? int.MaxValue)
            .ThenBy(file => file.FileName, StringComparer.Ordinal)
            .Select(file => (ExportLine)$"{(file.Item is { } item ? $"附件{item}" : "未標項次")}　{file.FileName}（{Labels.Size(file.Size)}）")
            .ToList();
    }

    private static List<ExportLine> PhoneCalls(IReadOnlyList<PhoneConfirmation> calls, TimeZoneInfo zone) =>
        calls.Count == 0
            ? ["（尚無電話確認紀錄）"]
            : calls.OrderBy(call => call.At)
                .Select(call => (ExportLine)$"{Labels.Moment(call.At, zone)}　{call.By}　{Labels.Phone(call.Result)}{(string.IsNullOrWhiteSpace(call.Note) ? "。" : $"：{call.Note}")}")
                .ToList();
}
