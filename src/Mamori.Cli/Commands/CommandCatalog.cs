using System.CommandLine;

namespace Mamori.Cli.Commands;

/// <summary>Every top-level command, in the order `mamori --help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        // One line per command file; keep the order users meet them in.
        yield return ServeCommand.Create();
        yield return KeysCommand.Create();
        yield return ReplayCommand.Create();
        yield return SimulateCommand.Create();
        yield return BreachCommand.Create();
        yield return MailCommand.Create();
        yield return TraceCommand.Create();
        yield return TraceSampleCommand.Create();
        yield return BenchCommand.Create();
        yield return BreachBenchCommand.Create();
        yield break;
    }
}
