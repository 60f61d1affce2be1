using System.Net.Sockets;
using MailIntake.Parsing;
using MailIntake.Worker.Application;
using MailKit.Net.Smtp;
using Microsoft.Data.Sqlite;

namespace MailIntake.Worker.Tests.Application;

/// <summary>What staff read about a failure or a machine-sent mail is zh-TW and never names a .NET type.</summary>
public sealed class StaffFacingTextTests
{
    public static TheoryData<AutomaticSign> Signs() => new(Enum.GetValues<AutomaticSign>());

    [Theory]
    [MemberData(nameof(Signs))]
    public void AutomaticSignText_EverySign_IsWordedInChineseWithTheEvidence(AutomaticSign sign)
    {
        var text = AutomaticSignText.Of(new AutomaticClassification(AutomaticKind.AutoReply, sign, "EVIDENCE"));

        Assert.Contains(text, character => character is >= '\u4e00' and <= '\u9fff');
        Assert.DoesNotContain("sender ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("starts with", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" part", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AutomaticSignText_SubjectPrefix_QuotesThePrefixFound()
    {
        var text = AutomaticSignText.Of(new AutomaticClassification(AutomaticKind.AutoReply, AutomaticSign.SubjectPrefix, "Out of Office"));

        Assert.Equal("主旨以「Out of Office」開頭", text);
    }

    /// <summary>Hostile finding h10v #6: a one-line note holding U+FFFF was refused by mail as if it were too long or several lines.</summary>
    [Fact]
    public void ActionRefusalText_NoteWithANonCharacter_SaysItsLengthAndWhatToRemove()
    {
        var refusal = Assert.Throws<NoticeRuleException>(() => RequestChecks.Note("對方\uFFFF空號"));

        var line = MailIntake.Worker.StaffActions.ActionRefusalText.Line(refusal);

        Assert.Contains("收到 5 字", line, StringComparison.Ordinal);
        Assert.Contains("無法保存之字元（如 U+FFFF）", line, StringComparison.Ordinal);
    }

    public static TheoryData<Exception, string> Failures() => new()
    {
        { new IOException("Connection reset by peer", new SocketException(104)), "無法與郵件伺服器通訊：Connection reset by peer" },
        { new SqliteException("SQLite Error 5: 'database is locked'.", 5), "資料庫忙碌或被另一程序鎖定" },
        { new SqliteException("SQLite Error 13: 'database or disk is full'.", 13), "磁碟空間不足，資料庫無法寫入" },
        { new SqliteException("SQLite Error 1: 'no such table'.", 1), "資料庫錯誤（SQLite 錯誤碼 1）" },
        { new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "5.1.1 User unknown"), "寄件伺服器拒絕（代碼 550）：5.1.1 User unknown" },
        { new UnauthorizedAccessException("Access to the path '/data/outbound/x.eml' is denied."), "檔案或資料夾無法使用：/data/outbound/x.eml（沒有存取權限）" },
        { new InvalidOperationException("Sequence contains no elements"), "程式發生未預期的錯誤：Sequence contains no elements" },
        // h15h K3: one line naming the file and what happened, for an older copy written over it as for one moved over it.
        { new Storage.DatabaseReplacedException("/data/mailintake.db", olderCopy: true), "資料庫檔案 /data/mailintake.db 已被較舊之副本覆寫（檔頭倒退，已非收件服務所留下之資料庫，與其寫入中之紀錄合併後不再完整）：收件與寄件已停止，此後未收下、未寄出任何郵件；請管理者停止所有使用此資料目錄之程式，由備份還原資料庫後重新啟動收件服務" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void FailureText_Line_SaysWhatFailedInChineseWithoutTheTypeName(Exception exception, string expected)
    {
        var line = FailureText.Line(exception);

        Assert.Equal(expected, line);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
    }
}
