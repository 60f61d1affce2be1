using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace MailIntake.Worker.Documents;

/// <summary>
/// Writes export pages into one A4 Word document, each page after a page break. Shared by the
/// full export and the tracking form alone so the Archives get the very page staff print.
/// </summary>
internal static class ExportDocx
{
    // LibreOffice on Linux (the worker's host and CI) has Noto Sans CJK TC from fonts-noto-cjk;
    // the font table names Microsoft JhengHei as its alternative for Word on Windows.
    public const string Font = "Noto Sans CJK TC";
    private const string WindowsFont = "Microsoft JhengHei";

    private const int PageWidth = 11906;
    private const int PageHeight = 16838;
    private const int Margin = 1134;

    public static byte[] Create(string title, IReadOnlyList<ExportPage> pages)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            document.PackageProperties.Title = title;
            var main = document.AddMainDocumentPart();
            main.AddNewPart<StyleDefinitionsPart>().Styles = DefaultStyles();
            main.AddNewPart<FontTablePart>().Fonts = new Fonts(
                new DocumentFormat.OpenXml.Wordprocessing.Font(new AltName { Val = WindowsFont }, new FontCharSet { Val = "88" }) { Name = Font });

            var body = new Body();
            for (var index = 0; index < pages.Count; index++)
            {
                Page(body, pages[index], breakBefore: index > 0);
            }

            body.Append(new SectionProperties(
                new PageSize { Width = PageWidth, Height = PageHeight },
                new PageMargin { Top = Margin, Bottom = Margin, Left = Margin, Right = Margin, Header = 567, Footer = 567, Gutter = 0 }));
            main.Document = new Document(body);
        }

        return stream.ToArray();
    }

    private static void Page(Body body, ExportPage page, bool breakBefore)
    {
        body.Append(ExportDocxParts.Paragraph(page.Title, bold: true, size: 32, justification: JustificationValues.Center, pageBreakBefore: breakBefore));
        if (page.Subtitle is not null)
        {
            body.Append(ExportDocxParts.Paragraph(page.Subtitle, bold: true, size: 32, justification: JustificationValues.Center));
        }

        body.Append(ExportDocxParts.Paragraph(page.Heading, justification: JustificationValues.Right));
        body.Append(ExportDocxTable.Create(page.Rows, PageWidth - (2 * Margin)));
        foreach (var note in page.Notes)
        {
            body.Append(ExportDocxParts.Paragraph(note, size: 18));
        }
    }

    private static Styles DefaultStyles() =>
        new(new DocDefaults(
            new RunPropertiesDefault(new RunPropertiesBaseStyle(
                // The east-Asian hint makes shared symbols such as □ and ■ use the CJK font too.
                new RunFonts { Ascii = Font, HighAnsi = Font, EastAsia = Font, ComplexScript = Font, Hint = FontTypeHintValues.EastAsia },
                new FontSize { Val = "21" },
                new Languages { Val = "en-US", EastAsia = "zh-TW" })),
            // Tighter than the fillable form (300): the export is read, not written on, and the
            // notice with one reply should fit its first page.
            new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                new SpacingBetweenLines { After = "0", Line = "264", LineRule = LineSpacingRuleValues.Auto }))));

    public static string Twips(int value) => value.ToString(CultureInfo.InvariantCulture);
}
