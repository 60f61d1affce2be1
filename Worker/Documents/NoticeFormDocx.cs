using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace MailIntake.Worker.Documents;

/// <summary>The fillable notice form as a Word document (.docx), for organisations on Microsoft Office.</summary>
public static class NoticeFormDocx
{
    // Microsoft JhengHei ships with every Traditional Chinese Windows; elsewhere the zh-TW
    // language tag lets Word or LibreOffice substitute a CJK font that has the glyphs.
    private const string Font = "Microsoft JhengHei";

    // Twentieths of a point: A4 with 2 cm margins leaves 9638 twips for the table.
    private const int PageWidth = 11906;
    private const int PageHeight = 16838;
    private const int Margin = 1134;
    private const int LabelWidth = 2100;
    private const int ContentWidth = PageWidth - (2 * Margin) - LabelWidth;
    private const uint SealHeight = 2268;

    public static byte[] Create(NoticeForm form)
    {
        var layout = NoticeFormText.Layout(form);
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            document.PackageProperties.Title = $"{layout.Title} {form.Reference}";
            var main = document.AddMainDocumentPart();
            main.AddNewPart<StyleDefinitionsPart>().Styles = DefaultStyles();

            var body = new Body();
            body.Append(Paragraph(layout.Title, bold: true, size: 32, justification: JustificationValues.Center));
            body.Append(Paragraph(layout.Heading, justification: JustificationValues.Right));
            body.Append(Table(layout.Rows));
            foreach (var note in layout.Notes)
            {
                body.Append(Paragraph(note, size: 18));
            }

            body.Append(new SectionProperties(
                new PageSize { Width = PageWidth, Height = PageHeight },
                new PageMargin { Top = Margin, Bottom = Margin, Left = Margin, Right = Margin, Header = 567, Footer = 567, Gutter = 0 }));
            main.Document = new Document(body);
        }

        return stream.ToArray();
    }

    private static Styles DefaultStyles() =>
        new(new DocDefaults(
            new RunPropertiesDefault(new RunPropertiesBaseStyle(
                new RunFonts { Ascii = Font, HighAnsi = Font, EastAsia = Font, ComplexScript = Font },
                new FontSize { Val = "21" },
                new Languages { Val = "en-US", EastAsia = "zh-TW" })),
            new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                new SpacingBetweenLines { After = "0", Line = "300", LineRule = LineSpacingRuleValues.Auto }))));

    private static Table Table(IReadOnlyList<FormRow> rows)
    {
        static BorderType Line<TBorder>()
            where TBorder : BorderType, new() => new TBorder { Val = BorderValues.Single, Size = 8, Color = "000000" };

        var table = new Table(
            new TableProperties(
                new TableWidth { Width = (LabelWidth + ContentWidth).ToString(System.Globalization.CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
                new TableLayout { Type = TableLayoutValues.Fixed },
                new TableBorders(Line<TopBorder>(), Line<LeftBorder>(), Line<BottomBorder>(), Line<RightBorder>(), Line<InsideHorizontalBorder>(), Line<InsideVerticalBorder>()),
                new TableCellMarginDefault(
                    new TopMargin { Width = "60", Type = TableWidthUnitValues.Dxa },
                    new TableCellLeftMargin { Width = 100, Type = TableWidthValues.Dxa },
                    new BottomMargin { Width = "60", Type = TableWidthUnitValues.Dxa },
                    new TableCellRightMargin { Width = 100, Type = TableWidthValues.Dxa })),
            new TableGrid(new GridColumn { Width = Twips(LabelWidth) }, new GridColumn { Width = Twips(ContentWidth) }));

        foreach (var row in rows)
        {
            table.Append(row.Kind switch
            {
                FormRowKind.Section => SectionRow(row.Label),
                FormRowKind.Seal => FieldRow(row.Label, [string.Empty], SealHeight),
                _ => FieldRow(row.Label, row.Lines, null),
            });
        }

        return table;
    }

    private static TableRow SectionRow(string text) =>
        new(new TableCell(
            new TableCellProperties(
                new TableCellWidth { Width = Twips(LabelWidth + ContentWidth), Type = TableWidthUnitValues.Dxa },
                new GridSpan { Val = 2 },
                new Shading { Val = ShadingPatternValues.Clear, Fill = "D9D9D9", Color = "auto" }),
            Paragraph(text, bold: true, justification: JustificationValues.Center)));

    private static TableRow FieldRow(string label, IReadOnlyList<string> lines, uint? minimumHeight)
    {
        var row = new TableRow();
        if (minimumHeight is { } height)
        {
            row.Append(new TableRowProperties(new TableRowHeight { Val = height, HeightType = HeightRuleValues.AtLeast }));
        }

        row.Append(new TableCell(
            new TableCellProperties(
                new TableCellWidth { Width = Twips(LabelWidth), Type = TableWidthUnitValues.Dxa },
                new Shading { Val = ShadingPatternValues.Clear, Fill = "F2F2F2", Color = "auto" },
                new TableCellVerticalAlignment { Val = TableVerticalAlignmentValues.Center }),
            Paragraph(label, bold: true, justification: JustificationValues.Center)));

        var content = new TableCell(new TableCellProperties(
            new TableCellWidth { Width = Twips(ContentWidth), Type = TableWidthUnitValues.Dxa }));
        content.Append(lines.Count == 0 ? [Paragraph(string.Empty)] : lines.Select(line => Paragraph(line)));
        row.Append(content);
        return row;
    }

    private static Paragraph Paragraph(string text, bool bold = false, int? size = null, JustificationValues? justification = null)
    {
        var paragraph = new Paragraph();
        if (justification is { } value)
        {
            paragraph.Append(new ParagraphProperties(new Justification { Val = value }));
        }

        if (text.Length == 0)
        {
            return paragraph;
        }

        var properties = new RunProperties();
        if (bold)
        {
            properties.Append(new Bold());
        }

        if (size is { } halfPoints)
        {
            properties.Append(new FontSize { Val = halfPoints.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        paragraph.Append(new Run(properties, new Text(Application.PrintableText.ForDocument(text)) { Space = SpaceProcessingModeValues.Preserve }));
        return paragraph;
    }

    private static string Twips(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
