using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.EndToEnd.Tests.TestData;
using MimeKit;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// Ordinary faults on the real Dovecot: duplicates told apart by content, a raw file gone or altered, and a passing
/// error while filing. Nothing is lost, buried or given a false verdict.
/// </summary>
public sealed class IntakeIntegrityTests(ITestOutputHelper output) : EndToEndTest(output)
{
    [Fact]
    public async Task SameMessageDeliveredTwiceWithOtherTransportHeaders_IsOneMail()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var raw = Crlf.Serialize(TestMessages.OutlookBig5Reply().Message);
        var relayed = Encoding.ASCII.GetBytes(
            "Received: from relay.example.tw (relay.example.tw [192.0.2.7]) by mx.intake.test; Tue, 1 Dec 2026 10:31:00 +0800\r\n" +
            "Delivered-To: center@intake.test\r\n").Concat(raw).ToArray();
        await Mailbox.AppendAsync(raw);
        await Mailbox.AppendAsync(relayed);

        await Cli.RunOnceAsync();

        var mails = await Cli.ListMailAsync();
        Assert.True(mails.Count == 1, $"one message delivered twice (only transport headers differ) is one mail: {Dump(mails)}");
        Assert.Equal(reference, mails[0].NoticeRef);
        Assert.Empty(mails[0].Flags ?? []);
    }

    [Fact]
    public async Task SameMessageWithoutMessageIdDeliveredTwiceWithOtherTransportHeaders_IsOneMailWithOneReceipt()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var message = TestMessages.OutlookBig5Reply().Message;
        message.Headers.Remove(HeaderId.MessageId);
        var raw = Crlf.Serialize(message);
        Assert.DoesNotContain("Message-ID", Encoding.ASCII.GetString(raw), StringComparison.OrdinalIgnoreCase);
        // One submission through two aliases, or a server migration that adds its own lines on top.
        var relayed = Encoding.ASCII.GetBytes(
            "Received: from relay2 by mx.intake.test; Tue, 1 Dec 2026 10:16:00 +0800\r\nStatus: RO\r\nX-Migrated-From: old-mail\r\n").Concat(raw).ToArray();
        var other = TestMessages.OutlookBig5Reply(subject: $"Re: {Orgs.TestGuild} 另一封").Message;
        other.Headers.Remove(HeaderId.MessageId);
        await Mailbox.AppendAsync(raw);
        await Mailbox.AppendAsync(relayed);
        await Mailbox.AppendAsync(other);

        await Cli.RunOnceAsync();

        var mails = await Cli.ListMailAsync();
        Assert.True(mails.Count == 2, $"the same message without a Message-ID is one mail, another message its own: {Dump(mails)}");
        Assert.Equal(2, (await Cli.ShowNoticeAsync(reference)).Replies.Count);
    }

    [Fact]
    public async Task OtherSenderAndSubjectWithSameMessageIdAndBody_IsItsOwnMailWhileARelayedCopyIsNot()
    {
        await Cli.ImportOrgsAsync(Orgs.Csv);
        var first = await Cli.IssueNoticeAsync(Orgs.TestGuild);
        var second = await Cli.IssueNoticeAsync(Orgs.SecondOrg);
        var message = TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {first} 改善回覆", from: "org1@intake.test").Message;
        var original = Crlf.Serialize(message);
        var relayed = Encoding.ASCII.GetBytes(
            "Received: from relay.example.tw (relay.example.tw [192.0.2.7]) by mx.intake.test; Tue, 1 Dec 2026 10:31:00 +0800\r\n" +
            "Delivered-To: center@intake.test\r\nX-Spam-Score: 0.1\r\n").Concat(original).ToArray();
        // Another organisation's mail naming another notice, with the same Message-ID and body (a client that reuses
        // IDs, a template sent by two people): not a copy of the first.
        message.From.Clear();
        message.From.Add(MailboxAddress.Parse("org2@intake.test"));
        message.Subject = $"Re: 限期改善單 {second} 改善回覆";
        var other = Crlf.Serialize(message);
        await Mailbox.AppendAsync(original);
        await Mailbox.AppendAsync(other);
        await Mailbox.AppendAsync(relayed);

        await Cli.RunOnceAsync();

        var mails = await Cli.ListMailAsync();
        Assert.True(mails.Count == 2, $"the other sender's mail is its own, the relayed copy is not: {Dump(mails)}");
        Assert.True(mails[0].NoticeRef == first && (mails[0].Flags ?? []).Count == 0, Dump(mails[0]));
        Assert.True(mails[1].From == "org2@intake.test" && (mails[1].Flags ?? []).SequenceEqual(["message-id-reused"]), Dump(mails[1]));
    }

    [Fact]
    public async Task SameMessageSubmittedTwiceThroughPostfix_IsOneMailAndVerifyStaysClean()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var message = TestMessages.OutlookBig5Reply(from: "org1@intake.test").Message;
        message.To.Clear();
        message.To.Add(MailboxAddress.Parse($"{Stack.CenterUser.Split('@')[0]}+{Mailbox.Folder}@{Stack.Domain}"));
        // Postfix delivers each submission with its own Received header: two copies that differ only in transport headers.
        await StaffMailClient.SendAsync(message, "org1@intake.test");
        await StaffMailClient.SendAsync(message, "org1@intake.test");
        for (var polls = 0; await Mailbox.CountAsync() < 2; polls++)
        {
            Assert.True(polls < 200, $"Postfix did not deliver both copies to {Mailbox.Folder}");
            await Task.Delay(300);
        }

        await Cli.RunOnceAsync();

        var mails = await Cli.ListMailAsync();
        Assert.True(mails.Count == 1 && mails[0].NoticeRef == reference, $"one message delivered twice is one mail: {Dump(mails)}");
        var verify = await Cli.RunAsync("store", "verify");
        Assert.True(verify.ExitCode == 0, $"the second delivery must leave no unrecorded raw file: {verify.Describe()}");
        Assert.Single(Directory.GetFiles(Path.Combine(Workspace.DataDirectory, "raw"), "*.eml", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task DifferentMessageReusingMessageId_IsItsOwnMailFlaggedMessageIdReused()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var first = TestMessages.OutlookBig5Reply().Message;
        var second = TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {Orgs.TestGuild} 補件").Message;
        second.MessageId = first.MessageId!;
        ((Multipart)second.Body!).Add(new MimePart("application", "pdf")
        {
            FileName = "附件1_補件.pdf",
            Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes("%PDF-1.4\n% a second scan\n%%EOF\n"))),
            ContentTransferEncoding = ContentEncoding.Base64,
        });
        await Mailbox.AppendAsync(first);
        await Mailbox.AppendAsync(second);

        await Cli.RunOnceAsync();

        var mails = await Cli.ListMailAsync();
        Assert.True(mails.Count == 2, $"a different message with a reused Message-ID must be its own mail: {Dump(mails)}");
        Assert.Empty(mails[0].Flags ?? []);
        Assert.Equal(["message-id-reused"], mails[1].Flags ?? []);
        Assert.All(mails, mail => Assert.Equal(reference, mail.NoticeRef));
        var notice = await Cli.ShowNoticeAsync(reference);
        Assert.True(notice.Replies.Count == 2 && notice.Replies.Any(reply => reply.Evidence.Count == 5),
            $"both replies are filed, the second with its extra attachment: {Dump(notice.Replies)}");

        // A restart reads both again: still two.
        await Cli.RunOnceAsync();
        Assert.Equal(2, (await Cli.ListMailAsync()).Count);
    }

    [Fact]
    public async Task MailShow_MessageIdReused_SaysSoInTextAndJson()
    {
        await ImportOrgsAndIssueNoticeAsync();
        var first = TestMessages.OutlookBig5Reply().Message;
        var second = TestMessages.OutlookBig5Reply(subject: $"Re: 限期改善單 {Orgs.TestGuild} 補件").Message;
        second.MessageId = first.MessageId!;
        await Mailbox.AppendAsync(first);
        await Mailbox.AppendAsync(second);
        await Cli.RunOnceAsync();
        var reused = Assert.Single(await Cli.ListMailAsync(), mail => (mail.Flags ?? []).Contains("message-id-reused"));

        var text = await Cli.RunOkAsync("mail", "show", reused.MailId);
        var json = await Cli.RunJsonNodeAsync("mail", "show", reused.MailId, "--json");

        Assert.True(text.Contains("（與另一封不同之郵件重複）", StringComparison.Ordinal), $"mail show must say the Message-ID is shared:\n{text}");
        Assert.Equal(["message-id-reused"], json["flags"]!.AsArray().Select(flag => (string?)flag));
    }

    [Fact]
    public async Task TransientErrorAfterFiling_LeavesMailReceivedWithEvidenceThenFailedThenFiledWithTrueReceipt()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var reply = TestMessages.OutlookBig5Reply();
        await Mailbox.AppendAsync(reply.Message);
        // Any I/O error while queueing the receipt: its folder is a file.
        var outbound = Path.Combine(Workspace.DataDirectory, "outbound");
        Directory.CreateDirectory(Workspace.DataDirectory);
        await File.WriteAllTextAsync(outbound, "not a folder");

        var once = await Cli.RunAsync("run", "--once");

        // h30h P7: the run and status said all was well (「收件完成：新收 1 封」, no 需注意) until the fifth failure.
        Assert.True(once.ExitCode == 0 && once.Stdout.Contains("另有 1 封處理失敗，原始檔已保存，尚未歸檔，將自動重試", StringComparison.Ordinal), once.Describe());
        var first = await Cli.RunAsync("status");
        Assert.True(first.Stdout.Contains("處理暫時失敗、等待重試之郵件 1 封", StringComparison.Ordinal), first.Describe());
        Assert.Equal(1, (await Cli.RunJsonNodeAsync("status", "--json"))["queues"]!["mailsRetrying"]!.GetValue<int>());
        var waiting = Assert.Single(await Cli.ListMailAsync());
        Assert.True(waiting.Kind == "received" && waiting.Reason?.Contains($"{outbound} 是檔案，不是資料夾", StringComparison.Ordinal) == true
                    && !waiting.Reason.Contains("Exception", StringComparison.Ordinal),
            $"a passing error is no verdict: the mail stays received, with the error in zh-TW naming the path: {Dump(waiting)}");
        Assert.Empty(await Cli.ListMailAsync("unmatched"));
        Assert.True((await Cli.ShowNoticeAsync(reference)).Replies.All(filed => filed.Evidence.Count == reply.Attachments.Count),
            "a failure after filing must not take the evidence away");

        for (var retry = 2; retry <= 5; retry++)
            await Cli.RunOnceAsync();

        var failed = Assert.Single(await Cli.ListMailAsync("failed"));
        Assert.Contains("5", failed.Reason, StringComparison.Ordinal);
        var status = await Cli.RunJsonNodeAsync("status", "--json");
        Assert.Equal(1, status["queues"]!["mailsFailed"]!.GetValue<int>());

        File.Delete(outbound);
        await Cli.RunOnceAsync();

        var filedMail = Assert.Single(await Cli.ListMailAsync());
        Assert.True(filedMail.Kind == "reply" && filedMail.NoticeRef == reference, $"healed, the mail is filed: {Dump(filedMail)}");
        var notice = await Cli.ShowNoticeAsync(reference);
        var filed = Assert.Single(notice.Replies);
        Assert.Equal(reply.Attachments.Count, filed.Evidence.Count);
        var receipt = Assert.Single(Directory.EnumerateFiles(Workspace.Outbox, "*.eml"));
        var text = (await MimeMessage.LoadAsync(receipt)).TextBody ?? string.Empty;
        Assert.True(text.Contains($"本次收到之檔案（共 {reply.Attachments.Count} 件）", StringComparison.Ordinal),
            $"the receipt must tell what was received:\n{text}");
        Assert.Equal(0, (await Cli.RunJsonNodeAsync("status", "--json"))["queues"]!["mailsFailed"]!.GetValue<int>());
    }

    [Fact]
    public async Task TransientErrorUnderIdle_MailIsRetriedWhenItsRetryFallsDueNotWhenTheIdleWaitEnds()
    {
        // IDLE for as long as the worker allows (9 minutes) and no polling: only the retry time can end the wait early.
        Cli.Environment["MailIntake__Mailbox__UseIdle"] = "true";
        Cli.Environment["MailIntake__Mailbox__PollInterval"] = "01:00:00";
        var reference = await ImportOrgsAndIssueNoticeAsync();
        await Cli.RunOnceAsync(); // the notice mail leaves: nothing waits in outbound/
        var outbound = Path.Combine(Workspace.DataDirectory, "outbound");
        if (Directory.Exists(outbound))
            Directory.Delete(outbound, recursive: true);
        await File.WriteAllTextAsync(outbound, "not a folder");
        await using var worker = WorkerProcess.Start(Cli, Output, "idle worker");
        await worker.WaitForLineAsync(line => line.Contains("IMAP connected", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "IMAP connection");

        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply().Message);
        await worker.WaitForLineAsync(line => line.Contains("failed (attempt 1)", StringComparison.Ordinal), WorkerProcess.ConnectTimeout, "the first failure");
        File.Delete(outbound);

        // The first retry is due a minute after the failure; the IDLE wait it used to sleep through ends after nine.
        // A bound on a hang, far under nine minutes, however loaded the machine is.
        await worker.WaitForLineAsync(line => line.Contains($"filed under {reference}", StringComparison.Ordinal), TimeSpan.FromMinutes(5), "the retry");

        Assert.Equal("reply", Assert.Single(await Cli.ListMailAsync()).Kind);
    }

    [Fact]
    public async Task RawFileMissingOrAltered_MailIsDamagedWithReasonAndIntakeGoesOn()
    {
        await ImportOrgsAndIssueNoticeAsync();
        // Two mails are left recorded but unprocessed (their receipt cannot be queued), then their raw files go bad.
        var outbound = Path.Combine(Workspace.DataDirectory, "outbound");
        Directory.CreateDirectory(Workspace.DataDirectory);
        await File.WriteAllTextAsync(outbound, "not a folder");
        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply().Message);
        await Mailbox.AppendAsync(TestMessages.OutlookBig5Reply(subject: $"Re: {Orgs.TestGuild} 第二封").Message);
        await Cli.RunOnceAsync();
        var raws = Directory.EnumerateFiles(Path.Combine(Workspace.DataDirectory, "raw"), "*.eml", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(Path.GetDirectoryName(path)) != "tmp").Order().ToList();
        Assert.Equal(2, raws.Count);
        File.Delete(raws[0]);
        await File.WriteAllTextAsync(raws[1], "overwritten");
        File.Delete(outbound);
        await Mailbox.AppendAsync(TestMessages.OutOfOffice());

        var run = await Cli.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, $"damaged raw files must not stop intake: {run.Describe()}");
        var mails = await Cli.ListMailAsync();
        var damaged = await Cli.ListMailAsync("damaged");
        Assert.True(damaged.Count == 2, $"both mails whose raw file is gone or altered are damaged: {Dump(mails)}");
        Assert.Contains(damaged, mail => mail.Reason!.Contains("原始檔不存在", StringComparison.Ordinal));
        Assert.Contains(damaged, mail => mail.Reason!.Contains("不符", StringComparison.Ordinal));
        Assert.Contains(mails, mail => mail.Kind == "auto-reply");
        JsonNode status = await Cli.RunJsonNodeAsync("status", "--json");
        Assert.Equal(2, status["queues"]!["mailsDamaged"]!.GetValue<int>());
        Assert.True(status["intake"]!["ok"]!.GetValue<bool>(), $"intake is healthy: {status}");
        var text = await Cli.RunOkAsync("status");
        Assert.Contains("原始檔遺失或損壞之郵件 2 封", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hostile finding h11x F9: a filed mail whose raw file (the loss only a backup mends) or evidence file went was
    /// heard of only by whoever ran <c>store verify</c>; status said all was well. Status names those mails at once.
    /// </summary>
    [Fact]
    public async Task FiledMailsRawOrEvidenceFileGone_StatusNamesTheMailsWithoutAVerify()
    {
        await ImportOrgsAndIssueNoticeAsync();
        var first = Crlf.Serialize(TestMessages.OutlookBig5Reply().Message);
        var second = Crlf.Serialize(TestMessages.OutlookBig5Reply(subject: $"Re: {Orgs.TestGuild} 第二封").Message);
        await Mailbox.AppendAsync(first);
        await Mailbox.AppendAsync(second);
        await Cli.RunOnceAsync();
        var statusBefore = await Cli.RunOkAsync("status");
        Assert.DoesNotContain("遺失", statusBefore, StringComparison.Ordinal);
        var mails = await Cli.ListMailAsync();
        Assert.True(mails.Count == 2 && mails.All(mail => mail.Kind == "reply"), Dump(mails));
        File.Delete(RawPathOf(first));
        var evidence = Directory.EnumerateFiles(Path.Combine(Workspace.DataDirectory, "evidence"), "*.bin", SearchOption.AllDirectories).Order().First();
        File.Delete(evidence);
        var firstId = long.Parse(mails.Single(mail => mail.Subject == TestMessages.OutlookBig5Reply().Message.Subject).MailId, CultureInfo.InvariantCulture);

        var text = await Cli.RunOkAsync("status");
        var json = await Cli.RunJsonNodeAsync("status", "--json");

        // Both replies carry the same attachment: the second's whole raw mail can give it again; the first, whose raw
        // mail is gone too, is named by the raw line alone, never told its evidence can be rebuilt (h20h J4).
        var secondId = mails.Select(mail => long.Parse(mail.MailId, CultureInfo.InvariantCulture)).Single(id => id != firstId);
        Assert.Contains($"原始郵件檔遺失之郵件 1 封（郵件 #{firstId}）", text, StringComparison.Ordinal);
        Assert.Contains($"佐證檔遺失之郵件 1 封（郵件 #{secondId}）：可由原始郵件重建", text, StringComparison.Ordinal);
        Assert.Equal([firstId], json["queues"]!["mailsRawGone"]!.AsArray().Select(id => id!.GetValue<long>()));
        Assert.Equal([secondId], json["queues"]!["mailsEvidenceGone"]!.AsArray().Select(id => id!.GetValue<long>()));
    }

    [Fact]
    public async Task DamagedMail_CopyDifferingOnlyInTransportHeaders_HealsItAndVerifyIsClean()
    {
        var reference = await ImportOrgsAndIssueNoticeAsync();
        var filed = Crlf.Serialize(TestMessages.OutlookBig5Reply().Message);
        // A second mail is recorded but left unprocessed (its receipt cannot be queued) before its raw file is altered.
        var unprocessed = Crlf.Serialize(TestMessages.OutlookBig5Reply(subject: $"Re: {Orgs.TestGuild} 第二封").Message);
        await Mailbox.AppendAsync(filed);
        await Cli.RunOnceAsync();
        var outbound = Path.Combine(Workspace.DataDirectory, "outbound");
        Directory.Move(outbound, outbound + ".away");
        await File.WriteAllTextAsync(outbound, "not a folder");
        await Mailbox.AppendAsync(unprocessed);
        await Cli.RunOnceAsync();
        File.Delete(outbound);
        Directory.Move(outbound + ".away", outbound);
        File.Delete(RawPathOf(filed));
        await File.WriteAllTextAsync(RawPathOf(unprocessed), "overwritten");
        await Cli.RunAsync("store", "repair");
        Assert.Equal(2, (await Cli.ListMailAsync("damaged")).Count);

        // The organisation's mail comes again through another route: the same message under other transport headers.
        static byte[] Relayed(byte[] raw) => Encoding.ASCII.GetBytes(
            "Received: from relay2.example.tw (relay2.example.tw [192.0.2.8]) by mx.intake.test; Wed, 2 Dec 2026 10:16:00 +0800\r\n" +
            "Resent-Date: Wed, 2 Dec 2026 10:00:00 +0800\r\n").Concat(raw).ToArray();
        await Mailbox.AppendAsync(Relayed(filed));
        await Mailbox.AppendAsync(Relayed(unprocessed));
        await Cli.RunOnceAsync();

        var mails = await Cli.ListMailAsync();
        Assert.True(mails.Count == 2 && mails.All(mail => mail.Kind == "reply" && mail.NoticeRef == reference),
            $"both damaged mails are whole again from their copies, the unprocessed one filed: {Dump(mails)}");
        Assert.Equal(2, (await Cli.ShowNoticeAsync(reference)).Replies.Count);
        var verify = await Cli.RunAsync("store", "verify");
        Assert.True(verify.ExitCode == 0, $"verify must find the store whole: {verify.Describe()}");
        var raw = Path.Combine(Workspace.Input, "first.eml");
        await Cli.RunOkAsync("mail", "show", mails[0].MailId, "--raw", "-o", raw);
        Assert.Equal(Relayed(filed), await File.ReadAllBytesAsync(raw));
    }

    private string RawPathOf(byte[] raw)
    {
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(raw));
        return Path.Combine(Workspace.DataDirectory, "raw", sha[..2], sha + ".eml");
    }
}
