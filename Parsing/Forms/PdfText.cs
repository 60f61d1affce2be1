using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Filters;

namespace MailIntake.Parsing;

/// <summary>The text layer of a PDF, page by page in reading order; a scanned PDF has none.</summary>
internal static class PdfText
{
    public static string? Read(byte[] data)
    {
        var options = new ParsingOptions
        {
            UseLenientParsing = true,
            SkipMissingFonts = true,
            FilterProvider = new BoundedFilterProvider(DefaultFilterProvider.Instance),
        };

        using var document = PdfDocument.Open(data, options);
        if (document.NumberOfPages > FormLimits.MaxPdfPages)
        {
            throw new FormLimitExceededException($"The PDF has {document.NumberOfPages} pages.");
        }

        var text = new TextBuffer();
        foreach (var page in document.GetPages())
        {
            text.Append(ContentOrderTextExtractor.GetText(page));
            text.EndLine();
        }

        return text.ToText();
    }
}
