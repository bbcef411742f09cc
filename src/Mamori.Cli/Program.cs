using System.CommandLine;
using Mamori.Cli.Commands;

namespace Mamori.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        RootCommand root = CreateRootCommand();
        // A graceful stop of `mamori serve` drains requests in flight; System.CommandLine's default 2 s would cut it short.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(20) });
    }

    /// <summary>The whole command tree; each command lives in its own file under Commands/.</summary>
    internal static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(
            "Mamori defends login and money-movement endpoints against account takeover.\n" +
            "Start with `mamori serve`; see `mamori <command> --help` for each command.");
        foreach (Command command in CommandCatalog.All())
            root.Subcommands.Add(command);
        return root;
    }
}
