using System.Text;

namespace MailIntake.Parsing.Tests;

public sealed class OrganisationCsvReaderTests
{
    private const string Header = "code,name,email,phone,contact\n";

    private const string Csv = "code,name,email,phone,contact\r\nxc12345678,台南市 OOOOOOO 公會,a@x.org.tw; B@X.org.tw,06-2345678,李大同\r\n\"XC87654321\",\"台南市, 第二協會\",c@y.org.tw,,\r\n";

    private static OrganisationCsv ReadUtf8(string text) => OrganisationCsvReader.Read(Encoding.UTF8.GetBytes(text));

    private static byte[] Big5(string text) => Encoding.GetEncoding(950).GetBytes(text);

    [Fact]
    public void Read_Utf8WithBom_ReadsRowsWithSeveralEmails()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Csv)).ToArray();

        var csv = OrganisationCsvReader.Read(bytes);

        Assert.Empty(csv.Errors);
        Assert.Equal(TextEncoding.Utf8, csv.Encoding);
        Assert.Equal(2, csv.Rows.Count);
        Assert.Equal("XC12345678", csv.Rows[0].Code);
        Assert.Equal(["a@x.org.tw", "b@x.org.tw"], csv.Rows[0].Emails);
        Assert.Equal("台南市, 第二協會", csv.Rows[1].Name);
        Assert.Null(csv.Rows[1].Phone);
    }

    [Fact]
    public void Read_Big5_DecodesChineseNames()
    {
        var csv = OrganisationCsvReader.Read(Big5(Csv));

        Assert.Empty(csv.Errors);
        Assert.Equal(TextEncoding.Big5, csv.Encoding);
        Assert.Equal("台南市 OOOOOOO 公會", csv.Rows[0].Name);
        Assert.Equal("李大同", csv.Rows[0].Contact);
    }

    [Fact]
    public void Read_Big5LinesAfterUtf8Lines_RejectedWithTheFirstLineThatIsNotUtf8()
    {
        // A file pasted together from a UTF-8 export and a Big5 one: decoding it either way would garble half of it.
        var bytes = Encoding.UTF8.GetBytes(Header + "XC1,臺南市甲協會,a@x.tw,,\n")
            .Concat(Big5("XC2,臺南市乙協會,b@x.tw,,\n"))
            .ToArray();

        var csv = OrganisationCsvReader.Read(bytes);

        Assert.Empty(csv.Rows);
        var error = Assert.Single(csv.Errors);
        // Line 2 is good UTF-8 (it is not Big5, but the file is UTF-8 up to there): line 3 is where it stops.
        Assert.Equal((3, OrganisationCsvProblem.EncodingChanges, "UTF-8"), (error.Line, error.Problem, error.Detail));
    }

    [Fact]
    public void Read_Utf8BomWithInvalidUtf8_NotDecodedAsBig5()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Header)).Concat(Big5("XC1,臺南市乙協會,b@x.tw,,\n")).ToArray();

        var csv = OrganisationCsvReader.Read(bytes);

        var error = Assert.Single(csv.Errors);
        Assert.Equal(OrganisationCsvProblem.InvalidUtf8, error.Problem);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Read_UnterminatedQuote_RejectedWithTheLineItStarts()
    {
        var csv = ReadUtf8(Header + "XC1,甲,a@x.tw,,\nXC2,\"乙,b@x.tw,,\nXC3,丙,c@x.tw,,\n");

        Assert.Contains(csv.Errors, error => error is { Line: 3, Problem: OrganisationCsvProblem.UnterminatedQuote });
    }

    [Fact]
    public void Read_QuoteInsideUnquotedField_RejectedWithItsLine()
    {
        var csv = ReadUtf8(Header + "XC1,甲,a@x.tw,,\nXC2,乙\"協會,b@x.tw,,\n");

        var error = Assert.Single(csv.Errors);
        Assert.Equal((3, OrganisationCsvProblem.StrayQuote), (error.Line, error.Problem));
    }

    [Fact]
    public void Read_TextAfterClosingQuote_RejectedWithItsLine()
    {
        var csv = ReadUtf8(Header + "XC1,\"甲\"協會,a@x.tw,,\n");

        var error = Assert.Single(csv.Errors);
        Assert.Equal((2, OrganisationCsvProblem.TextAfterClosingQuote), (error.Line, error.Problem));
    }

    [Fact]
    public void Read_RowWithMoreOrFewerFieldsThanTheHeader_RejectedWithItsLine()
    {
        var csv = ReadUtf8(Header + "XC1,甲,a@x.tw\nXC2,乙,b@x.tw,,,extra\nXC3,丙,c@x.tw,,\n");

        Assert.Equal(
            [(2, OrganisationCsvProblem.FieldCount), (3, OrganisationCsvProblem.FieldCount)],
            csv.Errors.Select(error => (error.Line, error.Problem)));
    }

    [Fact]
    public void Read_QuotedLineBreakInAName_RejectedAndLaterRowsKeepTheirFileLineNumbers()
    {
        // A name is printed on one line of every notice ("臺南市第二協會 您好：") and listed one per line.
        var csv = ReadUtf8(Header + "XC1,\"甲\n協會\",a@x.tw,,\nXC2,,b@x.tw,,\n");

        Assert.Empty(csv.Rows);
        Assert.Equal(
            [(2, OrganisationCsvProblem.ControlCharacters, "name"), (4, OrganisationCsvProblem.MissingCodeOrName, null)],
            csv.Errors.Select(error => (error.Line, error.Problem, error.Detail)));
    }

    [Theory]
    [InlineData("contact", "XC1,甲協會,a@x.tw,,\"李\t大同\"")]
    [InlineData("name", "XC1,\"甲協會\u2028乙\",a@x.tw,,")]
    public void Read_ControlCharacterInAField_RejectedNamingTheColumn(string column, string row)
    {
        var csv = ReadUtf8(Header + row + "\n");

        var error = Assert.Single(csv.Errors);
        Assert.Equal((2, OrganisationCsvProblem.ControlCharacters, column), (error.Line, error.Problem, error.Detail));
    }

    [Fact]
    public void Read_SameCodeTwiceInAnyWidthOrCase_RejectedNamingBothLines()
    {
        var csv = ReadUtf8(Header + "XC1,甲,a@x.tw,,\nXC2,乙,b@x.tw,,\nｘｃ１,丙,c@x.tw,,\n");

        var error = Assert.Single(csv.Errors);
        Assert.Equal(OrganisationCsvProblem.DuplicateCode, error.Problem);
        Assert.Equal(4, error.Line);
        Assert.Equal(2, error.OtherLine);
        Assert.Equal("XC1", error.Detail);
    }

    [Theory]
    [InlineData("王小明 <a@x.tw>")]
    [InlineData("<a@x.tw>")]
    [InlineData("a@x.tw (王小明)")]
    [InlineData("not-an-address")]
    [InlineData("a@@x.tw")]
    [InlineData("a b@x.tw")]
    [InlineData("a@b")]
    [InlineData("a@x.tw.")]
    public void Read_AddressThatIsNotBare_RejectedNamingIt(string address)
    {
        var csv = ReadUtf8(Header + $"XC1,甲,\"ok@x.tw;{address}\",,\n");

        var error = Assert.Single(csv.Errors);
        Assert.Equal((2, OrganisationCsvProblem.NotABareAddress), (error.Line, error.Problem));
        Assert.Equal(address, error.Detail);
        Assert.Empty(csv.Rows);
    }

    [Fact]
    public void Read_MissingName_ReportsTheLine()
    {
        var csv = ReadUtf8("code,name,email\nXC1,,a@x.tw\n");

        Assert.Empty(csv.Rows);
        var error = Assert.Single(csv.Errors);
        Assert.Equal((2, OrganisationCsvProblem.MissingCodeOrName), (error.Line, error.Problem));
    }

    [Fact]
    public void Read_UnknownOrRepeatedColumn_RejectsTheHeader()
    {
        var unknown = ReadUtf8("code,name,emial\nXC1,甲,a@x.tw\n");
        var repeated = ReadUtf8("code,name,email,email\nXC1,甲,a@x.tw,b@x.tw\n");

        Assert.Equal((1, OrganisationCsvProblem.UnknownColumn, "emial"), unknown.Errors.Select(e => (e.Line, e.Problem, e.Detail)).Single());
        Assert.Equal((1, OrganisationCsvProblem.RepeatedColumn, "email"), repeated.Errors.Select(e => (e.Line, e.Problem, e.Detail)).Single());
    }

    [Fact]
    public void Read_EmptyFile_Rejected()
    {
        Assert.Equal(OrganisationCsvProblem.Empty, OrganisationCsvReader.Read([]).Errors.Single().Problem);
        Assert.Equal(OrganisationCsvProblem.Empty, OrganisationCsvReader.Read(Encoding.UTF8.GetPreamble()).Errors.Single().Problem);
    }

    [Fact]
    public void Read_SeveralProblems_EveryOneReportedInLineOrder()
    {
        var csv = ReadUtf8(Header + "XC1,甲,a@x.tw,,\nXC2,乙,王 <b@x.tw>,,\nXC3,丙\"協會,c@x.tw,,\nXC1,丁,d@x.tw,,\nXC5,戊\n");

        Assert.Equal(
            [OrganisationCsvProblem.NotABareAddress, OrganisationCsvProblem.StrayQuote, OrganisationCsvProblem.DuplicateCode, OrganisationCsvProblem.FieldCount],
            csv.Errors.Select(error => error.Problem));
        Assert.Equal([3, 4, 5, 6], csv.Errors.Select(error => error.Line));
    }

    [Fact]
    public void Read_EmptyLinesAndRowsOfEmptyFields_Skipped()
    {
        var csv = ReadUtf8(Header + "\nXC1,甲,a@x.tw,,\n,,,,\n\n");

        Assert.Empty(csv.Errors);
        Assert.Equal("XC1", csv.Rows.Single().Code);
    }
}
