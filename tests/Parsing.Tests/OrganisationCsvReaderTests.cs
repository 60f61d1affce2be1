using System.Text;

namespace MailIntake.Parsing.Tests;

public sealed class OrganisationCsvReaderTests
{
    private const string Csv = "code,name,email,phone,contact\r\nxc12345678,台南市 OOOOOOO 公會,a@x.org.tw; B@X.org.tw,06-2345678,李大同\r\n\"XC87654321\",\"台南市, 第二協會\",c@y.org.tw,,\r\n";

    [Fact]
    public void Read_Utf8WithBom_ReadsRowsWithSeveralEmails()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Csv)).ToArray();

        var csv = OrganisationCsvReader.Read(bytes);

        Assert.Empty(csv.Errors);
        Assert.Equal(2, csv.Rows.Count);
        Assert.Equal("XC12345678", csv.Rows[0].Code);
        Assert.Equal(["a@x.org.tw", "b@x.org.tw"], csv.Rows[0].Emails);
        Assert.Equal("台南市, 第二協會", csv.Rows[1].Name);
        Assert.Null(csv.Rows[1].Phone);
    }

    [Fact]
    public void Read_Big5_DecodesChineseNames()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding(950).GetBytes(Csv);

        var csv = OrganisationCsvReader.Read(bytes);

        Assert.Equal("台南市 OOOOOOO 公會", csv.Rows[0].Name);
        Assert.Equal("李大同", csv.Rows[0].Contact);
    }

    [Fact]
    public void Read_MissingName_ReportsTheLine()
    {
        var csv = OrganisationCsvReader.Read(Encoding.UTF8.GetBytes("code,name,email\nXC1,,a@x.tw\n"));

        Assert.Empty(csv.Rows);
        Assert.Contains("第 2 行", Assert.Single(csv.Errors));
    }

    [Fact]
    public void Read_BadEmail_ReportsIt()
    {
        var csv = OrganisationCsvReader.Read(Encoding.UTF8.GetBytes("code,name,email\nXC1,某機關,not-an-address\n"));

        Assert.Contains("not-an-address", Assert.Single(csv.Errors));
    }
}
