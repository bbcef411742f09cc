using Mamori.Tracing.Model;
using Mamori.Tracing.Policies;

namespace Mamori.Tracing.Input;

/// <summary>What readers share: interned names, roles and the error log.</summary>
internal sealed class TraceContext
{
    public AddressBook Addresses { get; } = new();
    public NameTable Assets { get; } = new();
    /// <summary>Deposit tags (messages of transfers to exchange addresses).</summary>
    public NameTable Tags { get; } = new();
    public AccountRoles Roles { get; } = new();
    public InputErrorLog Errors { get; } = new();

    /// <summary>Tag id for a transfer's message: interned only when the recipient is an exchange, because only there
    /// does it name someone (the exchange's customer); interning every message would grow without bound.</summary>
    public int TagFor(int recipient, ReadOnlySpan<char> message) =>
        Roles[recipient] == AccountRole.Exchange ? Tags.GetOrAdd(message.Trim()) : -1;

    /// <summary>FNV-1a 64 of a transaction id: a compact key for dropping the same transaction read from two files.</summary>
    public static ulong HashTxId(ReadOnlySpan<char> txId)
    {
        if (txId.IsEmpty) return 0;
        ulong hash = 14695981039346656037UL;
        foreach (char c in txId)
        {
            hash ^= char.ToLowerInvariant(c);
            hash *= 1099511628211UL;
        }
        return hash == 0 ? 1 : hash;
    }
}
