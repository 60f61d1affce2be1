using System.IO.Compression;
using System.Text;

namespace MailIntake.Tests.Hostile;

/// <summary>One hostile input: a name for failure messages and the bytes exactly as they would arrive.</summary>
public sealed record HostileInput(string Name, byte[] Bytes)
{
    public override string ToString() => $"{Name} ({Bytes.Length:N0} bytes)";
}

/// <summary>How big the generated inputs are: full size for the intake tests, smaller as seeds for the fuzzer.</summary>
public sealed record HostileScale(
    int NestingDepth,
    int HeaderBytes,
    int ContentTypeParameters,
    int EncodedWords,
    int GarbageBytes,
    int OversizeBytes,
    int ZipBombEntryBytes)
{
    /// <summary>What README.md lists: 5,000 nested multiparts, a 200 KB header, 10,000 parameters, a 64 GB zip bomb, 2 MB over a 1 MB limit.</summary>
    public static readonly HostileScale Full = new(5_000, 200 * 1024, 10_000, 20_000, 64 * 1024, 2 * 1024 * 1024, 256 * 1024 * 1024);

    /// <summary>The same shapes, small enough to be mutated thousands of times.</summary>
    public static readonly HostileScale Seed = new(200, 8 * 1024, 300, 300, 4 * 1024, 16 * 1024, 1024 * 1024);
}

/// <summary>
/// The hostile corpus of tests/HostileCorpus (see README.md there): the small hand-written .eml files, read from
/// <c>HostileCorpus/</c> next to the test assembly, plus the inputs too big to commit, generated here from fixed
/// seeds so every run sees the same bytes.
/// </summary>
/// <remarks>
/// The .eml files carry two placeholders: <c>{{REF}}</c> in the subject (a notice reference, so a readable mail is
/// filed and its evidence shown) and <c>{{TOKEN}}</c> in path-traversal names (unique per run, so a file that
/// escaped the data folder can be looked for by name).
/// </remarks>
public static class HostileCorpus
{
    public const string ReferencePlaceholder = "{{REF}}";
    public const string TokenPlaceholder = "{{TOKEN}}";

    public const string From = "org1@intake.test";

    /// <summary>The generated zip bomb's attachment name.</summary>
    public const string ZipBombName = "bomb.zip";

