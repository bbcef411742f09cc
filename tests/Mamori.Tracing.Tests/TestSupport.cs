using System.Security.Cryptography;
using System.Text;
using Mamori.Tracing.Input;
using Mamori.Tracing.Model;

namespace Mamori.Tracing.Tests;

/// <summary>Readable names for test accounts: each label maps to a fixed Ethereum-shaped address.</summary>
internal static class Addr
{
    public static string Of(string label) =>
        "0x" + Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(label)));
}

/// <summary>A transfer written with labels, for scenarios computed by hand.</summary>
internal sealed record Move(long Time, string From, string To, long Amount, long Fee = 0, string Tag = "");

/// <summary>An in-memory reader, so policy tests need no files.</summary>
internal sealed class ListReader(TraceContext context, IEnumerable<Move> moves, string asset = "xem") : TransferReader("memory")
{
    private readonly IEnumerator<Move> _moves = moves.GetEnumerator();
    private int _tx;

    public override string? NativeAsset => asset;

    public override bool TryRead(out Transfer transfer)
    {
        if (!_moves.MoveNext())
        {
            transfer = default;
            return false;
        }
        Move m = _moves.Current;
        Assert.True(context.Addresses.TryGetAccount(Addr.Of(m.From), out int from, out _));
        Assert.True(context.Addresses.TryGetAccount(Addr.Of(m.To), out int to, out _));
        transfer = new Transfer(m.Time, from, to, m.Amount, m.Fee, context.Assets.GetOrAdd(asset), context.TagFor(to, m.Tag),
            TraceContext.HashTxId("tx" + _tx++));
        Records++;
        return true;
    }
}

/// <summary>Runs a trace over labelled moves.</summary>
internal static class TraceRun
{
    public static TraceResult Of(IEnumerable<Move> moves, IEnumerable<string> sources, IEnumerable<(string Exchange, string Label)> exchanges,
        Action<TraceOptions>? configure = null)
    {
        var options = new TraceOptions
        {
            Sources = [.. sources.Select(Addr.Of)],
            Exchanges = [.. exchanges.Select(e => new ExchangeAddress(e.Exchange, Addr.Of(e.Label)))],
        };
        configure?.Invoke(options);
        var tracer = new Tracer(options);
        return tracer.Run([new ListReader(tracer.Context, moves)], ["memory"], null, CancellationToken.None);
    }

    /// <summary>Tainted amount per tag at one exchange label, under one policy.</summary>
    public static long TaintOf(this TraceResult result, Mamori.Tracing.Policies.TaintPolicy policy, string exchangeLabel, string tag)
    {
        var ledger = result.Ledgers.Single(l => l.Policy == policy);
        Assert.True(result.Context.Addresses.TryGetAccount(Addr.Of(exchangeLabel), out int exchange, out _));
        if (!result.Context.Tags.TryGetId(tag, out int tagId)) return 0;
        return ledger.Customers.TryGetValue((exchange, tagId), out var customer) ? customer.TaintAmount : 0;
    }
}

/// <summary>Finds NEM fixtures beside the repository: walks up from the folder holding Mamori.slnx.</summary>
internal static class Fixtures
{
    public static string? NemDirectory()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Mamori.slnx"))) dir = dir.Parent;
        for (DirectoryInfo? up = dir; up is not null; up = up.Parent)
        {
            string candidate = Path.Combine(up.FullName, "shared", "fixtures", "nem");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    public static string RequireNem()
    {
        string? dir = NemDirectory();
        if (dir is null) Console.WriteLine("Skipping: shared/fixtures/nem not found above the repository (CI provides it).");
        Skip.If(dir is null, "shared/fixtures/nem not found above the repository root (CI provides it beside the clone).");
        return dir!;
    }
}

/// <summary>A temporary folder deleted after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("mamori-trace-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
