using System.CommandLine;

namespace MailIntake.Worker.Cli;

public static class DemoCommand
{
    public static void Add(RootCommand root)
    {
        var demo = new Command("demo", "新手導覽：以內建的資料夾信箱示範開單、收件、歸檔");
        demo.SetAction((_, _) => Task.FromResult(0));
        root.Subcommands.Add(demo);
    }
}
