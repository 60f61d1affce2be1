using System.Globalization;
using System.Text.RegularExpressions;

namespace MailIntake.Parsing.StaffActions;

/// <summary>
/// The signed token of a staff action link, as it travels in a mail: <c>MI1.cr.42.mn8k2x.abcdefgh.&lt;26 chars&gt;</c> —
/// version, action code, target, expiry (Unix seconds, base 36), nonce and MAC (both base 32). Only lower-case letters,
/// digits, dots and hyphens, under 64 characters for ids of up to six digits: nothing a mail client re-encodes, wraps or autocorrects, and it
/// reads back whatever case a client gives it. This type knows the shape only; the Worker signs and verifies the MAC.
/// </summary>
public sealed partial record ActionToken(string Action, string Target, DateTimeOffset Expires, string Nonce, string Mac)
{
    public const string Prefix = "mi1";
    public const int NonceLength = 8;
    public const int MacLength = 26;

    /// <summary>The token as written into subjects and bodies.</summary>
    public override string ToString() =>
        string.Join('.', Prefix.ToUpperInvariant(), Action, Target, ExpiryText(Expires), Nonce, Mac);

    /// <summary>What the MAC covers besides the member's address: everything but the MAC itself.</summary>
    public string SignedPart => string.Join('.', Prefix, Action, Target, ExpiryText(Expires), Nonce);

    public static bool TryParse(string text, out ActionToken token)
    {
        token = null!;
        var normalised = FullWidth.ToHalfWidth(text).Trim().ToLowerInvariant();
        var match = Shape().Match(normalised);
        if (!match.Success || match.Index != 0 || match.Length != normalised.Length
            || !long.TryParse(FromBase36(match.Groups["expiry"].Value), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        token = new ActionToken(
            match.Groups["action"].Value,
            match.Groups["target"].Value,
            DateTimeOffset.FromUnixTimeSeconds(seconds),
            match.Groups["nonce"].Value,
            match.Groups["mac"].Value);
        return true;
    }

    /// <summary>Every token-shaped string in <paramref name="text"/>, lower case, in order of appearance.</summary>
    public static IEnumerable<string> FindAll(string text) =>
        Shape().Matches(FullWidth.ToHalfWidth(text).ToLowerInvariant()).Select(match => match.Value);

    private static string ExpiryText(DateTimeOffset expires) => ToBase36(expires.ToUnixTimeSeconds());

    private static string ToBase36(long value)
    {
        const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var text = string.Empty;
        do
        {
            text = Digits[(int)(value % 36)] + text;
            value /= 36;
        }
        while (value > 0);
        return text;
    }

    /// <summary>Base 36 back to a decimal string (null-free: an overflowing value yields one that fails to parse).</summary>
    private static string FromBase36(string text)
    {
        long value = 0;
        foreach (var c in text)
        {
            var digit = c <= '9' ? c - '0' : c - 'a' + 10;
            if (value > (long.MaxValue - digit) / 36)
            {
                return "overflow";
            }

            value = value * 36 + digit;
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(
        @"(?<![0-9a-z.])mi1\.(?<action>[a-z]{2})\.(?<target>[0-9]{1,12}(?:-[0-9]{1,12})?)\.(?<expiry>[0-9a-z]{1,12})\.(?<nonce>[a-z2-7]{8})\.(?<mac>[a-z2-7]{26})(?![0-9a-z])",
        RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
