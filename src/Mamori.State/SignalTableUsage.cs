namespace Mamori.State;

/// <summary>One table of <see cref="InMemorySignalStore"/>: keys held, its bound, and keys evicted (their history
/// forgotten) to stay within it.</summary>
/// <param name="Table">accounts, sources (addresses, networks, user agents, devices) or secrets.</param>
/// <param name="Setting">The <c>Mamori:Signals</c> setting that bounds it.</param>
/// <param name="LiveEvictions">Evictions of keys whose history was still in use: every account's; a source's or secret's
/// seen within its longest window (one seen before holds nothing any more, and its eviction forgets nothing).</param>
public sealed record SignalTableUsage(string Table, string Setting, int Count, int Capacity, long Evictions, long LiveEvictions);
