using System.Globalization;
using System.Text.RegularExpressions;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MailIntake.Parsing.StaffActions;
using MailIntake.Worker.StaffActions;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Staff act from Outlook through signed mailto links, end to end on Dovecot/Postfix: the link is taken from the staff
/// mail as delivered, composed as Outlook composes it and submitted through Postfix from the member's address.
/// </summary>
public sealed partial class StaffActionMailTests(ITestOutputHelper output) : StaffActionTest(output)
{
    [Fact]
    public async Task PhonePromptConfirmLink_ConfirmsOnceAnswersThenRefusesEveryOtherSender()
    {
        var reference = await NoticeWithReplyAsync();
        var prompt = await PhonePromptAsync(reference);
        var confirm = StaffMailClient.Link(prompt, "已電話確認");
        Assert.Contains("電話確認", StaffMailClient.Links(prompt).Select(l => l.Text).First(t => t.Contains("確認", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(CenterActionAddress, confirm.To);

        // The member edits the note line and sends.
        await ActAsync(confirm.WithLine("備註", "已與李大同通話"));

        var confirmed = await Cli.ShowNoticeAsync(reference);
        Assert.True(confirmed.Status == "confirmed", $"the link must confirm the notice: {Dump(confirmed)}");
        var call = Assert.Single(confirmed.PhoneConfirmations);
        Assert.Equal(MemberName, call.By);
        Assert.Equal("已與李大同通話", call.Note);
        Assert.Contains(confirmed.Timeline, e => (e.Detail ?? "").Contains("經由郵件", StringComparison.Ordinal) && (e.Detail ?? "").Contains(MemberName, StringComparison.Ordinal));
        var done = Assert.Single(await AnswersAsync("已處理", 1));
        AssertBodiesContain(done, "the confirmation", reference, "已電話確認");
        var staffAction = Assert.Single(await Cli.ListMailAsync("staff-action"));
        Assert.Equal(reference, staffAction.NoticeRef);

        // The same mail again: 已處理過, nothing changes.
        await ActAsync(confirm);
        var again = Assert.Single(await AnswersAsync("已處理過", 1));
        AssertBodiesContain(again, "the second use's answer", "已處理過");
        Assert.Single((await Cli.ShowNoticeAsync(reference)).PhoneConfirmations);

        // The same body from the organisation, from a non-member, with an altered and with an expired token: refused, suspicious.
        await ActAsync(confirm, from: Org1Address);
        await ActAsync(confirm, from: Org2Address);
        await ActAsync(Altered(confirm));
        await ActAsync(Expired(confirm));
        await ActAsync(confirm, from: OtherMemberAddress);

        var suspicious = await Cli.ListMailAsync("suspicious");
        Assert.True(suspicious.Count == 5, $"five refused commands listed suspicious: {Dump(suspicious)}");
        // Worded for staff: no configuration key (h10x #4).
        Assert.Contains(suspicious, m => m.From == Org1Address && (m.Reason ?? "").Contains("不是設定檔所列可經由郵件處理之承辦人員", StringComparison.Ordinal));
        Assert.Contains(suspicious, m => m.From == Org2Address && (m.Reason ?? "").Contains("不是設定檔所列可經由郵件處理之承辦人員", StringComparison.Ordinal));
        Assert.DoesNotContain(suspicious, m => (m.Reason ?? "").Contains("Staff:Members", StringComparison.Ordinal));
        Assert.Contains(suspicious, m => (m.Reason ?? "").Contains("遭修改", StringComparison.Ordinal));
        Assert.Contains(suspicious, m => (m.Reason ?? "").Contains("失效", StringComparison.Ordinal));
        Assert.Contains(suspicious, m => m.From == OtherMemberAddress && (m.Reason ?? "").Contains(StaffAddress, StringComparison.Ordinal));
        var after = await Cli.ShowNoticeAsync(reference);
        Assert.True(after.Status == "confirmed" && after.PhoneConfirmations.Count == 1 && after.Replies.Count == 1,
            $"no refused command changed the notice or was filed as a reply: {Dump(after)}");
        // The organisation and the stranger hear nothing back.
        await Delivered.SettleAsync(Org1Address);
        Assert.DoesNotContain(await Delivered.ToAsync(Org1Address), m => (m.Subject ?? "").StartsWith("【", StringComparison.Ordinal) && (m.Subject ?? "").Contains("處理", StringComparison.Ordinal));
    }

    /// <summary>h10z N: a call confirmed by mail is dated when the member wrote the mail, not when the worker read it.</summary>
    [Fact]
    public async Task ConfirmLinkWrittenBeforeALaterReplyButReadAfterIt_IsRecordedAtItsDateForTheReplyThenLatest()
    {
        var reference = await NoticeWithReplyAsync();
        var prompt = await PhonePromptAsync(reference);
        var action = StaffMailClient.Compose(StaffMailClient.Link(prompt, "已電話確認"), StaffAddress);
        var written = action.Date = DateTimeOffset.FromUnixTimeSeconds(action.Date.ToUnixTimeSeconds()).ToOffset(TimeSpan.FromHours(8));

        // Another reply arrives before the worker reads the member's mail (an outage, a weekend).
        await Mailbox.AppendAsync(OrganisationMail($"Re: 限期改善單 {reference} 補件", "補上附件。\n"));
        await SendToCenterAsync(action);
        await Cli.RunOnceAsync();

        var notice = await Cli.ShowNoticeAsync(reference);
        var call = Assert.Single(notice.PhoneConfirmations);
        Assert.True(DateTimeOffset.Parse(call.At, CultureInfo.InvariantCulture) - written is { TotalSeconds: >= 0 and < 1 },
            $"the call is dated when the member wrote the mail ({written:O}): {Dump(notice)}");
        var first = notice.Replies.MinBy(reply => reply.ReceivedAt)!.MailId;
        Assert.True(notice.Replies.Count == 2 && notice.Status == "replied" && notice.Timeline.Any(e => (e.Detail ?? "").Contains($"以電話確認郵件 #{first}", StringComparison.Ordinal)),
            $"the call confirms the reply it was about (#{first}); the later reply still awaits its call: {Dump(notice)}");
        AssertBodiesContain(Assert.Single(await AnswersAsync("已處理", 1)), "the answer", reference, $"電話確認郵件 #{first}", "已聯繫確認");
    }

    [Fact]
    public async Task ConfirmLinkSentHtmlOnly_ConfirmsTheNotice()
    {
        var reference = await NoticeWithReplyAsync();
        var prompt = await PhonePromptAsync(reference);

        await ActAsync(StaffMailClient.Link(prompt, "未接通").WithLine("確認人", "林小華"), htmlOnly: true);

        var notice = await Cli.ShowNoticeAsync(reference);
        var call = Assert.Single(notice.PhoneConfirmations);
        Assert.True(notice.Status == "replied" && call.By == "林小華", $"a call that did not reach anyone is recorded by the named confirmer and confirms nothing: {Dump(notice)}");
        AssertBodiesContain(Assert.Single(await AnswersAsync("已處理", 1)), "the answer", reference, "已回覆");
    }

    /// <summary>h10u M: a member's 未接通 link on a reply another member had confirmed meanwhile is recorded, and its answer says who confirmed it.</summary>
    [Fact]
    public async Task NoAnswerLink_ReplyConfirmedMeanwhileByAnotherMember_AnswerSaysWhoConfirmedIt()
    {
        var reference = await NoticeWithReplyAsync();
        var prompt = await PhonePromptAsync(reference);
        await Cli.RunOkAsync("notice", "confirm-phone", reference, "--by", "林書記");

        await ActAsync(StaffMailClient.Link(prompt, "未接通"));

        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Status == "confirmed" && notice.PhoneConfirmations.Count == 2, $"the later call is recorded and confirms nothing less: {Dump(notice)}");
        AssertBodiesContain(Assert.Single(await AnswersAsync("已處理", 1)), "the answer", "之回覆已於", "由林書記電話確認，無須再致電機關");
    }

    /// <summary>The link with one digit of its target changed, in subject and body alike.</summary>
    private static Mailto Altered(Mailto link)
    {
        var token = TokenOf(link);
        var altered = token with { Target = token.Target == "1" ? "2" : "1" };
        return Replace(link, token, altered);
    }

    /// <summary>The link as it would have been issued fifteen days ago: a fresh signature (the program's own key) with an expiry in the past.</summary>
    private Mailto Expired(Mailto link)
    {
        var token = TokenOf(link);
        var key = Convert.FromBase64String(File.ReadAllText(Path.Combine(Workspace.DataDirectory, ActionKeyStore.FileName)).Trim());
        StaffActionCodes.TryParse(token.Action, out var kind);
        var expired = ActionSignature.Sign(key, kind, token.Target, StaffAddress, TestClock.Now.AddDays(-1));
        return Replace(link, token, expired);
    }

    private static ActionToken TokenOf(Mailto link)
    {
        var text = Assert.Single(ActionToken.FindAll(link.Body).Distinct());
        Assert.True(ActionToken.TryParse(text, out var token));
        return token;
    }

    private static Mailto Replace(Mailto link, ActionToken from, ActionToken to)
    {
        var pattern = new Regex(Regex.Escape(from.ToString()), RegexOptions.IgnoreCase);
        return link with { Subject = pattern.Replace(link.Subject, to.ToString()), Body = pattern.Replace(link.Body, to.ToString()) };
    }
}
