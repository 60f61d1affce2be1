using System.Security.Cryptography;
using System.Text;
using MailIntake.Parsing.StaffActions;

namespace MailIntake.Worker.StaffActions;

/// <summary>How a token was judged.</summary>
public enum TokenCheck
{
    Valid,

    /// <summary>The MAC fits no member: the token was altered (or signed with another key).</summary>
    Altered,

    /// <summary>The MAC fits another member than the sender: the link was forwarded or the sender forged.</summary>
    OtherMember,

    Expired,
}

public sealed record TokenVerdict(TokenCheck Check, string? IssuedTo = null);

/// <summary>
/// HMAC-SHA256 over (action, target, member address, expiry, nonce), truncated to 128 bits and written in base 32.
/// The member's address is not in the token: it is the sender the mail must come from, so the same link sent by
/// anyone else does not verify. Pure: key, members and time come in as arguments.
/// </summary>
public static class ActionSignature
{
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    public static ActionToken Sign(byte[] key, StaffActionKind action, string target, string member, DateTimeOffset expires)
    {
        var nonce = Encode(RandomNumberGenerator.GetBytes(5));
        var unsigned = new ActionToken(StaffActionCodes.Code(action), target, TruncateToSeconds(expires), nonce, string.Empty);
        return unsigned with { Mac = Mac(key, unsigned, member) };
    }

    /// <summary>Checks <paramref name="token"/> as sent by <paramref name="sender"/>; <paramref name="members"/> name whom else it may have been issued to.</summary>
    public static TokenVerdict Verify(byte[] key, ActionToken token, string sender, IEnumerable<string> members, DateTimeOffset now)
    {
        if (!StaffActionCodes.TryParse(token.Action, out _))
        {
            return new TokenVerdict(TokenCheck.Altered);
        }

        if (!Matches(key, token, sender))
        {
            var owner = members.FirstOrDefault(member => !Same(member, sender) && Matches(key, token, member));
            return owner is null ? new TokenVerdict(TokenCheck.Altered) : new TokenVerdict(TokenCheck.OtherMember, owner);
        }

        return now >= token.Expires ? new TokenVerdict(TokenCheck.Expired, sender) : new TokenVerdict(TokenCheck.Valid, sender);
    }

    private static bool Matches(byte[] key, ActionToken token, string member) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(key, token, member)), Encoding.ASCII.GetBytes(token.Mac));

    private static string Mac(byte[] key, ActionToken token, string member)
    {
        var signed = Encoding.UTF8.GetBytes(token.SignedPart + "\n" + member.Trim().ToLowerInvariant());
        return Encode(HMACSHA256.HashData(key, signed).AsSpan(0, 16));
    }

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset instant) => DateTimeOffset.FromUnixTimeSeconds(instant.ToUnixTimeSeconds());

    /// <summary>RFC 4648 base 32, lower case, no padding.</summary>
    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder((bytes.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var value in bytes)
        {
            buffer = (buffer << 8) | value;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(Base32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            text.Append(Base32[(buffer << (5 - bits)) & 31]);
        }

        return text.ToString();
    }
}
