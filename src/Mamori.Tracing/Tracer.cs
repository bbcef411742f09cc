using Mamori.Tracing.Input;
using Mamori.Tracing.Model;
using Mamori.Tracing.Policies;

namespace Mamori.Tracing;

/// <summary>Input formats.</summary>
public enum TransferFormat : byte
{
    /// <summary>By extension and content: .csv is CSV; JSON with "transactions" blocks is Ethereum, else NIS1.</summary>
    Auto,
    /// <summary>NEM NIS1 API JSON.</summary>
    Nis1,
    /// <summary>The generic transfer CSV.</summary>
    Csv,
    /// <summary>Ethereum JSON-RPC block exports.</summary>
    Ethereum,
}

/// <summary>All deposits of one exchange customer, tainted or not (policy-independent).</summary>
internal sealed class CustomerDeposits
{
    public long Deposits;
    public long Amount;
    public long FirstTime = long.MaxValue;
    public long LastTime = long.MinValue;
}

/// <summary>Counts about the input stream.</summary>
internal sealed class TraceStatistics
{
    public long TransfersRead;
    public long TransfersTraced;
    public long OtherAssetTransfers;
    public long Duplicates;
    public long FirstTime = long.MaxValue;
    public long LastTime = long.MinValue;
    public long SubGweiWei;
    public long EthereumFeesUnknown;
}

/// <summary>Everything a trace produced; reports are written from it.</summary>
internal sealed class TraceResult
{
    public required TraceOptions Options { get; init; }
    public required TraceContext Context { get; init; }
    public required IReadOnlyList<TaintLedger> Ledgers { get; init; }
    public required IReadOnlyDictionary<(int Address, int Tag), CustomerDeposits> Deposits { get; init; }
    public required TraceStatistics Statistics { get; init; }
    public required string Asset { get; init; }
    public required long TheftTime { get; init; }
    public required IReadOnlyList<int> SourceIds { get; init; }
    public required IReadOnlyDictionary<int, string> ExchangeNames { get; init; }
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>What makes the answer weaker than it looks (no exchange list, nothing of the asset read), for every
    /// report format and the console: "0 tainted customers" must not read as "all clear" when nothing could be found.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>True when not one transfer of the traced asset was read: a wrong --asset or a wrong file.</summary>
    public bool NothingTraced => Statistics.TransfersTraced == 0;
}

/// <summary>Runs a trace: reads, merges and feeds transfers to one ledger per policy, in a single streaming pass.</summary>
/// <remarks>All policies share one pass so that side-by-side answers come from exactly the same transfers, and so
/// a 100M-transfer input is read once. Not thread-safe.</remarks>
internal sealed class Tracer
{
    /// <summary>Transfers between progress callbacks.</summary>
    public const int ProgressInterval = 1_000_000;

    /// <summary>Transfers handed to the ledgers at once: large enough to amortise the hand-off, small enough
    /// (64k × 48 bytes ≈ 3 MB, two buffers) to keep memory flat.</summary>
    public const int BatchSize = 65_536;

    private readonly TraceOptions _options;
    private readonly TraceContext _context = new();
    private readonly List<int> _sources = [];
    private readonly Dictionary<int, string> _exchangeNames = [];