    /// <summary>The generated over-the-limit attachment's name.</summary>
    public const string OversizeName = "附件1-oversize.pdf";

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "HostileCorpus");

    /// <summary>The hand-written files, placeholders replaced.</summary>
    public static IReadOnlyList<HostileInput> Files(string reference, string token) =>
        System.IO.Directory.EnumerateFiles(Directory, "*.eml")
            .Order(StringComparer.Ordinal)
            .Select(path => new HostileInput(
                Path.GetFileName(path),
                Replace(Replace(File.ReadAllBytes(path), ReferencePlaceholder, reference), TokenPlaceholder, token)))
            .ToList();

    /// <summary>Everything: the files and the generated inputs.</summary>
    public static IReadOnlyList<HostileInput> All(string reference, string token, HostileScale scale) =>
        [.. Files(reference, token), .. Generated(reference, scale)];

    /// <summary>The inputs built at test time.</summary>
    public static IEnumerable<HostileInput> Generated(string reference, HostileScale scale)
    {
        for (var seed = 1; seed <= 3; seed++)
            yield return new HostileInput($"gen-binary-garbage-seed{seed}", RandomBytes(seed, scale.GarbageBytes));

        yield return new HostileInput("gen-garbage-after-headers",
            [.. Utf8(Headers("garbage-after-headers", reference, "headers, then random bytes") + "Content-Type: text/plain\r\n\r\n"), .. RandomBytes(4, scale.GarbageBytes)]);
        yield return new HostileInput($"gen-nested-multipart-{scale.NestingDepth}", NestedMultipart(reference, scale.NestingDepth));
        yield return new HostileInput($"gen-nested-rfc822-{scale.NestingDepth}", NestedMessages(reference, scale.NestingDepth));
        yield return new HostileInput($"gen-header-{scale.HeaderBytes / 1024}kb-one-line", LongHeaderLine(reference, scale.HeaderBytes));
        yield return new HostileInput($"gen-header-{scale.HeaderBytes / 1024}kb-addresses", LongAddressList(reference, scale.HeaderBytes));
        yield return new HostileInput($"gen-content-type-{scale.ContentTypeParameters}-parameters", ManyParameters(reference, scale.ContentTypeParameters));
        yield return new HostileInput($"gen-rfc2231-{scale.ContentTypeParameters}-continuations", ManyContinuations(reference, scale.ContentTypeParameters));
        yield return new HostileInput($"gen-encoded-word-bomb-{scale.EncodedWords}", EncodedWordBomb(reference, scale.EncodedWords));
        yield return new HostileInput("gen-zip-bomb", Attaching(reference, "zip-bomb", ZipBombName, "application/zip", ZipBomb(scale.ZipBombEntryBytes)));
        yield return new HostileInput("gen-hostile-documents", HostileDocuments(reference, scale));
        yield return new HostileInput($"gen-oversize-attachment-{scale.OversizeBytes / 1024}kb",
            Attaching(reference, "oversize", OversizeName, "application/pdf", OversizeContent(scale)));
    }

    /// <summary>The content of the attachment over the size limit (random, so it does not compress).</summary>
    public static byte[] OversizeContent(HostileScale scale) => RandomBytes(5, scale.OversizeBytes);

    /// <summary>
    /// A 42.zip-style bomb: 16 zips of 16 zips of one entry of <paramref name="entryBytes"/> zeros
    /// (256 × 256 MB = 64 GB at full scale) in 12 KB.
    /// </summary>
    public static byte[] ZipBomb(int entryBytes)
    {
        var inner = Zip(("zeros.bin", Zeros(entryBytes)));
        var middle = Zip(Enumerable.Range(0, 16).Select(i => ($"{i:x}.zip", inner)).ToArray());
        return Zip(Enumerable.Range(0, 16).Select(i => ($"{i:x}.zip", middle)).ToArray());
    }

    /// <summary>Replaces every occurrence of an ASCII <paramref name="placeholder"/> by the UTF-8 <paramref name="value"/>.</summary>
    public static byte[] Replace(byte[] bytes, string placeholder, string value)
    {
        var find = Encoding.ASCII.GetBytes(placeholder);
        var with = Encoding.UTF8.GetBytes(value);
        var output = new MemoryStream(bytes.Length);
        var rest = bytes.AsSpan();
        int at;
        while ((at = rest.IndexOf(find)) >= 0)
        {
            output.Write(rest[..at]);
            output.Write(with);
            rest = rest[(at + find.Length)..];
        }

        output.Write(rest);
        return output.ToArray();
    }

    private static string Headers(string id, string reference, string subject) =>
        $"Return-Path: <{From}>\r\nMessage-ID: <hostile-{id}@org1.example.tw>\r\nDate: Tue, 1 Dec 2026 10:30:00 +0800\r\n" +
        $"From: =?UTF-8?B?5Y+w5Y2X5biC5ris6Kmm5YWs5pyD?= <{From}>\r\nTo: center@intake.test\r\nMIME-Version: 1.0\r\n" +
        $"Subject: Re: {reference} {subject}\r\n";

    private static byte[] NestedMultipart(string reference, int depth)
    {
        var text = new StringBuilder(Headers($"nested-multipart-{depth}", reference, $"{depth} nested multiparts"));
        text.Append("Content-Type: multipart/mixed; boundary=\"n0\"\r\n\r\n");
        for (var level = 0; level < depth; level++)
            text.Append($"--n{level}\r\nContent-Type: multipart/mixed; boundary=\"n{level + 1}\"\r\n\r\n");
        text.Append($"--n{depth}\r\nContent-Type: text/plain\r\n\r\ndeepest\r\n--n{depth}--\r\n");
        for (var level = depth - 1; level >= 0; level--)
            text.Append($"--n{level}--\r\n");
        return Utf8(text.ToString());
    }

    private static byte[] NestedMessages(string reference, int depth)
    {
        var text = new StringBuilder(Headers($"nested-rfc822-{depth}", reference, $"{depth} nested message/rfc822"));
        for (var level = 0; level < depth; level++)
            text.Append($"Content-Type: message/rfc822\r\n\r\nSubject: level {level + 1}\r\nFrom: a@b.example\r\n");
        text.Append("Content-Type: text/plain\r\n\r\ndeepest\r\n");
        return Utf8(text.ToString());
    }

    private static byte[] LongHeaderLine(string reference, int bytes) =>
        Utf8(Headers($"header-line-{bytes}", reference, "one header line of " + bytes + " bytes") +
              "X-Hostile: " + new string('A', bytes) + "\r\nContent-Type: text/plain\r\n\r\nbody\r\n");

    private static byte[] LongAddressList(string reference, int bytes)
    {
        var addresses = new StringBuilder();
        for (var i = 0; addresses.Length < bytes; i++)
            addresses.Append(i == 0 ? "" : ",\r\n ").Append($"\"=?UTF-8?B?5ZCN?= {i}\" <user{i}@org{i % 97}.example.tw>");
        return Utf8(Headers($"header-addresses-{bytes}", reference, "a Cc of " + bytes + " bytes") +
                     "Cc: " + addresses + "\r\nContent-Type: text/plain\r\n\r\nbody\r\n");
    }

    private static byte[] ManyParameters(string reference, int count)
    {
        var parameters = string.Concat(Enumerable.Range(0, count).Select(i => $";\r\n p{i}=\"v{i}\""));
        return Utf8(Headers($"parameters-{count}", reference, count + " Content-Type parameters") +
                     "Content-Type: multipart/mixed; boundary=\"b\"" + parameters + "\r\n\r\n" +
                     "--b\r\nContent-Type: text/plain; charset=\"utf-8\"" + parameters + "\r\n\r\nbody\r\n--b--\r\n");
    }

    private static byte[] ManyContinuations(string reference, int count)
    {
        // RFC 2231 continuations in reverse order, so the parser must collect and sort all of them.
        var pieces = string.Concat(Enumerable.Range(0, count).Reverse().Select(i => $";\r\n filename*{i}*={(i == 0 ? "UTF-8''" : "")}%E9%99%84"));
        return Utf8(Headers($"continuations-{count}", reference, count + " RFC 2231 continuations") +
                     "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n" +
                     "--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment" + pieces +
                     "\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n");
    }

    private static byte[] EncodedWordBomb(string reference, int count)
    {
        // Known, unknown and misspelt charsets, empty words, and words whose decoded text is itself an encoded-word.
        string[] words =
        [
            "=?UTF-8?B?5pS5?=", "=?big5?B?p+8=?=", "=?x-unknown?Q?a?=", "=?UTF-8?Q??=", "=?UTF-8*zh-TW?B?5ZaE?=",
            "=?UTF-8?B?PT9VVEYtOD9CPzVwUzU/PQ==?=", "=?ISO-2022-JP?B?GyRCJCIbKEI=?=", "=?utf-7?Q?+AGEAYgBj-?=",
        ];
        var subject = new StringBuilder();
        for (var i = 0; i < count; i++)
            subject.Append(i == 0 ? "" : "\r\n ").Append(words[i % words.Length]);
        var name = string.Concat(Enumerable.Repeat("=?UTF-8?B?5ZCN?=", Math.Min(count, 2_000)));
        return Utf8(
            $"Message-ID: <hostile-encoded-words-{count}@org1.example.tw>\r\nFrom: \"{name}\" <{From}>\r\nTo: center@intake.test\r\n" +
            $"Subject: Re: {reference} {subject}\r\nMIME-Version: 1.0\r\n" +
            $"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n" +
            $"--b\r\nContent-Type: application/pdf; name=\"{name}.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n");
    }

    /// <summary>Returned "forms" built to hurt a reader: entity expansion, a huge XML entry, a zip that is not one, a PDF that lies.</summary>
    private static byte[] HostileDocuments(string reference, HostileScale scale)
    {
        const string BillionLaughs =
            "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">" +
            "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\"><!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]>" +
            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>&lol4;</w:t></w:r></w:p></w:body></w:document>";
        var files = new (string Name, string Type, byte[] Content)[]
        {
            ("billion-laughs.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                Zip(("[Content_Types].xml", Utf8("<Types/>")), ("word/document.xml", Utf8(BillionLaughs)))),
            ("zeros.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                Zip(("word/document.xml", Zeros(scale.ZipBombEntryBytes)))),
            ("zeros.odt", "application/vnd.oasis.opendocument.text", Zip(("mimetype", Utf8("application/vnd.oasis.opendocument.text")), ("content.xml", Zeros(scale.ZipBombEntryBytes)))),
            ("not-a-zip.docx", "application/octet-stream", Utf8("PK\u0003\u0004 this is not a zip")),
            ("lying.pdf", "application/pdf",
                Utf8("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [2 0 R] /Count 999999999 >> endobj\n" +
                      "3 0 obj << /Length 99999999999 /Filter [/FlateDecode /FlateDecode /ASCIIHexDecode] >> stream\nxx\nendstream endobj\n" +
                      "trailer << /Root 1 0 R /Size -5 >>\nstartxref\n-1\n%%EOF")),
            ("truncated.pdf", "application/pdf", Utf8("%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R")),
        };
        var text = new StringBuilder(Headers("documents", reference, "returned forms built to hurt the reader"));
        text.Append("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nforms attached\r\n");
        foreach (var (name, type, content) in files)
            text.Append($"--b\r\nContent-Type: {type}; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\n")
                .Append("Content-Transfer-Encoding: base64\r\n\r\n").Append(Convert.ToBase64String(content, Base64FormattingOptions.InsertLineBreaks)).Append("\r\n");
        text.Append("--b--\r\n");
        return Utf8(text.ToString());
    }

    private static byte[] Attaching(string reference, string id, string fileName, string contentType, byte[] content)
    {
        var name = "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(fileName)) + "?=";
        return Utf8(Headers(id, reference, id) +
                     "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nsee attachment\r\n" +
                     $"--b\r\nContent-Type: {contentType}; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\n" +
                     "Content-Transfer-Encoding: base64\r\n\r\n" + Convert.ToBase64String(content, Base64FormattingOptions.InsertLineBreaks) + "\r\n--b--\r\n");
    }

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize);
                entry.LastWriteTime = new DateTimeOffset(2026, 12, 1, 10, 30, 0, TimeSpan.FromHours(8)); // same bytes every run
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    private static byte[] Zeros(int count) => new byte[count];

    private static byte[] RandomBytes(int seed, int count)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
