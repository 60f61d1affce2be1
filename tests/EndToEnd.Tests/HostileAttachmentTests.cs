using System.Globalization;
using System.Security.Cryptography;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>A file name is data from a stranger: it can never place a file outside the data folder.</summary>
public sealed class HostileAttachmentTests(ITestOutputHelper output) : EndToEndTest(output)
{
    [Fact]
    public async Task TraversalAndRightToLeftOverrideNames_WriteNothingOutsideDataDirectoryAndAreFlagged()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        // Unique per run, so a file left by another run (or a parallel one) can't hide or fake an escape.
        var evilName = $"evil-{Guid.NewGuid():N}"[..13] + ".sh";
        var traversal = "../../../../tmp/" + evilName;
        var reply = TestMessages.HostileAttachmentReply(traversal);
        await Mailbox.AppendAsync(reply.Message);

        await Cli.RunOnceAsync();

        foreach (var escaped in EscapeCandidates(traversal, evilName))
            Assert.False(File.Exists(escaped), $"the attachment name {traversal} wrote {escaped}");

        var allowed = new[] { Workspace.DataDirectory, Workspace.Outbox, Workspace.Input }
            .Select(d => d + Path.DirectorySeparatorChar).ToArray();
        var strays = Directory.EnumerateFiles(Workspace.Root, "*", SearchOption.AllDirectories)
            .Where(f => !allowed.Any(a => f.StartsWith(a, StringComparison.Ordinal)))
            .ToList();
        Assert.True(strays.Count == 0, $"files outside the data directory: {string.Join(", ", strays)}");

        var dataHashes = Directory.EnumerateFiles(Workspace.DataDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))))
            .ToHashSet();

        var filed = Assert.Single((await Cli.ShowNoticeAsync(reference)).Replies);
        foreach (var attachment in reply.Attachments)
        {
            var evidence = filed.Evidence.SingleOrDefault(e => e.Sha256 == attachment.Sha256);
            Assert.True(evidence is not null, $"no evidence with the bytes of \"{attachment.FileName}\": {Dump(filed.Evidence)}");
            AssertSafeFileName(evidence.FileName, attachment.FileName);
            Assert.True(evidence.Flags.Any(f => !string.IsNullOrWhiteSpace(f)),
                $"\"{Printable(attachment.FileName)}\" must be flagged: {Dump(evidence)}");
            Assert.True(dataHashes.Contains(attachment.Sha256),
                $"\"{Printable(attachment.FileName)}\" must be kept under the data directory (no file there has its SHA-256)");
        }

        var rlo = filed.Evidence.Single(e => e.Sha256 == reply.Attachments[1].Sha256);
        Assert.True(rlo.Flags.Contains("executable"),
            $"附件2<RLO>fdp.exe is an .exe shown as .pdf; its flags must include executable: {Dump(rlo)}");
    }

    /// <summary>Where the traversal name lands if joined, unchecked, to the data directory or any folder below it.</summary>
    private IEnumerable<string> EscapeCandidates(string traversal, string evilName)
    {
        yield return Path.Combine("/tmp", evilName);
        yield return Path.Combine("/", evilName);
        yield return Path.GetFullPath(traversal, Workspace.Root);
        var below = Workspace.DataDirectory;
        for (var depth = 0; depth <= 8; depth++, below = Path.Combine(below, "d"))
        {
            var landed = Path.GetFullPath(traversal, below);
            if (!landed.StartsWith(Workspace.DataDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                yield return landed;
        }
    }

    private static void AssertSafeFileName(string name, string original)
    {
        var why =
            name.Length == 0 ? "is empty" :
            name is "." or ".." ? "is a directory name" :
            name.IndexOfAny(['/', '\\', ':']) >= 0 ? "contains a path separator or drive colon" :
            name.Any(char.IsControl) ? "contains a control character" :
            name.Any(IsBidiControl) ? "contains a bidirectional override" :
            null;
        Assert.True(why is null, $"evidence fileName \"{Printable(name)}\" (sent as \"{Printable(original)}\") {why}");
    }

    private static bool IsBidiControl(char c) =>
        c is '\u200E' or '\u200F' or '\u061C' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static string Printable(string name) =>
        string.Concat(name.Select(c => char.IsControl(c) || IsBidiControl(c)
            ? $"<U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)}>"
            : c.ToString()));
}
