using System.Text;

namespace MailIntake.Parsing.Tests.Fuzz;

/// <summary>
/// Byte-level mutations of a mail, chosen by a seeded <see cref="Random"/> so the same seed always gives the same
/// input: bit flips, byte insertion and deletion, truncation, chunk duplication, boundary and header splicing
/// (also across seeds), MIME tokens dropped in, and line endings switched between CRLF and LF.
/// </summary>
internal static class Mutator
{
    private static readonly byte[] InterestingBytes = [0x00, 0x0D, 0x0A, (byte)'=', (byte)'-', (byte)'"', (byte)';', (byte)':', (byte)'?', (byte)'%', (byte)'\\', 0x1B, 0x80, 0xA4, 0xFF, 0xE2];

    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "\r\n\r\n", "\n\n", "\r\n--", "--\r\n", "\r\n ", "Content-Type: multipart/mixed; boundary=\"b\"\r\n", "Content-Type: message/rfc822\r\n\r\n",
            "Content-Type: multipart/report; report-type=delivery-status; boundary=", "Content-Type: message/delivery-status\r\n\r\n",
            "Content-Transfer-Encoding: base64\r\n", "Content-Transfer-Encoding: quoted-printable\r\n", "Content-Transfer-Encoding: x-uuencode\r\n",
            "begin 644 ../x\r\n", "=?UTF-8?B?", "=?big5?Q?", "?=", "filename*0*=UTF-8''%E9%99%84", "filename*1*=%00", "; name=\"..\\\\CON.pdf\"",
            "Content-Disposition: attachment; filename=\"a.docx\"\r\n", "Authentication-Results: mail.intake.test; spf=fail; dkim=fail; dmarc=fail\r\n",
            "Final-Recipient: rfc822; x@y\r\nAction: failed\r\n", "In-Reply-To: <notice-1@intake.test>\r\n", "TN-115-0001", "XC12345678",
            "From: MAILER-DAEMON\r\n", "Auto-Submitted: auto-replied\r\n", "%PDF-1.4\n", "PK\u0003\u0004", "\u202E", "附件２",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    public static byte[] Mutate(byte[] input, IReadOnlyList<byte[]> seeds, Random random)
    {
        var data = new List<byte>(input);
        var count = 1 + random.Next(4);
        for (var i = 0; i < count; i++)
        {
            Apply(data, seeds, random);
        }

        return [.. data];
    }

    private static void Apply(List<byte> data, IReadOnlyList<byte[]> seeds, Random random)
    {
        switch (random.Next(11))
        {
            case 0: // bit flips
                for (int flips = 1 + random.Next(8), n = 0; n < flips && data.Count > 0; n++)
                {
                    var at = random.Next(data.Count);
                    data[at] ^= (byte)(1 << random.Next(8));
                }

                break;
            case 1: // byte insertion
                for (int inserts = 1 + random.Next(8), n = 0; n < inserts; n++)
                {
                    data.Insert(random.Next(data.Count + 1), random.Next(2) == 0 ? InterestingBytes[random.Next(InterestingBytes.Length)] : (byte)random.Next(256));
                }

                break;
            case 2: // byte deletion
                if (data.Count > 0)
                {
                    var at = random.Next(data.Count);
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(16)));
                }

                break;
            case 3: // truncation
                if (data.Count > 0)
                {
                    var keep = random.Next(data.Count);
                    data.RemoveRange(keep, data.Count - keep);
                }

                break;
            case 4: // chunk duplication, sometimes many times over
                if (data.Count > 0)
                {
                    var start = random.Next(data.Count);
                    var chunk = data.GetRange(start, Math.Min(data.Count - start, 1 + random.Next(4096)));
                    var at = random.Next(data.Count + 1);
                    for (int times = random.Next(4) == 0 ? 2 + random.Next(64) : 1, n = 0; n < times; n++)
                    {
                        data.InsertRange(at, chunk);
                    }
                }

                break;
            case 5: // a boundary line (this mail's or another seed's) spliced in elsewhere
                SpliceLine(data, random.Next(2) == 0 ? data : [.. seeds[random.Next(seeds.Count)]], line => line.StartsWith("--"u8), random);
                break;
            case 6: // a header line spliced in elsewhere
                SpliceLine(data, random.Next(2) == 0 ? data : [.. seeds[random.Next(seeds.Count)]], IsHeaderLine, random);
                break;
            case 7: // the head of this mail on the tail of another
                {
                    var other = seeds[random.Next(seeds.Count)];
                    var cut = random.Next(data.Count + 1);
                    var from = random.Next(other.Length + 1);
                    data.RemoveRange(cut, data.Count - cut);
                    data.AddRange(other.AsSpan(from).ToArray());
                }

                break;
            case 8: // a MIME token dropped in
                data.InsertRange(random.Next(data.Count + 1), Tokens[random.Next(Tokens.Length)]);
                break;
            case 9: // CRLF -> LF, or the other way, over the whole mail
                ReplaceLineEndings(data, toLf: random.Next(2) == 0);
                break;
            default: // one CRLF made bare (CR or LF alone)
                {
                    var at = data.IndexOf((byte)'\n', random.Next(data.Count + 1));
                    if (at > 0 && data[at - 1] == '\r')
                    {
                        data.RemoveAt(random.Next(2) == 0 ? at : at - 1);
                    }
                }

                break;
        }
    }

    private static bool IsHeaderLine(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        return colon > 0 && line[..colon].IndexOfAnyExceptInRange((byte)'!', (byte)'~') < 0;
    }

    private delegate bool LinePredicate(ReadOnlySpan<byte> line);

    private static void SpliceLine(List<byte> data, List<byte> source, LinePredicate wanted, Random random)
    {
        var lines = new List<(int Start, int Length)>();
        var bytes = source.ToArray();
        for (int start = 0, end; start < bytes.Length; start = end + 1)
        {
            end = Array.IndexOf(bytes, (byte)'\n', start);
            end = end < 0 ? bytes.Length : end;
            if (wanted(bytes.AsSpan(start, end - start)))
            {
                lines.Add((start, Math.Min(end + 1, bytes.Length) - start));
            }
        }

        if (lines.Count == 0)
        {
            return;
        }

        var (lineStart, length) = lines[random.Next(lines.Count)];
        data.InsertRange(random.Next(data.Count + 1), bytes.AsSpan(lineStart, length).ToArray());
    }

    private static void ReplaceLineEndings(List<byte> data, bool toLf)
    {
        var output = new List<byte>(data.Count + data.Count / 32);
        for (var i = 0; i < data.Count; i++)
        {
            if (toLf && data[i] == '\r' && i + 1 < data.Count && data[i + 1] == '\n')
            {
                continue;
            }

            if (!toLf && data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
            {
                output.Add((byte)'\r');
            }

            output.Add(data[i]);
        }

        data.Clear();
        data.AddRange(output);
    }
}
