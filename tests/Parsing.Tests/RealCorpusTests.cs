using System.Text.Json;
using MimeKit;

namespace MailIntake.Parsing.Tests;

/// <summary>
/// Runs the parsing helpers over the shared corpus of real messages (../shared/corpus/real next
/// to the repository, or MAILINTAKE_CORPUS). The corpus is read in place and never copied here.
/// </summary>
public class RealCorpusTests
{
    private const string MissingCorpus = "(corpus missing)";

    // Upstream expectations that contradict a deliberate decision of ours; see the skip reasons.
    private static readonly Dictionary<string, string> HeaderConflicts = new(StringComparer.Ordinal)
    {
        ["zammad/mail/mail046.box"] =
            "Raw 8-bit GB2312 From/Subject without a charset: we decode such headers as Big5 by design "
            + "(senders are in Taiwan); Zammad guesses GB2312 for the subject and Latin-2 mojibake for the name.",
        ["zammad/mail/mail093.box"] =
            "Encoded-words labelled ISO-2022-JP hold Shift_JIS bytes: MimeKit honours the label, "
            + "Zammad sniffs the real charset.",
    };

    public static TheoryData<string> MessageFiles() => Rows(Corpus.MessageFiles());

    public static TheoryData<string, bool> BounceExpectations() =>
        Rows(Corpus.Expectations("is_bounce", e => e.GetBoolean()));

    public static TheoryData<string, bool> AutoReplyExpectations() =>
        Rows(Corpus.Expectations("is_auto_reply", e => e.GetBoolean()));

    public static TheoryData<string, string> FromExpectations() =>
        Rows(Corpus.Expectations("from", e => e.GetString()!).Where(row => !HeaderConflicts.ContainsKey(row.File)));

    public static TheoryData<string, string> SubjectExpectations() =>
        Rows(Corpus.Expectations("subject", e => e.GetString()!).Where(row => !HeaderConflicts.ContainsKey(row.File)));

    public static TheoryData<string, string> ConflictingFromExpectations() =>
        Rows(Corpus.Expectations("from", e => e.GetString()!).Where(row => HeaderConflicts.ContainsKey(row.File)));

    public static TheoryData<string, string> ConflictingSubjectExpectations() =>
        Rows(Corpus.Expectations("subject", e => e.GetString()!).Where(row => HeaderConflicts.ContainsKey(row.File)));

    private const string ConflictSkipReason =
        "Known upstream conflict, see HeaderConflicts: mail046 (raw GB2312 decoded as Big5 by design), "
        + "mail093 (Shift_JIS bytes labelled ISO-2022-JP).";

    [Fact]
    public void Corpus_Directory_IsPresent()
    {
        Corpus.Require();
    }

    [Theory]
    [MemberData(nameof(MessageFiles))]
    public void Load_MessageFile_DoesNotThrow(string file)
    {
        using FileStream stream = File.OpenRead(Corpus.PathOf(file));
        MimeMessage message = MailParserOptions.Load(stream);
        Assert.NotNull(message.Headers);
    }

    [Theory]
    [MemberData(nameof(BounceExpectations))]
    public void Detect_BounceExpectation_Agrees(string file, bool isBounce)
    {
        AutomaticClassification result = AutomaticMailDetector.Detect(Corpus.LoadNormalised(file));

        if (isBounce)
        {
            Assert.True(result.Kind == AutomaticKind.Bounce, $"expected Bounce, got {result}");
        }
        else
        {
            Assert.True(result.Kind != AutomaticKind.Bounce, $"expected no Bounce, got {result}");
        }
    }

    [Theory]
    [MemberData(nameof(AutoReplyExpectations))]
    public void Detect_AutoReplyExpectation_Agrees(string file, bool isAutoReply)
    {
        AutomaticClassification result = AutomaticMailDetector.Detect(Corpus.LoadNormalised(file));
        Assert.True((result.Kind == AutomaticKind.AutoReply) == isAutoReply, $"expected auto-reply {isAutoReply}, got {result}");
    }

    [Theory]
    [MemberData(nameof(FromExpectations))]
    [MemberData(nameof(ConflictingFromExpectations), Skip = ConflictSkipReason)]
    public void From_Expectation_MatchesDecodedHeader(string file, string expected)
    {
        MimeMessage message = Corpus.LoadNormalised(file);

        // Zammad reports From as written ("addr (Name)", unquoted names, even unparsable ones);
        // equal decoded text or equal name-and-address pairs both mean MimeKit read the same sender.
        string? decoded = message.Headers[HeaderId.From];
        bool sameText = string.Equals(decoded, expected, StringComparison.Ordinal);
        bool sameMailboxes = InternetAddressList.TryParse(MailParserOptions.Default, expected, out InternetAddressList? parsed)
            && Mailboxes(parsed).SequenceEqual(Mailboxes(message.From));

        Assert.True(sameText || sameMailboxes, $"expected [{expected}], MimeKit decoded [{decoded}] as [{message.From}]");
    }

