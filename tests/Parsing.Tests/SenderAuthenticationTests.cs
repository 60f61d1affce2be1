using MimeKit;

namespace MailIntake.Parsing.Tests;

public sealed class SenderAuthenticationTests
{
    private static readonly string[] Trusted = ["mail.center.example.tw"];

    private static MimeMessage With(params string[] authenticationResults)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("wang@center.example.tw"));
        foreach (var header in authenticationResults)
        {
            message.Headers.Add(HeaderId.AuthenticationResults, header);
        }

        message.Body = new TextPart("plain") { Text = "x" };
        return message;
    }

    [Fact]
    public void Passed_TrustedServerSaysDmarcPass_IsTrue()
    {
        Assert.True(SenderAuthentication.Passed(With("mail.center.example.tw; spf=pass smtp.mailfrom=center.example.tw; dmarc=pass header.from=center.example.tw"), Trusted));
    }

    [Fact]
    public void Passed_NoHeaderOrOnlyAnUntrustedOne_IsFalse()
    {
        Assert.False(SenderAuthentication.Passed(With(), Trusted));
        Assert.False(SenderAuthentication.Passed(With("evil.example; spf=pass smtp.mailfrom=center.example.tw; dmarc=pass"), Trusted));
    }

    [Fact]
    public void Passed_PassAndFailTogether_IsFalse()
    {
        Assert.False(SenderAuthentication.Passed(With("mail.center.example.tw; spf=pass smtp.mailfrom=center.example.tw; dkim=fail header.d=center.example.tw"), Trusted));
    }

    [Fact]
    public void Passed_NoTrustedIdsConfigured_IsFalse()
    {
        Assert.False(SenderAuthentication.Passed(With("mail.center.example.tw; dmarc=pass"), []));
    }
}
