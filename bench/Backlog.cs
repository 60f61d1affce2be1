using System.Diagnostics;
using System.Globalization;
using System.Text;
using MailKit;
using MimeKit;

namespace MailIntake.Bench;

/// <summary>
/// The seeded backlog: replies as organisations send them, most naming their organisation code, some the notice
/// reference, some only a registered sender; a few from strangers and a few out-of-office replies. Every attachment
/// has its own random bytes, so the evidence store cannot deduplicate its way out of the work.
/// </summary>
public sealed class Backlog(Registry registry, int attachments, int attachmentBytes, string runId)
{
    private static readonly (string Name, string Type)[] Files =
    [
        ("附件1_防火牆阻擋紀錄.zip", "application/zip"),
        ("附件2_掃毒結果截圖.png", "image/png"),
        ("附件3_主機修補畫面.jpg", "image/jpeg"),
        ("附件4_處理說明.zip", "application/zip"),
    ];

    /// <summary>What each mail is expected to become; the mix over 20 consecutive mails.</summary>
    public static string KindOf(int index) => (index % 20) switch
    {
        < 12 => "org-code",   // 60 %
        < 15 => "reference",  // 15 %
        < 17 => "sender",     // 10 %
        < 19 => "unmatched",  // 10 %
        _ => "auto-reply",    //  5 %
    };

    public MimeMessage Create(int index)
    {
        var random = new Random(index * 7919 + 17);
        var org = registry.Organisations[index % registry.Organisations.Count];
        var kind = KindOf(index);
        var message = new MimeMessage();
        message.MessageId = $"bench-{runId}-{index}@{(kind == "unmatched" ? "stranger.example" : org.Domain)}";
        message.Date = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.FromHours(8)).AddMinutes(index);
        message.To.Add(MailboxAddress.Parse("sdc-security@mail.tainan.gov.tw"));
        var from = kind == "unmatched" ? $"someone{index}@stranger.example" : org.Email;
        message.From.Add(new MailboxAddress(kind == "unmatched" ? "陌生人" : $"{org.Name} 資訊人員", from));
        message.Subject = kind switch
        {
            "org-code" => $"回覆：限期改善單處理情形（機關代碼 {org.Code}）",
            "reference" => $"RE: 臺南市政府智慧發展中心 限期改善單 {org.Reference}",
            "auto-reply" => "自動回覆：休假中",
            _ => "回覆：資安事件處理情形",
        };
        if (kind == "auto-reply")
        {
            message.Headers.Add("Auto-Submitted", "auto-replied");
        }

        var body = new StringBuilder()
            .AppendLine("您好：")
            .AppendLine()
            .AppendLine(kind == "org-code" ? $"本機關（機關代碼：{org.Code}）已依限期改善單完成處理，相關佐證如附件。" : "已依通知完成處理，相關佐證如附件。")
            .AppendLine("1. 已封鎖惡意 IP 並更新防火牆規則。")
            .AppendLine("2. 已完成主機全面掃毒，未發現殘留。")
            .AppendLine("3. 已更新作業系統與應用程式修補。")
            .AppendLine()
            .AppendLine($"填表人：王小明　電話：06-2{index % 1000000:D6}　Email：{from}")
            .AppendLine($"完成日期：115年11月{10 + index % 15}日")
            .ToString();
        var builder = new BodyBuilder { TextBody = body };
        for (var i = 0; i < attachments; i++)
        {
            var content = new byte[attachmentBytes];
            random.NextBytes(content);
            var file = Files[i % Files.Length];
            builder.Attachments.Add(file.Name, content, ContentType.Parse(file.Type));
        }

        message.Body = builder.ToMessageBody();
        return message;
    }

    /// <summary>SHA-256 (lower-case hex) of each attachment of mail <paramref name="index"/>: what its evidence must be.</summary>
    public HashSet<string> AttachmentHashes(int index) =>
        Create(index).Attachments.OfType<MimePart>().Select(part =>
        {
            using var decoded = new MemoryStream();
            part.Content!.DecodeTo(decoded);
            return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(decoded.ToArray()));
        }).ToHashSet(StringComparer.Ordinal);

    public byte[] Serialize(int index)
    {
        var message = Create(index);
        message.Prepare(EncodingConstraint.SevenBit);
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        using var memory = new MemoryStream();
        message.WriteTo(format, memory);
        return memory.ToArray();
    }

    /// <summary>APPENDs mails <paramref name="first"/>..first+count-1 in MULTIAPPEND batches over two connections.</summary>
    public static async Task<(long Bytes, TimeSpan Elapsed)> SeedAsync(Stack stack, string folderName, int count, Func<int, byte[]> serialize)
    {
        const int Batch = 25;
        long bytes = 0;
        var watch = Stopwatch.StartNew();
        var next = -Batch;
        async Task Worker()
        {
            using var client = await stack.ConnectAsync();
            var folder = await client.GetFolderAsync(folderName);
            while (true)
            {
                var start = Interlocked.Add(ref next, Batch);
                if (start >= count)
                    break;
                var requests = new List<IAppendRequest>();
                for (var i = start; i < Math.Min(count, start + Batch); i++)
                {
                    var raw = serialize(i);
                    Interlocked.Add(ref bytes, raw.Length);
                    requests.Add(new AppendRequest(MimeMessage.Load(new MemoryStream(raw))));
                }

                // MailKit sends these as one MULTIAPPEND when the server offers it (Dovecot does).
                await folder.AppendAsync(requests);
            }

            await client.DisconnectAsync(true);
        }

        await Task.WhenAll(Worker(), Worker());
        return (bytes, watch.Elapsed);
    }

    public static string Size(long bytes) => bytes >= 1 << 20
        ? (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB"
        : (bytes / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " KB";
}
