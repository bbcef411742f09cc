using System.CommandLine;
using Mamori.Cli.Commands;

namespace Mamori.Cli.Tests.Commands;

/// <summary><c>--store</c> on <c>serve</c> and <c>bench http</c>: bad input is refused with exit code 2 before anything starts.</summary>
public sealed class StoreOptionTests
{
    [Fact]
    public async Task ServeWithMalformedStore_ExitsTwoAndCreatesNoDataFolder()
    {
        string data = Path.Combine(Path.GetTempPath(), "mamori-store-" + Guid.NewGuid().ToString("N"));

        int exit = await ServeCommand.Create().Parse(["--store", "redis://host:port", "--data", data, "--urls", "http://127.0.0.1:0"]).InvokeAsync();

        Assert.Equal(2, exit);
        Assert.False(Directory.Exists(data));
    }

    [Theory]
    [InlineData("--nodes", "2")]                                              // two nodes need a shared store
    [InlineData("--nodes", "0")]
    [InlineData("--nodes", "9")]
    [InlineData("--url", "http://127.0.0.1:5080", "--store", "redis://127.0.0.1:6379")]   // --store starts servers; --url targets one
    public async Task BenchHttpWithImpossibleNodesOrStore_ExitsTwo(params string[] args)
    {
        int exit = await BenchHttpCommand.CreateHttp().Parse(args).InvokeAsync();

        Assert.Equal(2, exit);
    }
}
