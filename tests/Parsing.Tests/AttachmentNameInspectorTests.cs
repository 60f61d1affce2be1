namespace MailIntake.Parsing.Tests;

public class AttachmentNameInspectorTests
{
    [Fact]
    public void Inspect_OrdinaryName_IsUnchangedWithoutFlags()
    {
        AttachmentName name = AttachmentNameInspector.Inspect("防火牆設定.pdf", 0);
        Assert.Equal("防火牆設定.pdf", name.FileName);
        Assert.Null(name.Item);
        Assert.Empty(name.Flags);
    }

    [Fact]
    public void Inspect_UnixTraversal_KeepsLastSegmentAndFlagsPath()
    {
        AttachmentName name = AttachmentNameInspector.Inspect("../../etc/passwd", 0);
        Assert.Equal("passwd", name.FileName);
        Assert.Equal(["path"], name.Flags);
    }

    [Fact]
    public void Inspect_WindowsPathWithDrive_KeepsLastSegmentAndFlagsPath()
    {
        AttachmentName name = AttachmentNameInspector.Inspect("C:\\Windows\\x.pdf", 0);
        Assert.Equal("x.pdf", name.FileName);
        Assert.Equal(["path"], name.Flags);
    }

    [Fact]
    public void Inspect_DriveRelativeName_RemovesDriveAndFlagsPath()
    {
        AttachmentName name = AttachmentNameInspector.Inspect("C:x.pdf", 0);
        Assert.Equal("x.pdf", name.FileName);
        Assert.Equal(["path"], name.Flags);
    }

    [Theory]
    [InlineData("nul:", "_nul_", new[] { "path", "device-name" })]
    [InlineData("COM1:.txt", "_COM1_.txt", new[] { "path", "device-name" })]
    [InlineData("report.pdf:hidden.exe", "report.pdf_hidden.exe", new[] { "path", "executable" })]
    public void Inspect_ColonAfterTheDrive_IsReplacedAndFlagsPath(string original, string expected, string[] flags)
    {
        AttachmentName name = AttachmentNameInspector.Inspect(original, 0);
        Assert.Equal(expected, name.FileName);
        Assert.Equal(flags, name.Flags);
    }

    [Fact]
    public void Inspect_DotDotAlone_FallsBackToIndexName()
    {
        AttachmentName name = AttachmentNameInspector.Inspect("..", 4);
        Assert.Equal("未命名檔案-4", name.FileName);
        Assert.Equal(["path", "no-name"], name.Flags);
    }

    [Fact]
    public void Inspect_DoubleDotInsideName_IsNotAPath()
    {
        AttachmentName name = AttachmentNameInspector.Inspect("report..v2.pdf", 0);
        Assert.Equal("report..v2.pdf", name.FileName);
        Assert.Empty(name.Flags);
    }

    [Theory]
    [InlineData("CON.txt", "_CON.txt")]
    [InlineData("nul", "_nul")]
    [InlineData("Aux.tar.gz", "_Aux.tar.gz")]
    [InlineData("com1.pdf", "_com1.pdf")]
    [InlineData("LPT9", "_LPT9")]
    [InlineData("prn .doc", "_prn .doc")]
    public void Inspect_WindowsDeviceName_IsPrefixedAndFlagged(string original, string expected)
    {
        AttachmentName name = AttachmentNameInspector.Inspect(original, 0);
        Assert.Equal(expected, name.FileName);
        Assert.Equal(["device-name"], name.Flags);
    }

    [Theory]
    [InlineData("CONSOLE.txt")]
    [InlineData("COM10.pdf")]
    [InlineData("console")]
    public void Inspect_NameMerelyStartingLikeDevice_IsNotFlagged(string original)
    {
        AttachmentName name = AttachmentNameInspector.Inspect(original, 0);
        Assert.Equal(original, name.FileName);
        Assert.Empty(name.Flags);
    }

    [Fact]
    public void Inspect_300CharacterName_TruncatesStemKeepsExtension()
    {
        string original = new string('a', 296) + ".pdf";
        AttachmentName name = AttachmentNameInspector.Inspect(original, 0);
        Assert.Equal(200, name.FileName.Length);
        Assert.Equal(new string('a', 196) + ".pdf", name.FileName);
        Assert.Equal(["long-name"], name.Flags);
    }

