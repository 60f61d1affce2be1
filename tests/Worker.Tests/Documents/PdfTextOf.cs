using UglyToad.PdfPig;

namespace MailIntake.Worker.Tests.Documents;

internal static class PdfTextOf
{
    /// <summary>All letters of the PDF, in content order and without spaces: enough to find a value.</summary>
    public static string Letters(string pdfPath)
    {
        using var document = PdfDocument.Open(pdfPath);
        return string.Concat(document.GetPages().Select(page => page.Text)).Replace(" ", string.Empty, StringComparison.Ordinal);
    }
}
