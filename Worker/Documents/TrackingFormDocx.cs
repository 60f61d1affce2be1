namespace MailIntake.Worker.Documents;

/// <summary>
/// Only the tracking evaluation form (追蹤評估表) as a Word document: the Archives report of a
/// suspension attaches it beside the notice, as the paper process sends both.
/// </summary>
public static class TrackingFormDocx
{
    public static byte[] Create(NoticeExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        return ExportDocx.Create(
            $"{NoticeFormText.Title}{TrackingFormText.Subtitle} {export.Notice.Reference}",
            [TrackingFormText.Page(export)]);
    }
}
