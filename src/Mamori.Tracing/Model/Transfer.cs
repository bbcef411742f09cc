namespace Mamori.Tracing.Model;

/// <summary>One value movement of the traced asset, in integer base units, ready for the policies.</summary>
/// <remarks>
/// Value type on purpose: 100M of these stream through the tracer and none is kept, so a class per
/// transfer would be 100M allocations for nothing. Addresses, assets and deposit tags are interned ids
/// (<see cref="NameTable"/>), which keeps the struct at 48 bytes.
/// </remarks>
/// <param name="Time">Unix seconds (UTC).</param>
/// <param name="From">Sender account id.</param>
/// <param name="To">Recipient account id.</param>
/// <param name="Amount">Base units received by <paramref name="To"/>; never negative.</param>
/// <param name="Fee">Base units the sender paid on top of <paramref name="Amount"/>; never negative.</param>
/// <param name="Asset">Asset id; fees are always in the same asset as the record carrying them.</param>
/// <param name="Tag">Deposit tag id (the message), interned only for deposits to exchanges; -1 otherwise.</param>
/// <param name="TxHash">64-bit hash of the transaction id, used to drop the same transaction read twice.</param>
internal readonly record struct Transfer(
    long Time, int From, int To, long Amount, long Fee, int Asset, int Tag, ulong TxHash);
