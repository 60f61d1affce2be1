using DocumentFormat.OpenXml.Wordprocessing;

namespace MailIntake.Worker.Documents;

/// <summary>
/// The bordered table of an export page: four columns so a field's text can span three of them
/// and the 追蹤人員/追蹤日期 row can put two pairs side by side, as the paper form does.
/// </summary>
internal static class ExportDocxTable
{
    private const int LabelWidth = 1900;

    public static Table Create(IReadOnlyList<ExportRow> rows, int width)
    {
        static BorderType Line<TBorder>()
            where TBorder : BorderType, new() => new TBorder { Val = BorderValues.Single, Size = 8, Color = "000000" };

        var valueWidth = (width - (2 * LabelWidth)) / 2;
        var table = new Table(
            new TableProperties(
                new TableWidth { Width = ExportDocx.Twips(width), Type = TableWidthUnitValues.Dxa },
                new TableLayout { Type = TableLayoutValues.Fixed },
                new TableBorders(Line<TopBorder>(), Line<LeftBorder>(), Line<BottomBorder>(), Line<RightBorder>(), Line<InsideHorizontalBorder>(), Line<InsideVerticalBorder>()),
                new TableCellMarginDefault(
                    new TopMargin { Width = "60", Type = TableWidthUnitValues.Dxa },
                    new TableCellLeftMargin { Width = 100, Type = TableWidthValues.Dxa },
                    new BottomMargin { Width = "60", Type = TableWidthUnitValues.Dxa },
                    new TableCellRightMargin { Width = 100, Type = TableWidthValues.Dxa })),
            new TableGrid(
                new GridColumn { Width = ExportDocx.Twips(LabelWidth) },
                new GridColumn { Width = ExportDocx.Twips(valueWidth) },
                new GridColumn { Width = ExportDocx.Twips(LabelWidth) },
                new GridColumn { Width = ExportDocx.Twips(width - (2 * LabelWidth) - valueWidth) }));

        foreach (var row in rows)
        {
            table.Append(Row(row, width, valueWidth));
        }

        return table;
    }

    private static TableRow Row(ExportRow row, int width, int valueWidth)
    {
        // A follow-up block or a reply torn across two pages reads as two half-records.
        var properties = new TableRowProperties(new CantSplit());
        return row switch
        {
            ExportSection section => new TableRow(
                properties,
                Cell(width, 4, "D9D9D9", centered: false, ExportDocxParts.Paragraph(section.Text, bold: true, justification: JustificationValues.Center))),
            ExportField field => new TableRow(
                properties,
                Label(field.Label),
                Cell(width - LabelWidth, 3, null, centered: false, [.. field.Lines.Select(ExportDocxParts.Line)])),
            ExportPair pair => new TableRow(
                properties,
                Label(pair.Label),
                Cell(valueWidth, 1, null, centered: true, ExportDocxParts.Paragraph(pair.Value)),
                Label(pair.SecondLabel),
                Cell(width - (2 * LabelWidth) - valueWidth, 1, null, centered: true, ExportDocxParts.Paragraph(pair.SecondValue))),
            _ => throw new ArgumentOutOfRangeException(nameof(row), row, "Unknown row kind."),
        };
    }

    private static TableCell Label(string label) =>
        Cell(LabelWidth, 1, "F2F2F2", centered: true,
            [.. label.Split('\n').Select(line => ExportDocxParts.Paragraph(line, bold: true, justification: JustificationValues.Center))]);

    private static TableCell Cell(int width, int span, string? fill, bool centered, params Paragraph[] paragraphs)
    {
        var properties = new TableCellProperties(new TableCellWidth { Width = ExportDocx.Twips(width), Type = TableWidthUnitValues.Dxa });
        if (span > 1)
        {
            properties.Append(new GridSpan { Val = span });
        }

        if (fill is not null)
        {
            properties.Append(new Shading { Val = ShadingPatternValues.Clear, Fill = fill, Color = "auto" });
        }

        if (centered)
        {
            properties.Append(new TableCellVerticalAlignment { Val = TableVerticalAlignmentValues.Center });
        }

        var cell = new TableCell(properties);

        // Word refuses a cell without a paragraph.
        cell.Append(paragraphs.Length == 0 ? [new Paragraph()] : paragraphs);
        return cell;
    }
}
