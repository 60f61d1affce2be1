using System.Xml.Linq;
using static MailIntake.Worker.Documents.OdfNames;

namespace MailIntake.Worker.Documents;

/// <summary>Styles for the form: shared by styles.xml and the automatic styles of content.xml.</summary>
internal static class OdfStyles
{
    // Microsoft JhengHei on Windows; elsewhere the zh-TW language tag picks a CJK substitute.
    private const string Font = "Microsoft JhengHei";
    private const string Border = "0.5pt solid #000000";

    public static IEnumerable<XAttribute> NamespaceDeclarations() =>
    [
        new(XNamespace.Xmlns + "office", Office),
        new(XNamespace.Xmlns + "style", Style),
        new(XNamespace.Xmlns + "text", Text),
        new(XNamespace.Xmlns + "table", Table),
        new(XNamespace.Xmlns + "fo", Fo),
        new(XNamespace.Xmlns + "svg", Svg),
    ];

    public static XElement FontFaces() =>
        new(Office + "font-face-decls",
            new XElement(Style + "font-face",
                new XAttribute(Style + "name", Font),
                new XAttribute(Svg + "font-family", $"'{Font}'"),
                new XAttribute(Style + "font-family-generic", "swiss")));

    public static XElement Document() =>
        new(Office + "document-styles",
            NamespaceDeclarations(),
            new XAttribute(Office + "version", "1.3"),
            FontFaces(),
            new XElement(Office + "styles",
                new XElement(Style + "default-style",
                    new XAttribute(Style + "family", "paragraph"),
                    new XElement(Style + "paragraph-properties", new XAttribute(Fo + "line-height", "125%")),
                    TextProperties("10.5pt", bold: false,
                        new XAttribute(Style + "font-name", Font),
                        new XAttribute(Style + "font-name-asian", Font),
                        new XAttribute(Fo + "language", "en"),
                        new XAttribute(Fo + "country", "US"),
                        new XAttribute(Style + "language-asian", "zh"),
                        new XAttribute(Style + "country-asian", "TW"))),
                new XElement(Style + "style",
                    new XAttribute(Style + "name", "Standard"),
                    new XAttribute(Style + "family", "paragraph"))),
            new XElement(Office + "automatic-styles",
                new XElement(Style + "page-layout",
                    new XAttribute(Style + "name", "A4"),
                    new XElement(Style + "page-layout-properties",
                        new XAttribute(Fo + "page-width", "21cm"),
                        new XAttribute(Fo + "page-height", "29.7cm"),
                        new XAttribute(Style + "print-orientation", "portrait"),
                        new XAttribute(Fo + "margin-top", "2cm"),
                        new XAttribute(Fo + "margin-bottom", "2cm"),
                        new XAttribute(Fo + "margin-left", "2cm"),
                        new XAttribute(Fo + "margin-right", "2cm")))),
            new XElement(Office + "master-styles",
                new XElement(Style + "master-page",
                    new XAttribute(Style + "name", "Standard"),
                    new XAttribute(Style + "page-layout-name", "A4"))));

    public static XElement Automatic(params XElement[] extra) =>
        new(Office + "automatic-styles",
            StyleOf("Form", "table", new XElement(Style + "table-properties",
                new XAttribute(Style + "width", "17cm"), new XAttribute(Table + "align", "left"))),
            StyleOf("Form.Label", "table-column", new XElement(Style + "table-column-properties", new XAttribute(Style + "column-width", "3.7cm"))),
            StyleOf("Form.Content", "table-column", new XElement(Style + "table-column-properties", new XAttribute(Style + "column-width", "13.3cm"))),
            StyleOf("SealRow", "table-row", new XElement(Style + "table-row-properties", new XAttribute(Style + "min-row-height", "4cm"))),
            CellStyle("SectionCell", "#d9d9d9"),
            CellStyle("LabelCell", "#f2f2f2"),
            CellStyle("ContentCell", null),
            ParagraphStyle("Title", "center", TextProperties("16pt", bold: true)),
            ParagraphStyle("Heading", "end", null),
            ParagraphStyle("Label", "center", TextProperties("10.5pt", bold: true)),
            ParagraphStyle("Note", "start", TextProperties("9pt", bold: false)),
            extra);

    /// <summary>The export pages' own styles: four columns, options hanging after their box, underlined blanks, page breaks.</summary>
    public static XElement[] Export() =>
    [
        StyleOf("Export", "table", new XElement(Style + "table-properties",
            new XAttribute(Style + "width", "17cm"), new XAttribute(Table + "align", "left"))),
        StyleOf("Export.Label", "table-column", new XElement(Style + "table-column-properties", new XAttribute(Style + "column-width", "3.4cm"))),
        StyleOf("Export.Value", "table-column", new XElement(Style + "table-column-properties", new XAttribute(Style + "column-width", "5.1cm"))),
        StyleOf("Blank", "text", new XElement(Style + "text-properties",
            new XAttribute(Style + "text-underline-style", "solid"),
            new XAttribute(Style + "text-underline-width", "auto"),
            new XAttribute(Style + "text-underline-color", "font-color"))),
        new XElement(Style + "style",
            new XAttribute(Style + "name", "Option"),
            new XAttribute(Style + "family", "paragraph"),
            new XAttribute(Style + "parent-style-name", "Standard"),
            new XElement(Style + "paragraph-properties", new XAttribute(Fo + "margin-left", "0.6cm"), new XAttribute(Fo + "text-indent", "-0.6cm"))),
        new XElement(Style + "style",
            new XAttribute(Style + "name", "TitleOnNewPage"),
            new XAttribute(Style + "family", "paragraph"),
            new XAttribute(Style + "parent-style-name", "Standard"),
            new XElement(Style + "paragraph-properties", new XAttribute(Fo + "text-align", "center"), new XAttribute(Fo + "break-before", "page")),
            TextProperties("16pt", bold: true)),
        ParagraphStyle("Value", "center", null),
    ];

    private static XElement StyleOf(string name, string family, params object[] content) =>
        new(Style + "style", new XAttribute(Style + "name", name), new XAttribute(Style + "family", family), content);

    private static XElement CellStyle(string name, string? background) =>
        StyleOf(name, "table-cell", new XElement(Style + "table-cell-properties",
            background is null ? null : new XAttribute(Fo + "background-color", background),
            new XAttribute(Fo + "border", Border),
            new XAttribute(Fo + "padding", "0.1cm"),
            new XAttribute(Style + "vertical-align", background is null ? "top" : "middle")));

    private static XElement ParagraphStyle(string name, string align, XElement? textProperties) =>
        new(Style + "style",
            new XAttribute(Style + "name", name),
            new XAttribute(Style + "family", "paragraph"),
            new XAttribute(Style + "parent-style-name", "Standard"),
            new XElement(Style + "paragraph-properties", new XAttribute(Fo + "text-align", align)),
            textProperties);

    private static XElement TextProperties(string size, bool bold, params XAttribute[] extra) =>
        new(Style + "text-properties",
            new XAttribute(Fo + "font-size", size),
            new XAttribute(Style + "font-size-asian", size),
            bold ? new XAttribute(Fo + "font-weight", "bold") : null,
            bold ? new XAttribute(Style + "font-weight-asian", "bold") : null,
            extra);
}
