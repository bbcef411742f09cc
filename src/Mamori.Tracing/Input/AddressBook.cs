using Mamori.Tracing.Model;
using Mamori.Tracing.Nem;

namespace Mamori.Tracing.Input;

/// <summary>Validates and interns account addresses: NEM (Base32 with checksum) and Ethereum (0x + 40 hex).</summary>
/// <remarks>
/// An address is validated once, the first time it is seen; later sightings are a span lookup, which is
/// what lets a 100M-row file pay the Keccak checksum only per distinct account. NEM addresses are stored
/// upper-case without dashes, Ethereum addresses lower-case, so one account has one id however written.
/// </remarks>
internal sealed class AddressBook
{
    /// <summary>Longest address text accepted before it is rejected unread (NEM with dashes is 46).</summary>
    public const int MaxAddressLength = 64;

    private readonly AddressTable _names = new();
    private readonly Dictionary<string, int> _publicKeys = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Distinct accounts.</summary>
    public int Count => _names.Count;

    /// <summary>The address of an account id.</summary>
    public string this[int id] => _names[id];

    /// <summary>Starts loading what a lookup of this address will touch (see <see cref="AddressTable.Prefetch"/>).</summary>
    public void Prefetch(ReadOnlySpan<char> text) => _names.Prefetch(text);

    /// <summary>Interns a textual address after checking it.</summary>
    public bool TryGetAccount(ReadOnlySpan<char> text, out int id, out string? reason)
    {
        if (_names.TryGetId(text, out id)) { reason = null; return true; }
        id = -1;
        text = text.Trim();
        if (text.IsEmpty) { reason = "empty address"; return false; }
        if (text.Length > MaxAddressLength) { reason = $"longer than {MaxAddressLength} characters"; return false; }
        Span<char> normalized = stackalloc char[MaxAddressLength];
        int length;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (text.Length != 42) { reason = $"Ethereum address of {text.Length} characters, expected 42"; return false; }
            for (int i = 2; i < 42; i++)
            {
                if (!char.IsAsciiHexDigit(text[i])) { reason = $"character '{text[i]}' is not hexadecimal"; return false; }
            }
            text.ToLowerInvariant(normalized);
            normalized[1] = 'x';
            length = 42;
        }
        else
        {
            if (!NemAddress.TryNormalize(text, normalized, out reason)) { reason = "NEM address: " + reason; return false; }
            length = NemAddress.EncodedLength;
        }
        id = _names.GetOrAdd(normalized[..length]);
        reason = null;
        return true;
    }

    /// <summary>Interns the account of a NEM public key (hex) on the given network.</summary>
    public bool TryGetAccountOfPublicKey(string publicKeyHex, byte networkByte, out int id)
    {
        string key = networkByte + ":" + publicKeyHex;
        if (_publicKeys.TryGetValue(key, out id)) return true;
        if (!NemAddress.TryFromPublicKeyHex(publicKeyHex, networkByte, out string address)) { id = -1; return false; }
        id = _names.GetOrAdd(address);
        _publicKeys[key] = id;
        return true;
    }
}