    [Theory]
    [MemberData(nameof(SubjectExpectations))]
    [MemberData(nameof(ConflictingSubjectExpectations), Skip = ConflictSkipReason)]
    public void Subject_Expectation_MatchesDecodedHeader(string file, string expected)
    {
        // Zammad keeps the CR LF that mail027's encoded-word starts with; MimeKit trims it.
        Assert.Equal(expected.Trim(), Corpus.LoadNormalised(file).Subject?.Trim());
    }

    [Fact]
    public void Subject_RawEightBitHeaderWithoutCharset_DecodesAsBig5()
    {
        // mail046 is the corpus's only top-level Subject of raw 8-bit bytes without a charset.
        MimeMessage message = Corpus.LoadNormalised("zammad/mail/mail046.box");
        byte[] raw = message.Headers.First(h => h.Id == HeaderId.Subject).RawValue;
        string big5 = System.Text.Encoding.GetEncoding(950).GetString(raw).Trim();

        Assert.Equal(big5, message.Subject);
    }

    private static IEnumerable<(string Name, string Address)> Mailboxes(InternetAddressList list) =>
        list.Mailboxes.Select(m => (m.Name ?? string.Empty, m.Address));

    private static TheoryData<string> Rows(IEnumerable<string> files)
    {
        var data = new TheoryData<string>();
        foreach (string file in Corpus.Exists ? files : [MissingCorpus])
        {
            data.Add(file);
        }

        return data;
    }

    private static TheoryData<string, T> Rows<T>(IEnumerable<(string File, T Value)> rows)
    {
        var data = new TheoryData<string, T>();
        foreach ((string file, T value) in Corpus.Exists ? rows : [(MissingCorpus, default!)])
        {
            data.Add(file, value);
        }

        return data;
    }

    internal static class Corpus
    {
        private static readonly Lazy<(string? Directory, string LookedAt)> Location = new(Locate);

        public static bool Exists => Location.Value.Directory is not null;

        public static string Require()
        {
            (string? directory, string lookedAt) = Location.Value;
            Assert.True(directory is not null, $"Real mail corpus not found. Looked at: {lookedAt}. "
                + "Set MAILINTAKE_CORPUS to the corpus/real directory, or place it at ../shared/corpus/real next to the repository.");
            return directory!;
        }

        public static string PathOf(string file) => Path.Combine(Require(), file);

        public static IEnumerable<string> MessageFiles()
        {
            string root = Require();
            return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
                .Where(file => file is not ("SOURCES.md" or "expectations.json")
                    && !file.EndsWith(".tnef", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
        }

        public static IEnumerable<(string File, T Value)> Expectations<T>(string field, Func<JsonElement, T> read)
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(PathOf("expectations.json")));
            var rows = new List<(string, T)>();
            foreach (JsonElement entry in document.RootElement.EnumerateArray())
            {
                if (entry.TryGetProperty(field, out JsonElement value))
                {
                    rows.Add((entry.GetProperty("file").GetString()!, read(value)));
                }
            }

            return rows;
        }

        /// <summary>
        /// Loads a corpus message for content checks. The one classic-Mac file uses bare CR line
        /// ends, which MimeKit (like every IMAP server) does not treat as line breaks; SOURCES.md
        /// says to convert such line ends in the harness, never in the files.
        /// </summary>
        public static MimeMessage LoadNormalised(string file)
        {
            byte[] bytes = File.ReadAllBytes(PathOf(file));
            if (Array.IndexOf(bytes, (byte)'\n') < 0 && Array.IndexOf(bytes, (byte)'\r') >= 0)
            {
                bytes = CrToCrLf(bytes);
            }

            using var stream = new MemoryStream(bytes);
            return MailParserOptions.Load(stream);
        }

        private static byte[] CrToCrLf(byte[] bytes)
        {
            var converted = new List<byte>(bytes.Length + bytes.Length / 40);
            foreach (byte b in bytes)
            {
                converted.Add(b);
                if (b == '\r')
                {
                    converted.Add((byte)'\n');
                }
            }

            return converted.ToArray();
        }

        private static (string? Directory, string LookedAt) Locate()
        {
            string? configured = Environment.GetEnvironmentVariable("MAILINTAKE_CORPUS");
            if (!string.IsNullOrWhiteSpace(configured))
            {
                string path = Path.GetFullPath(configured);
                return (Directory.Exists(path) ? path : null, $"{path} (from MAILINTAKE_CORPUS)");
            }

            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MailIntake.sln")))
                {
                    string path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus", "real"));
                    return (Directory.Exists(path) ? path : null, path);
                }
            }

            return (null, $"no MailIntake.sln in {AppContext.BaseDirectory} or any parent directory");
        }
    }
}
