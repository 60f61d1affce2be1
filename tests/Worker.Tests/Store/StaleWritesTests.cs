using MailIntake.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Tests.Store;

/// <summary>
/// h31h Q9: a send killed mid-write left its pickup-folder temporary (<c>.ID.eml.HEX.tmp</c>) that no later run cleared:
/// <c>store verify</c> exited 1 until a <c>store repair</c>. A run's start clears one no process holds open; one a
/// command beside it is writing now is left.
/// </summary>
public sealed class StaleWritesTests : IDisposable
{
    private readonly WorkerHarness _harness = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));

    private string Outbox => Path.Combine(_harness.Folder, "data", "outbox");

    [Fact]
    public void ClearStaleWrites_PickupTemporaryNoProcessHoldsOpen_IsRemovedAndVerifyIsClean()
    {
        Directory.CreateDirectory(Outbox);
        var dead = Path.Combine(Outbox, $".62ab427ce1c8806e85c0a71b.eml.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(dead, "");
        var verifier = _harness.Get<StoreVerifier>();
        Assert.Contains(verifier.Leftovers(), problem => problem.Path.EndsWith(Path.GetFileName(dead), StringComparison.Ordinal));

        AppHost.ClearStaleWrites(_harness.Services);

        Assert.False(File.Exists(dead), "the leftover of a killed send goes");
        Assert.Empty(verifier.Leftovers());
    }

    [Fact]
    public void ClearStaleWrites_PickupTemporaryBeingWrittenNow_IsLeft()
    {
        Directory.CreateDirectory(Outbox);
        var writing = Path.Combine(Outbox, $".62ab427ce1c8806e85c0a71c.eml.{Guid.NewGuid():N}.tmp");
        using var writer = new FileStream(writing, FileMode.CreateNew, FileAccess.Write);
        writer.Write("Subject: half"u8);
        writer.Flush();

        AppHost.ClearStaleWrites(_harness.Services);

        Assert.True(File.Exists(writing), "a write in flight is never taken from under its writer");
    }

    public void Dispose() => _harness.Dispose();
}
