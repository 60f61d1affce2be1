using System.Net;
using MailIntake.EndToEnd.Tests.Harness;
using MailIntake.Parsing;
using MimeKit;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests;

/// <summary>
/// 法令依據 comes from <c>Center:LegalBasis</c>: the notice mail (text and HTML), its fillable forms and the export
/// print the configured regulation points, and a setting that names no point stops the program at start.
/// </summary>
public sealed class LegalBasisTests(ITestOutputHelper output) : OutboundMailTest(output)
{
    private const string LegalBasis =
        "臺南市政府組織及團體輕量化收發平台（WebjAgent）系統申請及使用須知第七點（第二項第三款）、公文電子交換系統資訊安全管理規範第十二點（第一項第二款）。";

    protected override void ConfigureProgram(MailIntakeCli cli)
    {
        base.ConfigureProgram(cli);
        cli.Environment["MailIntake__Center__LegalBasis"] = LegalBasis;
    }

    [Fact]
    public async Task NoticeMailFormsAndExport_PrintTheConfiguredLegalBasis()
    {
        var (reference, mail, _) = await IssueAndDeliverNoticeAsync();

        Assert.Contains($"法令依據：{LegalBasis}", mail.TextBody);
        Assert.Contains(LegalBasis, WebUtility.HtmlDecode(mail.HtmlBody));
        foreach (var form in mail.Attachments.OfType<MimePart>().Where(part => part.FileName is { } name && (name.EndsWith(".docx") || name.EndsWith(".odt"))))
        {
            using var content = new MemoryStream();
            await form.Content!.DecodeToAsync(content);
            content.Position = 0;
            var text = FormTextExtractor.ExtractText(form.FileName, content);
            Assert.True(text is not null && text.Contains($"法令依據：{LegalBasis}", StringComparison.Ordinal), $"{form.FileName} must print the configured 法令依據:\n{text}");
        }

        var html = Path.Combine(Workspace.Input, "export.html");
        await Cli.RunOkAsync("notice", "export", reference, "--format", "html", "-o", html);
        Assert.Contains(LegalBasis, WebUtility.HtmlDecode(await File.ReadAllTextAsync(html)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("依相關規定辦理。")]
    public async Task AnyCommand_LegalBasisWithoutARegulationPoint_StopsAtStartNamingTheKey(string legalBasis)
    {
        Cli.Environment["MailIntake__Center__LegalBasis"] = legalBasis;

        var result = await Cli.RunAsync("orgs", "list");

        Assert.True(result.ExitCode == 1, $"a bad setting stops the program, exit 1: {result.Describe()}");
        Assert.Contains("MailIntake:Center:LegalBasis", Assert.Single(result.StderrLines));
    }
}
