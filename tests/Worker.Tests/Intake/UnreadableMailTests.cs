using System.Text;
using MailIntake.Storage;
using MailIntake.Worker.Intake;

namespace MailIntake.Worker.Tests.Intake;

/// <summary>
/// Files that are no readable mail are each recorded, raw kept, and held for staff: one is never taken for a copy of
/// another because neither has a header a sender writes (h30h P14).
/// </summary>
public sealed class UnreadableMailTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    [Fact]
    public async Task IngestAsync_SeveralDifferentUnreadableFiles_EachRecordedWithItsRawKept()
    {
        var random = new Random(7);
        var junk1 = new byte[3000];
        var junk2 = new byte[3000];
        random.NextBytes(junk1);
        random.NextBytes(junk2);
        var files = new[]
        {
            junk1,
            junk2,
            Encoding.Unicode.GetBytes("From: lee@org1.example.tw\r\nSubject: 回覆 TN-115-0001\r\n\r\n改善完成\r\n"),
            Encoding.Unicode.GetBytes("From: contact@org2.example.tw\r\nSubject: 回覆 TN-115-0002\r\n\r\n改善完成\r\n"),
        };

        var results = new List<RecordResult>();
        foreach (var file in files)
        {
            results.Add(await _harness.Get<IntakeProcessor>().IngestAsync(new MemoryStream(file), "folder:junk.eml", checkpoint: null, CancellationToken.None));
        }

        Assert.All(results, result => Assert.True(result.IsNew, $"mail #{result.MailId} was taken for a copy of another"));
        var mails = _harness.Get<MailRepository>().List(null);
        Assert.Equal(files.Length, mails.Count);
        Assert.All(mails, mail => Assert.True(File.Exists(Path.Combine(_harness.Folder, "data", mail.RawPath)), $"raw of #{mail.MailId} kept"));
        Assert.All(mails, mail => Assert.False(mail.Settled, $"#{mail.MailId} is held for staff"));
    }

    public void Dispose() => _harness.Dispose();
}
