namespace Mamori.Cli.Tests.Commands;

/// <summary>Tests that read what a command prints. The console's error writer is one per process, so they run alone,
/// after the tests that may run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CommandConsoleCollection
{
    public const string Name = "command console";
}

/// <summary>Runs <c>mamori</c> in-process, as <c>Program.Main</c> does, and keeps what it wrote to standard error.</summary>
internal static class CommandConsole
{
    public static async Task<(int Exit, string Error)> RunAsync(string[] args, CancellationToken cancel = default)
    {
        var error = new StringWriter();
        TextWriter previous = Console.Error;
        Console.SetError(error);
        try
        {
            int exit = await Program.CreateRootCommand().Parse(args).InvokeAsync(null, cancel);
            return (exit, error.ToString());
        }
        finally
        {
            Console.SetError(previous);
        }
    }

    /// <summary>A token already cancelled: Ctrl-C pressed as the command starts.</summary>
    public static CancellationToken Interrupted => new(canceled: true);
}