    [Fact]
    public void Inspect_LongNameEndingInSurrogatePair_DoesNotSplitThePair()
    {
        string original = new string('a', 195) + "😀😀😀" + ".pdf";
        AttachmentName name = AttachmentNameInspector.Inspect(original, 0);
        Assert.True(name.FileName.Length <= 200);
        Assert.False(char.IsHighSurrogate(name.FileName[^5]));
        Assert.EndsWith(".pdf", name.FileName);
    }

    [Fact]
    public void Inspect_NameOfExactly200Characters_IsKept()
    {
        string original = new string('b', 196) + ".pdf";
        AttachmentName name = AttachmentNameInspector.Inspect(original, 0);
        Assert.Equal(original, name.FileName);
        Assert.Empty(name.Flags);
    }

    [Fact]
    public void Inspect_NulCharacter_IsRemovedAndFlagged()
    {
        AttachmentName name = AttachmentNameInspector.Inspect("a\0b.pdf", 0);
        Assert.Equal("ab.pdf", name.FileName);
        Assert.Equal(["control-characters"], name.Flags);
    }

    /// <summary>Hostile finding h10v #5: U+FFFF was kept in the display name (receipt, notice show) and not flagged.</summary>
    [Theory]
    [InlineData(0xFFFF)]
    [InlineData(0xFFFE)]
    [InlineData(0xFDD0)]
    [InlineData(0xD800)]
    [InlineData(0xDC00)]
    public void Inspect_NonCharacterOrLoneSurrogate_IsRemovedAndFlagged(int unit)
    {
        var decoded = "附件1_防火牆" + (char)unit + ".txt";
        AttachmentName name = AttachmentNameInspector.Inspect(decoded, 0);
        Assert.Equal("附件1_防火牆.txt", name.FileName);
        Assert.Equal(["control-characters"], name.Flags);
    }

    [Fact]
    public void Inspect_CharacterOutsideTheBasicPlane_IsKept()
    {
        AttachmentName name = AttachmentNameInspector.Inspect("附件1_𠀋.pdf", 0);
        Assert.Equal("附件1_𠀋.pdf", name.FileName);
        Assert.Empty(name.Flags);
    }

    [Fact]
    public void Inspect_NewlinesAndDelete_AreRemovedAndFlagged()
    {
        AttachmentName name = AttachmentNameInspector.Inspect("scan\r\nresult\u007F.png", 0);
        Assert.Equal("scanresult.png", name.FileName);
        Assert.Equal(["control-characters"], name.Flags);
    }

    [Fact]
    public void Inspect_RightToLeftOverrideTrick_RevealsExecutable()
    {
        // Displayed as "附件2exe.pdf" by a client that honours U+202E.
        AttachmentName name = AttachmentNameInspector.Inspect("附件2\u202Efdp.exe", 1);
        Assert.Equal("附件2fdp.exe", name.FileName);
        Assert.Equal(2, name.Item);
        Assert.Equal(["rtl-override", "executable"], name.Flags);
    }

    [Theory]
    [InlineData("\u200Ea.pdf")]
    [InlineData("\u200Fa.pdf")]
    [InlineData("\u202Aa.pdf")]
    [InlineData("\u202Da.pdf")]
    [InlineData("\u2066a.pdf")]
    [InlineData("\u2069a.pdf")]
    public void Inspect_AnyBidiControl_IsRemovedAndFlagged(string original)
    {
        AttachmentName name = AttachmentNameInspector.Inspect(original, 0);
        Assert.Equal("a.pdf", name.FileName);
        Assert.Equal(["rtl-override"], name.Flags);
    }

