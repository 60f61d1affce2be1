using MailIntake.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// The action links opened with a real mail client: NeoMutt composes from the phone prompt's <c>mailto:</c> URL (its
/// own RFC 6068 decoding, its own MIME encoding of the Chinese subject and body) and sends through Postfix.
/// </summary>
public sealed class StaffActionRealClientTests(ITestOutputHelper output) : StaffActionTest(output)
{
    [Fact]
    public async Task PhonePromptConfirmLink_ComposedAndSentByNeomutt_ConfirmsTheNoticeAndAnswers()
    {
        var reference = await NoticeWithReplyAsync();
        var prompt = await PhonePromptAsync(reference);
        var (_, href) = Assert.Single(StaffMailClient.Links(prompt), link => link.Text == "已電話確認");

        await SendToCenterAsync(() => Neomutt.SendAsync(href, StaffAddress, MemberName, "staff@intake.test", Workspace.Root), "NeoMutt's mail from the 已電話確認 link");
        await Cli.RunOnceAsync();

        var confirmed = await Cli.ShowNoticeAsync(reference);
        Assert.True(confirmed.Status == "confirmed", $"the link sent by NeoMutt must confirm the notice: {Dump(confirmed)}");
        Assert.Equal(MemberName, Assert.Single(confirmed.PhoneConfirmations).By);
        var done = Assert.Single(await AnswersAsync("已處理", 1));
        AssertBodiesContain(done, "the confirmation", reference, "已電話確認");
        Assert.Equal(reference, Assert.Single(await Cli.ListMailAsync("staff-action")).NoticeRef);
    }
}
