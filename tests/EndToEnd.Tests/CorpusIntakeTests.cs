using MailIntake.EndToEnd.Tests.Harness;
using MimeKit;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>Real mail from real clients and servers (../shared/corpus/real, read in place): every message recorded, none stops the run.</summary>
public sealed class CorpusIntakeTests(ITestOutputHelper output) : EndToEndTest(output)
{
    private static readonly string[] Kinds = ["reply", "auto-reply", "bounce", "unmatched", "ambiguous", "suspicious"];

    [Fact]
    public async Task EveryRealCorpusMessage_IsRecordedOnceAndNoneStopsTheRun()
    {
        await ImportOrgsAndIssueNoticeAsync();
        var corpus = RepoPaths.CorpusDirectory();
        var files = CorpusMessages(corpus);
        Assert.True(files.Count > 100, $"expected the 121 corpus messages in {corpus}, found {files.Count}");

        // The program records a message once per raw SHA-256, and once per Message-ID with the same body (another
        // delivery of one message); a different body under a reused Message-ID is its own mail. Some corpus files share
        // a Message-ID (the same mail stored twice by one project, or an upstream variant of one message), so the
        // expected count is the number of distinct keys; the groups are written to the test output.
        var keys = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var messageIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var raw = Crlf.Normalize(await File.ReadAllBytesAsync(file));
            await Mailbox.AppendAsync(raw);
            var messageId = MessageIdOf(raw, file);
            if (messageId is not null)
                messageIds.Add(messageId);
            var key = RecordKey.Of(raw, messageId);
            if (!keys.TryGetValue(key, out var same))
                keys[key] = same = [];
            same.Add(Path.GetRelativePath(corpus, file));
        }
        Assert.Equal(files.Count, await Mailbox.CountAsync());
        foreach (var (key, same) in keys.Where(k => k.Value.Count > 1))
            Output.WriteLine($"recorded once, shared {key}: {string.Join(", ", same)}");
        Output.WriteLine($"{files.Count} messages appended, {keys.Count} distinct");

        var run = await Cli.RunAsync(TimeSpan.FromSeconds(180), "run", "--once");
        Assert.True(run.ExitCode == 0, $"no corpus message may stop the run: {run.Describe()}");

        var mails = await Cli.ListMailAsync();
        Assert.True(mails.Count == keys.Count,
            $"{files.Count} messages appended ({keys.Count} distinct by Message-ID and body, or raw SHA-256), mail list has {mails.Count}");
        var listedIds = mails.Select(m => BareMessageId(m.MessageId)).ToHashSet(StringComparer.Ordinal);
        var missing = messageIds.Where(id => !listedIds.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"Message-IDs appended but not listed: {string.Join(", ", missing)}");
        var oddKinds = mails.Where(m => !Kinds.Contains(m.Kind)).ToList();
        Assert.True(oddKinds.Count == 0, $"every mail has one of the contract's kinds: {Dump(oddKinds)}");
    }

    /// <summary>Every message file; not SOURCES.md, expectations.json or the raw TNEF streams (*.tnef), which are no messages.</summary>
    private static List<string> CorpusMessages(string corpus) =>
        Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) is not ("SOURCES.md" or "expectations.json"))
            .Where(f => !f.EndsWith(".tnef", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The Message-ID as MimeKit reads it (as the program will); null when absent or when MimeKit cannot read the headers.</summary>
    private string? MessageIdOf(byte[] raw, string file)
    {
        try
        {
            using var stream = new MemoryStream(raw);
            return BareMessageId(MimeMessage.Load(stream).MessageId);
        }
        catch (FormatException e)
        {
            // Such a message must still be recorded; the program can only key it by its raw SHA-256.
            Output.WriteLine($"MimeKit cannot parse {file} ({e.Message}); expecting it keyed by SHA-256");
            return null;
        }
    }
}