    [Theory]
    [InlineData(" .hidden.pdf. ", "hidden.pdf")]
    [InlineData("...report.docx", "report.docx")]
    [InlineData("report.docx . .", "report.docx")]
    public void Inspect_LeadingAndTrailingDotsAndSpaces_AreTrimmed(string original, string expected)
    {
        Assert.Equal(expected, AttachmentNameInspector.Inspect(original, 0).FileName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("...")]
    public void Inspect_NoUsableName_UsesIndexAndFlagsNoName(string? original)
    {
        AttachmentName name = AttachmentNameInspector.Inspect(original, 3);
        Assert.Equal("未命名檔案-3", name.FileName);
        Assert.Equal(["no-name"], name.Flags);
    }

    [Theory]
    [InlineData("setup.exe")]
    [InlineData("run.BAT")]
    [InlineData("script.ps1")]
    [InlineData("shortcut.lnk")]
    [InlineData("page.hta")]
    [InlineData("tool.jar")]
    public void Inspect_ExecutableExtension_IsFlagged(string original)
    {
        Assert.Equal(["executable"], AttachmentNameInspector.Inspect(original, 0).Flags);
    }

    [Theory]
    [InlineData("report.pdf.exe")]
    [InlineData("掃毒結果.docx.scr")]
    [InlineData("photo.JPG.js")]
    [InlineData("logs.zip.com")]
    [InlineData("report.pdf   .exe")]
    public void Inspect_DocumentExtensionBeforeExecutable_FlagsDoubleExtension(string original)
    {
        Assert.Equal(["executable", "double-extension"], AttachmentNameInspector.Inspect(original, 0).Flags);
    }

    [Theory]
    [InlineData("report.exe.pdf")]
    [InlineData("archive.tar.gz")]
    [InlineData("v1.2.exe")]
    public void Inspect_NoDocumentBeforeExecutable_DoesNotFlagDoubleExtension(string original)
    {
        Assert.DoesNotContain("double-extension", AttachmentNameInspector.Inspect(original, 0).Flags);
    }

    [Fact]
    public void Inspect_EverythingWrong_ListsFlagsInFixedOrder()
    {
        string original = "..\\evil\0\u202E" + new string('x', 300) + ".pdf.exe";
        AttachmentName name = AttachmentNameInspector.Inspect(original, 0);
        Assert.Equal(["path", "control-characters", "rtl-override", "long-name", "executable", "double-extension"], name.Flags);
        Assert.Equal(200, name.FileName.Length);
        Assert.EndsWith(".exe", name.FileName);
    }

    [Theory]
    [InlineData("附件1.pdf", 1)]
    [InlineData("附件 2 防毒掃描結果.png", 2)]
    [InlineData("附件３.xlsx", 3)]
    [InlineData("附件三_公文文號清單.xlsx", 3)]
    [InlineData("附件壹.pdf", 1)]
    [InlineData("附件貳.pdf", 2)]
    [InlineData("附件參.pdf", 3)]
    [InlineData("附件肆.pdf", 4)]
    [InlineData("附件四.pdf", 4)]
    [InlineData("附件-1.pdf", 1)]
    [InlineData("附件_4.jpg", 4)]
    [InlineData("附件(1).pdf", 1)]
    [InlineData("附件（２）.pdf", 2)]
    [InlineData("限期改善單佐證資料附件2.pdf", 2)]
    public void Inspect_NamedAttachmentItem_ReadsItem(string original, int item)
    {
        Assert.Equal(item, AttachmentNameInspector.Inspect(original, 0).Item);
    }

    [Theory]
    [InlineData("附件5.pdf")]
    [InlineData("附件0.pdf")]
    [InlineData("附件12.pdf")]
    [InlineData("附件八_限期改善單.docx")]
    [InlineData("防毒掃描結果.pdf")]
    [InlineData("attachment1.pdf")]
    public void Inspect_NoItemOneToFour_GivesNullItem(string original)
    {
        Assert.Null(AttachmentNameInspector.Inspect(original, 0).Item);
    }

    [Fact]
    public void Inspect_TnefPlaceholderUntitledAttachment_IsANamelessFileNamedInChinese()
    {
        AttachmentName name = AttachmentNameInspector.Inspect("Untitled Attachment", 3);

        Assert.Equal("未命名檔案-3", name.FileName);
        Assert.Contains("no-name", name.Flags);
    }
}
