using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>HS256 JSON Web Tokens as the OAuth2 Dovecot checks them (sub, email = the login, iat, nbf, exp).</summary>
public static class Jwt
{
    public static string Sign(byte[] key, string subject, string email, DateTimeOffset issuedAt, DateTimeOffset expires)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new
        {
            sub = subject,
            email,
            iat = issuedAt.ToUnixTimeSeconds(),
            nbf = issuedAt.ToUnixTimeSeconds(),
            exp = expires.ToUnixTimeSeconds(),
        }));
        var signature = Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
