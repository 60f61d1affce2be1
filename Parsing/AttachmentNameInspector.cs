using System.Text;
using System.Text.RegularExpressions;

namespace MailIntake.Parsing;

/// <summary>
/// Turns a decoded attachment file name into a safe display name and reports what was wrong
/// with it. Names come from strangers' mail clients, so they may carry paths, device names or
/// right-to-left overrides that disguise an executable as a PDF.
/// </summary>
public static partial class AttachmentNameInspector
{
    private const int MaxLength = 200;

    // An extension longer than this is more likely part of a sentence than a file type,
    // so truncation keeps it in the stem instead of preserving it.
    private const int MaxPreservedExtensionLength = 16;

    private const string PathFlag = "path";
    private const string ControlCharactersFlag = "control-characters";
    private const string RtlOverrideFlag = "rtl-override";
    private const string DeviceNameFlag = "device-name";
    private const string LongNameFlag = "long-name";
    private const string NoNameFlag = "no-name";
    private const string ExecutableFlag = "executable";
    private const string DoubleExtensionFlag = "double-extension";

    private static readonly HashSet<string> DeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
    };

    private static readonly HashSet<string> ExecutableExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".exe", ".bat", ".cmd", ".com", ".js", ".jse", ".vbs", ".vbe", ".wsf", ".scr", ".ps1",
        ".msi", ".dll", ".lnk", ".hta", ".jar", ".pif", ".cpl",
    };

    private static readonly HashSet<string> DocumentExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".pdf", ".doc", ".docx", ".odt", ".ods", ".xls", ".xlsx", ".csv", ".ppt", ".pptx", ".rtf",
        ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".txt", ".log", ".htm", ".html",
        ".zip", ".rar", ".7z",
    };

    private static readonly Dictionary<char, int> ChineseNumerals = new()
    {
        ['一'] = 1, ['二'] = 2, ['三'] = 3, ['四'] = 4,
        ['壹'] = 1, ['貳'] = 2, ['貮'] = 2, ['參'] = 3, ['叁'] = 3, ['肆'] = 4,
    };

    [GeneratedRegex(@"^[A-Za-z]:", RegexOptions.CultureInvariant)]
    private static partial Regex DriveLetter();

    // Captures the whole number so that 附件12 reads as 12 (not an item) rather than 1, and
    // 附件八 (the notice form itself) as a numeral outside 1..4.
    [GeneratedRegex(
        @"附件\s*[-_]?\s*[(\[]?\s*(?:(?<digits>[0-9]+)|(?<numeral>[一二三四五六七八九十壹貳貮參叁肆伍陸柒捌玖拾]))",
        RegexOptions.CultureInvariant)]
    private static partial Regex ItemReference();

    /// <summary>
    /// The English placeholder MimeKit and Outlook give a part of a winmail.dat (TNEF) that has no name: not the sender's
    /// name, and four of them in a receipt tell the organisation nothing — read as no name at all.
    /// </summary>
    private const string TnefPlaceholder = "Untitled Attachment";

    public static AttachmentName Inspect(string? decodedName, int index)
    {
        var flags = new List<string>();
        if (string.Equals(decodedName?.Trim(), TnefPlaceholder, StringComparison.OrdinalIgnoreCase))
        {
            decodedName = null;
        }

        string name = RemoveInvisibleCharacters(decodedName ?? string.Empty, flags);
        name = LastPathSegment(name, flags);
        name = name.Trim(' ', '.');
        name = GuardDeviceName(name, flags);
        name = ReplaceColons(name, flags);

        // Judged before truncation, which could cut away the ".pdf" of "report.pdf….exe".
        List<string> extensionFlags = ExtensionFlags(name);
        name = Truncate(name, flags);

        if (name.Length == 0)
        {
            flags.Add(NoNameFlag);
            // Staff read this name (mail show, notice show, receipts): zh-TW, and no 附件N in it (that would be an item).
            name = $"未命名檔案-{index}";
        }

        flags.AddRange(extensionFlags);
        return new AttachmentName(name, ReadItem(name), flags);
    }

    private static string RemoveInvisibleCharacters(string name, List<string> flags)
    {
        bool hadControl = false;
        bool hadBidi = false;
        var builder = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                builder.Append(c).Append(name[++i]);
            }
            else if (char.IsControl(c) || IsUnkept(c))
            {
                // A non-character or a lone surrogate is no character at all: a document cannot hold it, and it is
                // flagged with the control characters.
                hadControl = true;
            }
            else if (IsBidiControl(c))
            {
                hadBidi = true;
            }
            else
            {
                builder.Append(c);
            }
        }

        // Flags keep a fixed order; "path" is decided later but must come first.
        if (hadControl)
        {
            flags.Add(ControlCharactersFlag);
        }

        if (hadBidi)
        {
            flags.Add(RtlOverrideFlag);
        }

        return builder.ToString();
    }

    private static bool IsUnkept(char c) => char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF' or (>= '\uFDD0' and <= '\uFDEF');

    // U+061C is the Arabic letter mark: not in the usual lists, but it reorders text the same way.
    private static bool IsBidiControl(char c) =>
        c is '\u200E' or '\u200F' or '\u061C' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static string LastPathSegment(string name, List<string> flags)
    {
        bool hadPath = DriveLetter().IsMatch(name) || name.IndexOfAny(['/', '\\']) >= 0 || name.Trim() == "..";

        string[] segments = name.Split(['/', '\\']);
        string last = segments.LastOrDefault(segment => segment.Trim().Length > 0) ?? string.Empty;
        last = DriveLetter().Replace(last, string.Empty);

        if (hadPath)
        {
            flags.Insert(0, PathFlag);
        }

        return last;
    }

    private static string GuardDeviceName(string name, List<string> flags)
    {
        // Windows treats CON.txt, "con .tar.gz" and NUL: as the device, whatever follows the first dot or colon.
        int dot = name.IndexOfAny(['.', ':']);
        string stem = (dot < 0 ? name : name[..dot]).TrimEnd(' ');
        if (!DeviceNames.Contains(stem))
        {
            return name;
        }

        flags.Add(DeviceNameFlag);
        return "_" + name;
    }

    // A colon left after the drive letter is gone is still read by Windows as a drive or an NTFS alternate data
    // stream ("a.pdf:x.exe", "NUL:"): it never stays in a name someone may save.
    private static string ReplaceColons(string name, List<string> flags)
    {
        if (!name.Contains(':'))
        {
            return name;
        }

        if (!flags.Contains(PathFlag))
        {
            flags.Insert(0, PathFlag);
        }

        return name.Replace(':', '_');
    }

    private static string Truncate(string name, List<string> flags)
    {
        if (name.Length <= MaxLength)
        {
            return name;
        }

        flags.Add(LongNameFlag);
        string extension = Path.GetExtension(name);
        if (extension.Length > MaxPreservedExtensionLength)
        {
            extension = string.Empty;
        }

        int stemLength = MaxLength - extension.Length;
        if (char.IsHighSurrogate(name[stemLength - 1]))
        {
            stemLength--;
        }

        return name[..stemLength].TrimEnd(' ', '.') + extension;
    }

    private static List<string> ExtensionFlags(string name)
    {
        var flags = new List<string>();
        if (!ExecutableExtensions.Contains(Path.GetExtension(name)))
        {
            return flags;
        }

        flags.Add(ExecutableFlag);
        string inner = Path.GetExtension(Path.GetFileNameWithoutExtension(name).TrimEnd(' '));
        if (DocumentExtensions.Contains(inner))
        {
            flags.Add(DoubleExtensionFlag);
        }

        return flags;
    }

    private static int? ReadItem(string name)
    {
        Match match = ItemReference().Match(FullWidth.ToHalfWidth(name));
        if (!match.Success)
        {
            return null;
        }

        int? item = match.Groups["digits"].Success
            ? int.TryParse(match.Groups["digits"].ValueSpan, out int number) ? number : null
            : ChineseNumerals.GetValueOrDefault(match.Groups["numeral"].Value[0]);

        return item is >= 1 and <= 4 ? item : null;
    }
}