    /// <summary>Checks the options and interns sources and exchanges.</summary>
    /// <exception cref="ArgumentException">An option or an address in it is invalid; the message lists every problem.</exception>
    public Tracer(TraceOptions options)
    {
        var errors = new List<string>(options.Validate());
        foreach (ExchangeAddress exchange in options.Exchanges)
        {
            if (!_context.Addresses.TryGetAccount(exchange.Address, out int id, out string? reason))
                errors.Add($"Exchanges: '{exchange.Address}' ({exchange.Exchange}): {reason}");
            else
            {
                _context.Roles.Set(id, AccountRole.Exchange);
                _exchangeNames[id] = exchange.Exchange;
            }
        }
        foreach (string source in options.Sources)
        {
            if (!_context.Addresses.TryGetAccount(source, out int id, out string? reason))
                errors.Add($"Sources: '{source}': {reason}");
            else if (_context.Roles[id] == AccountRole.Exchange)
                errors.Add($"Sources: '{source}' is also listed as an exchange deposit address.");
            else
            {
                _context.Roles.Set(id, AccountRole.Source);
                if (!_sources.Contains(id)) _sources.Add(id);
            }
        }
        if (errors.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, errors));
        _options = options;
    }

    /// <summary>Shared state, for tests that build readers themselves.</summary>
    internal TraceContext Context => _context;

    /// <summary>Traces the given files.</summary>
    public TraceResult Run(IReadOnlyList<(string Path, TransferFormat Format)> files, Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var readers = new List<TransferReader>();
        try
        {
            foreach ((string path, TransferFormat format) in files) readers.Add(Open(path, format));
            return Run(readers, [.. files.Select(f => f.Path)], progress, cancellationToken);
        }
        finally
        {
            foreach (TransferReader reader in readers) reader.Dispose();
        }
    }

    internal TransferReader Open(string path, TransferFormat format) => (format == TransferFormat.Auto ? Detect(path) : format) switch
    {
        TransferFormat.Csv => new CsvTransferReader(path, _context),
        TransferFormat.Ethereum => new EthereumRpcReader(path, _context),
        _ => new Nis1TransferReader(path, _context),
    };

    internal TraceResult Run(IReadOnlyList<TransferReader> readers, IReadOnlyList<string> files, Action<long>? progress, CancellationToken cancellationToken)
    {
        var merger = new TransferMerger(readers);
        string? assetName = _options.Asset ?? readers.Select(r => r.NativeAsset).FirstOrDefault(a => a is not null);
        int asset = assetName is null ? -1 : _context.Assets.GetOrAdd(assetName);
        long theftTime = _options.TheftTime?.ToUnixTimeSeconds() ?? long.MinValue;
        var ledgers = _options.Policies.Select(p => CreateLedger(p, _options, _context.Roles, theftTime)).ToList();
        var deposits = new Dictionary<(int, int), CustomerDeposits>();
        var stats = new TraceStatistics();

        // Reading and parsing run on this thread while the ledgers apply the previous batch, each policy on its own
        // worker: policies share nothing but the read-only roles, so they parallelise without locks, and the order
        // of transfers within each ledger is unchanged.
        Transfer[] filling = new Transfer[BatchSize], applying = new Transfer[BatchSize];
        int applyingCount = 0;
        Task pending = Task.CompletedTask;
        long nextProgress = ProgressInterval;
        while (true)
        {
            int count = 0;
            while (count < BatchSize && merger.TryRead(out Transfer t))
            {
                stats.TransfersRead++;
                if (asset < 0) asset = t.Asset;   // a CSV without --asset: trace its first row's asset
                if (t.Asset != asset)
                {
                    stats.OtherAssetTransfers++;
                    continue;
                }
                stats.TransfersTraced++;
                if (t.Time < stats.FirstTime) stats.FirstTime = t.Time;
                stats.LastTime = t.Time;
                filling[count++] = t;
                if (_context.Roles[t.To] == AccountRole.Exchange && _context.Roles[t.From] != AccountRole.Exchange)
                {
                    if (!deposits.TryGetValue((t.To, t.Tag), out CustomerDeposits? customer))
                        deposits.Add((t.To, t.Tag), customer = new CustomerDeposits());
                    customer.Deposits++;
                    customer.Amount += t.Amount;
                    customer.FirstTime = Math.Min(customer.FirstTime, t.Time);
                    customer.LastTime = Math.Max(customer.LastTime, t.Time);
                }
            }
            pending.GetAwaiter().GetResult();
            if (count == 0) break;
            (filling, applying) = (applying, filling);
            applyingCount = count;
            Transfer[] batch = applying;
            int batchCount = applyingCount;
            pending = ledgers.Count == 1
                ? Task.Run(() => ApplyBatch(ledgers[0], batch, batchCount), cancellationToken)
                : Task.WhenAll(ledgers.Select(l => Task.Run(() => ApplyBatch(l, batch, batchCount), cancellationToken)));
            if (stats.TransfersRead >= nextProgress)
            {
                progress?.Invoke(stats.TransfersRead);
                nextProgress += ProgressInterval;
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        stats.Duplicates = merger.Duplicates;
        foreach (EthereumRpcReader eth in readers.OfType<EthereumRpcReader>())
        {
            stats.SubGweiWei += (long)eth.SubGweiWei;
            stats.EthereumFeesUnknown += eth.FeesUnknown;
        }
        progress?.Invoke(stats.TransfersRead);
        string tracedAsset = asset >= 0 ? _context.Assets[asset] : assetName ?? "";
        var warnings = new List<string>();
        if (_options.Exchanges.Count == 0)
            warnings.Add("No exchange deposit addresses were given (--exchanges): no deposit can be attributed to an exchange customer, "
                + "so no customer is listed whatever the stolen coins did.");
        if (stats.TransfersTraced == 0)
            warnings.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"No transfer of {(tracedAsset.Length > 0 ? tracedAsset : "any asset")} was read ({stats.TransfersRead:N0} transfers read, {stats.OtherAssetTransfers:N0} of other assets): nothing was traced; check --asset and the input files."));
        return new TraceResult
        {
            Warnings = warnings,
            Options = _options,
            Context = _context,
            Ledgers = ledgers,
            Deposits = deposits,
            Statistics = stats,
            Asset = tracedAsset,
            TheftTime = theftTime,
            SourceIds = _sources,
            ExchangeNames = _exchangeNames,
            Files = files,
        };
    }

    /// <summary>How many transfers ahead a ledger prefetches account state: enough to cover a memory round trip
    /// (a few hundred nanoseconds) with several misses in flight, few enough that lines are still cached when used.</summary>
    private const int PrefetchDistance = 8;

    private static void ApplyBatch(TaintLedger ledger, Transfer[] batch, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (i + PrefetchDistance < count)
            {
                ref readonly Transfer ahead = ref batch[i + PrefetchDistance];
                ledger.Prefetch(ahead.From);
                ledger.Prefetch(ahead.To);
            }
            ledger.Apply(in batch[i]);
        }
    }

    /// <summary>The ledger of one policy.</summary>
    internal static TaintLedger CreateLedger(TaintPolicy policy, TraceOptions options, AccountRoles roles, long theftTime) => policy switch
    {
        TaintPolicy.Poison => new PoisonLedger(options.FeeHandling, roles, theftTime, options.MaxHops),
        TaintPolicy.Haircut => new HaircutLedger(options.FeeHandling, roles, theftTime, options.HaircutCutOff),
        TaintPolicy.Fifo or TaintPolicy.Lifo => new LotLedger(policy, options.FeeHandling, roles, theftTime, options.MaxLotRuns),
        TaintPolicy.Tiho => new TihoLedger(options.FeeHandling, roles, theftTime),
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown policy."),
    };

    /// <summary>Picks a format from the extension, then from the first bytes of a JSON file.</summary>
    internal static TransferFormat Detect(string path)
    {
        if (path == CsvTransferReader.StandardInput || path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return TransferFormat.Csv;
        try
        {
            using var reader = new StreamReader(path);
            char[] buffer = new char[8192];
            int read = reader.ReadBlock(buffer, 0, buffer.Length);
            var head = new string(buffer, 0, read);
            if (head.Contains("\"transactions\"", StringComparison.Ordinal) || head.Contains("\"jsonrpc\"", StringComparison.Ordinal))
                return TransferFormat.Ethereum;
            if (!head.TrimStart().StartsWith('{') && !head.TrimStart().StartsWith('[')) return TransferFormat.Csv;
        }
        catch (IOException)
        {
            // The reader reports the unreadable file with its name.
        }
        return TransferFormat.Nis1;
    }
}
