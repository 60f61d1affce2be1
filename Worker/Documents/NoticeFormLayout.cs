namespace MailIntake.Worker.Documents;

/// <summary>How a row of the form's table is drawn.</summary>
internal enum FormRowKind
{
    /// <summary>A shaded row across both columns that says who fills in what follows.</summary>
    Section,

    /// <summary>A label on the left, its paragraphs on the right.</summary>
    Field,

    /// <summary>A label on the left and a tall empty box for the organisation's seal.</summary>
    Seal,
}

/// <summary>One row of the form's table; an empty line is an empty paragraph (room to write).</summary>
internal sealed record FormRow(FormRowKind Kind, string Label, IReadOnlyList<string> Lines);

/// <summary>
/// The form as words and rows, shared by the .docx and .odt writers so both carry exactly the
/// same text and a returned form reads the same whichever format the organisation used.
/// </summary>
internal sealed record NoticeFormLayout(
    string Title,
    string Heading,
    IReadOnlyList<FormRow> Rows,
    IReadOnlyList<string> Notes);
