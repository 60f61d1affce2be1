namespace MailIntake.Worker.Documents;

/// <summary>
/// A piece of a line. <see cref="Underlined"/> marks a blank of the paper form, empty or filled
/// in, so a printed value sits on its line the way a handwritten one would.
/// </summary>
internal sealed record ExportSpan(string Text, bool Underlined = false);

/// <summary>
/// One paragraph. <see cref="Ticked"/> is null for plain text and true/false for a check-box
/// option of the tracking form: the writers draw the box and hang the wrapped text after it.
/// </summary>
internal sealed record ExportLine(IReadOnlyList<ExportSpan> Spans, bool? Ticked = null)
{
    public const string TickedBox = "■";
    public const string EmptyBox = "□";

    public string Text => string.Concat(Spans.Select(span => span.Text));

    public static implicit operator ExportLine(string text) => new([new ExportSpan(text)]);
}

/// <summary>A row of a page's table.</summary>
internal abstract record ExportRow;

/// <summary>A shaded row across the table that says whose part follows.</summary>
internal sealed record ExportSection(string Text) : ExportRow;

/// <summary>A label on the left (lines split on '\n') and its paragraphs across the rest of the row.</summary>
internal sealed record ExportField(string Label, IReadOnlyList<ExportLine> Lines) : ExportRow;

/// <summary>Two label/value pairs side by side, like the form's 追蹤人員 … 追蹤日期 … row.</summary>
internal sealed record ExportPair(string Label, string Value, string SecondLabel, string SecondValue) : ExportRow;

/// <summary>
/// One printed page of the export, shared by the HTML and .docx writers so both carry exactly
/// the same words.
/// </summary>
internal sealed record ExportPage(
    string Title,
    string? Subtitle,
    string Heading,
    IReadOnlyList<ExportRow> Rows,
    IReadOnlyList<string> Notes);
