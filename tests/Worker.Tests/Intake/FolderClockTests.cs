using MailIntake.Worker.Intake;
using Microsoft.Extensions.Time.Testing;

namespace MailIntake.Worker.Tests.Intake;

/// <summary>The drop folder's clock: read from a probe file there once, carried on by the real clock, the real clock where it cannot be read.</summary>
public sealed class FolderClockTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("folder-clock-").FullName;

    [Fact]
    public void Now_WritableFolder_ReadsTheFolderStampAndLeavesNoProbeBehind()
    {
        var clock = new FolderClock(_folder, TimeProvider.System);
        var before = DateTime.UtcNow.AddSeconds(-1);

        var now = clock.Now();

        Assert.InRange(now, before, DateTime.UtcNow.AddSeconds(1));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void Now_ReadAgainWithinAMinute_CarriedOnByTheRealClockWithoutAnotherProbe()
    {
        var real = new FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(-3)); // far from the folder's stamps: a new probe would show
        var clock = new FolderClock(_folder, real);
        var first = clock.Now();

        real.Advance(TimeSpan.FromSeconds(59));
        var second = clock.Now();

        Assert.Equal(first + TimeSpan.FromSeconds(59), second);
    }

    [Fact]
    public void Now_AMinuteAfterItsReading_ReadsTheFolderAgain()
    {
        var real = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var clock = new FolderClock(_folder, real);
        var first = clock.Now();

        real.Advance(TimeSpan.FromDays(1)); // the folder's stamps do not move a day: read again, its clock shows it
        var again = clock.Now();

        Assert.InRange(again - first, TimeSpan.Zero, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Now_FolderThatCannotBeWritten_IsTheRealClock()
    {
        var real = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 15, 59, 30, TimeSpan.Zero));
        var clock = new FolderClock(Path.Combine(_folder, "gone"), real);

        var first = clock.Now();
        real.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal((new DateTime(2026, 12, 1, 15, 59, 30, DateTimeKind.Utc), new DateTime(2026, 12, 1, 15, 59, 50, DateTimeKind.Utc)), (first, clock.Now()));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
