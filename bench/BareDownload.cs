using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;

namespace MailIntake.Bench;

/// <summary>
/// The practical limit: every message of the folder written to its own file, nothing else. Sequential is one
/// FETCH per UID, the way the figure was taken; pipelined is one FETCH per 100 UIDs.
/// </summary>
public static class BareDownload
{
    public static async Task<(int Messages, long Bytes, TimeSpan Elapsed)> RunAsync(Stack stack, string folderName, string target, bool pipelined)
    {
        Directory.CreateDirectory(target);
        var watch = Stopwatch.StartNew();
        using var client = await stack.ConnectAsync();
        var folder = (ImapFolder)await client.GetFolderAsync(folderName);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var uids = await folder.SearchAsync(SearchQuery.All);
        long bytes = 0;
        if (pipelined)
        {
            foreach (var chunk in uids.Chunk(100))
            {
                await folder.GetStreamsAsync(chunk, async (_, _, uid, stream, token) =>
                {
                    await using var file = File.Create(Path.Combine(target, $"{uid.Id}.eml"));
                    await stream.CopyToAsync(file, token);
                    bytes += file.Length;
                });
            }
        }
        else
        {
            foreach (var uid in uids)
            {
                await using var stream = await folder.GetStreamAsync(uid);
                await using var file = File.Create(Path.Combine(target, $"{uid.Id}.eml"));
                await stream.CopyToAsync(file);
                bytes += file.Length;
            }
        }

        await client.DisconnectAsync(true);
        return (uids.Count, bytes, watch.Elapsed);
    }
}
