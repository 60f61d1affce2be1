using MailIntake.Parsing.Tests.Fuzz;
using MailIntake.Tests.Hostile;

namespace MailIntake.Parsing.Tests;

/// <summary>
/// The hostile corpus (tests/HostileCorpus) at full size through every parsing step, on a thread with the intake's
/// stack: nothing may throw but FormatException from a load, and nothing may take long: each
/// input gets 10 s of CPU (not of the clock, which a loaded CI machine stretches).
/// </summary>
public sealed class HostileCorpusTests
{
    private static readonly Lazy<IReadOnlyList<HostileInput>> Inputs = new(() => HostileCorpus.All("TN-115-0001", "parsing", HostileScale.Full));

    // Listed by position at seed scale (cheap to enumerate); the test itself takes the full-size input at that position.
    public static TheoryData<int, string> Names()
    {
        var data = new TheoryData<int, string>();
        foreach (var (input, index) in HostileCorpus.All("TN-115-0001", "parsing", HostileScale.Seed).Select((input, index) => (input, index)))
        {
            data.Add(index, input.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Pipeline_HostileInput_ThrowsNothingButFormatExceptionWithinTenCpuSeconds(int index, string shape)
    {
        var input = Inputs.Value[index];
        Assert.True(string.Concat(input.Name.Where(char.IsLetter)) == string.Concat(shape.Where(char.IsLetter)), $"{input.Name} is not {shape}");

        FuzzRunner.RunIsolated(input.Bytes, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Load_ZipBombAttachment_IsKeptCompressedAndSmall()
    {
        var bomb = HostileCorpus.ZipBomb(HostileScale.Full.ZipBombEntryBytes);

        // 64 GB of zeros must arrive as a file of kilobytes: that is what the intake stores, never expanded.
        Assert.InRange(bomb.Length, 1, 512 * 1024);
    }
}
