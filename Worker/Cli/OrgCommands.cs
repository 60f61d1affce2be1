using System.CommandLine;
using MailIntake.Worker.Application;
using MailIntake.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MailIntake.Worker.Cli;

public static class OrgCommands
{
    public static void Add(RootCommand root)
    {
        var file = new Argument<FileInfo>("FILE.csv") { Description = "CSV：code,name,email,phone,contact（UTF-8 或 Big5）" };
        var dryRun = new Option<bool>("--dry-run") { Description = "只試算會新增或更新哪些機關，不做任何變更" };
        var import = new Command("import", "匯入或更新機關資料（檔案有任何錯誤即整份不匯入）") { file, dryRun };
        import.SetAction((parseResult, cancellationToken) =>
        {
            // Read with the caller's rights, before the program acts as the store's owner (as --items-file is): a file
            // named on the command line is the caller's to read — root's own 0600 file on the service's store (h14h G10).
            var csv = Read(parseResult.GetValue(file)!);
            return CliApp.WithServices(services => ImportAsync(services, csv, parseResult.GetValue(dryRun), cancellationToken));
        });

        var json = new Option<bool>("--json");
        var list = new Command("list", "列出已登記的機關") { json };
        list.SetAction((parseResult, _) => CliApp.ReadStore(services => List(services, parseResult.GetValue(json))));

        root.Subcommands.Add(new Command("orgs", "機關名冊") { import, list });
    }

    /// <summary>The CSV's bytes; a file missing, a folder, a device or over the limit refused as a malformed file is (exit 1).</summary>
    private static byte[] Read(FileInfo file)
    {
        try
        {
            return NamedInputFile.Read(file.FullName, NamedInputFile.RegistryLimit);
        }
        catch (NamedInputFileException refused)
        {
            throw new CliException(refused.Message);
        }
    }

    private static async Task<int> ImportAsync(IServiceProvider services, byte[] csv, bool dryRun, CancellationToken cancellationToken)
    {
        var import = await services.GetRequiredService<ImportOrganisations>().ExecuteAsync(
            new ImportOrganisationsCommand(csv, dryRun), cancellationToken);
        if (import.Rejected)
        {
            throw new CliException(OrgImportText.Rejection(import));
        }

        OrgImportText.Write(Console.Out, import);
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
