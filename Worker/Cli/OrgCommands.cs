using System.CommandLine;
using MailIntake.Parsing;
using MailIntake.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Cli;

public static class OrgCommands
{
    public static void Add(RootCommand root)
    {
        var file = new Argument<FileInfo>("FILE.csv") { Description = "CSV：code,name,email,phone,contact（UTF-8 或 Big5）" };
        var import = new Command("import", "匯入或更新機關資料") { file };
        import.SetAction((parseResult, _) => CliApp.WithServices(services => Import(services, parseResult.GetValue(file)!)));

        var json = new Option<bool>("--json");
        var list = new Command("list", "列出已登記的機關") { json };
        list.SetAction((parseResult, _) => CliApp.WithServices(services => List(services, parseResult.GetValue(json))));

        root.Subcommands.Add(new Command("orgs", "機關名冊") { import, list });
    }

    private static int Import(IServiceProvider services, FileInfo file)
    {
        if (!file.Exists)
        {
            throw new CliException($"找不到檔案：{file.FullName}");
        }

        var csv = OrganisationCsvReader.Read(File.ReadAllBytes(file.FullName));
        if (csv.Errors.Count > 0)
        {
            throw new CliException($"匯入失敗，未做任何變更：{csv.Errors[0]}（共 {csv.Errors.Count} 處錯誤）");
        }

        var (inserted, updated) = services.GetRequiredService<OrganisationRepository>().Upsert(
            csv.Rows.Select(row => new Organisation(row.Code, row.Name, row.Emails, row.Phone, row.Contact)),
            services.GetRequiredService<TimeProvider>().GetUtcNow());
        Console.WriteLine($"已匯入 {csv.Rows.Count} 個機關：新增 {inserted}、更新 {updated}");
        return 0;
    }

    private static int List(IServiceProvider services, bool json)
    {
        var organisations = services.GetRequiredService<OrganisationRepository>().List();
        if (json)
        {
            CliJson.Write(Console.Out, organisations.Select(org => new
            {
                code = org.Code,
                name = org.Name,
                emails = org.Emails,
                phone = org.Phone,
                contact = org.Contact,
            }));
            return 0;
        }

        foreach (var org in organisations)
        {
            Console.WriteLine($"{org.Code}\t{org.Name}\t{string.Join(";", org.Emails)}\t{org.Phone}\t{org.Contact}");
        }

        Console.WriteLine($"共 {organisations.Count} 個機關");
        return 0;
    }
}
