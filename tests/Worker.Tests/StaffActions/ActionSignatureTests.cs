using System.Text;
using MailIntake.Parsing.StaffActions;
using MailIntake.Worker.StaffActions;

namespace MailIntake.Worker.Tests.StaffActions;

public sealed class ActionSignatureTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a test key of thirty-two characters!");
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
    private static readonly string[] Members = ["wang@center.example.tw", "lin@center.example.tw"];

    private static ActionToken Issued() => ActionSignature.Sign(Key, StaffActionKind.ConfirmReached, "42", "Wang@Center.example.tw", Now.AddDays(14));

    [Fact]
    public void Verify_SentByTheMemberItWasIssuedTo_IsValidWhateverTheCase()
    {
        var token = Issued();
        Assert.True(ActionToken.TryParse(token.ToString().ToUpperInvariant(), out var travelled));

        Assert.Equal(TokenCheck.Valid, ActionSignature.Verify(Key, travelled, "wang@center.example.tw", Members, Now).Check);
    }

    [Fact]
    public void Verify_SentByAnotherMember_NamesWhomItWasIssuedTo()
    {
        var verdict = ActionSignature.Verify(Key, Issued(), "lin@center.example.tw", Members, Now);

        Assert.Equal(new TokenVerdict(TokenCheck.OtherMember, "wang@center.example.tw"), verdict);
    }

    [Fact]
    public void Verify_SentByANonMember_IsOtherMember()
    {
        Assert.Equal(TokenCheck.OtherMember, ActionSignature.Verify(Key, Issued(), "org1@org.example.tw", Members, Now).Check);
    }

    [Theory]
    [InlineData("Action")]
    [InlineData("Target")]
    [InlineData("Expires")]
    [InlineData("Nonce")]
    [InlineData("Mac")]
    public void Verify_AnyPartAltered_IsAltered(string part)
    {
        var token = Issued();
        var altered = part switch
        {
            "Action" => token with { Action = "fs" },
            "Target" => token with { Target = "43" },
            "Expires" => token with { Expires = token.Expires.AddDays(30) },
            "Nonce" => token with { Nonce = token.Nonce[1..] + (token.Nonce[0] == 'a' ? "b" : "a") },
            _ => token with { Mac = (token.Mac[0] == 'a' ? "b" : "a") + token.Mac[1..] },
        };

        Assert.Equal(TokenCheck.Altered, ActionSignature.Verify(Key, altered, "wang@center.example.tw", Members, Now).Check);
    }

    [Fact]
    public void Verify_WithAnotherKey_IsAltered()
    {
        var otherKey = Encoding.UTF8.GetBytes("another key of thirty-two characters");

        Assert.Equal(TokenCheck.Altered, ActionSignature.Verify(otherKey, Issued(), "wang@center.example.tw", Members, Now).Check);
    }

    [Fact]
    public void Verify_AtOrAfterExpiry_IsExpired_AndJustBeforeIsValid()
    {
        var token = Issued();

        Assert.Equal(TokenCheck.Valid, ActionSignature.Verify(Key, token, "wang@center.example.tw", Members, token.Expires.AddSeconds(-1)).Check);
        Assert.Equal(TokenCheck.Expired, ActionSignature.Verify(Key, token, "wang@center.example.tw", Members, token.Expires).Check);
    }

    [Fact]
    public void Sign_TwoLinksForTheSameAction_HaveDifferentNonces()
    {
        Assert.NotEqual(Issued().Nonce, Issued().Nonce);
    }

    [Fact]
    public void Sign_Token_IsShortAndMailSafe()
    {
        var text = ActionSignature.Sign(Key, StaffActionKind.Assign, "123456-654321", "wang@center.example.tw", Now.AddDays(365)).ToString();

        Assert.True(text.Length <= 64, text);
        Assert.Matches("^[A-Za-z0-9.-]+$", text);
    }
}
