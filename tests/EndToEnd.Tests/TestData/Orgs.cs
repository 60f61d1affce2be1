namespace MailIntake.EndToEnd.Tests.TestData;

/// <summary>The registry every scenario imports with <c>orgs import</c>.</summary>
public static class Orgs
{
    public const string TestGuild = "XC12345678";
    public const string TestGuildName = "台南市測試公會";
    public const string SecondOrg = "XC87654321";

    /// <summary>Header <c>code,name,email,phone,contact</c>; several addresses in one field separated by ';'.</summary>
    public const string Csv =
        "code,name,email,phone,contact\n" +
        "XC12345678,台南市測試公會,org1@intake.test;lee@org1.example.tw,06-2345678,李大同\n" +
        "XC87654321,台南市第二測試協會,org2@intake.test,06-7654321,陳小明\n";

    /// <summary>
    /// The registry with <see cref="TestGuild"/> reachable only at <paramref name="testGuildEmail"/> (a test's own
    /// plus-address, so mail the program sends lands where only that test looks).
    /// </summary>
    public static string CsvWith(string testGuildEmail) =>
        "code,name,email,phone,contact\n" +
        $"{TestGuild},{TestGuildName},{testGuildEmail},06-2345678,李大同\n";
}
