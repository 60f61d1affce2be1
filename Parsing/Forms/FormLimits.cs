namespace MailIntake.Parsing;

/// <summary>
/// Hard limits for reading attachments from strangers: a returned form is a few kilobytes of
/// text, so anything far larger is treated as hostile (a zip or stream bomb) and not read.
/// </summary>
public static class FormLimits
{
    public const long MaxInputBytes = 50L * 1024 * 1024;

    /// <summary>Per zip entry (docx/odt XML) and per decoded PDF stream.</summary>
    public const long MaxDecompressedBytes = 64L * 1024 * 1024;

    /// <summary>All PDF streams of one document together, so 200 pages of 60 MB each do not pass.</summary>
    public const long MaxPdfDecodedBytesTotal = 256L * 1024 * 1024;

    public const int MaxPdfPages = 200;

    /// <summary>Extracted text; a real form is some ten thousand characters.</summary>
    public const int MaxTextChars = 4 * 1024 * 1024;
}

/// <summary>Thrown inside the extractors when a limit is crossed; FormTextExtractor turns it into null.</summary>
internal sealed class FormLimitExceededException(string message) : Exception(message);
