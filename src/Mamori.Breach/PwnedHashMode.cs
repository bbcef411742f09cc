using System.Diagnostics;

namespace Mamori.Breach;

/// <summary>Which hash a Pwned Passwords corpus (and its index) holds.</summary>
public enum PwnedHashMode : byte
{
    /// <summary>SHA-1 of the UTF-8 password: 40 hex, answered as a 5-hex prefix and 35-hex suffixes.</summary>
    Sha1 = 1,

    /// <summary>NTLM (MD4 of the UTF-16LE password): 32 hex, answered as a 5-hex prefix and 27-hex suffixes.</summary>
    Ntlm = 2,
}

/// <summary>Wire names and sizes of <see cref="PwnedHashMode"/>, in one place.</summary>
internal static class PwnedHashModeInfo
{
    /// <summary>The <c>?mode=</c> value and file-name part for a mode. Public: clients send it; never rename one.</summary>
    public static string ToWireName(this PwnedHashMode mode) => mode switch
    {
        PwnedHashMode.Sha1 => "sha1",
        PwnedHashMode.Ntlm => "ntlm",
        _ => throw new UnreachableException($"PwnedHashMode {mode} has no wire name."),
    };

    /// <summary>Length of the whole hash in bytes.</summary>
    public static int HashBytes(this PwnedHashMode mode) => mode switch
    {
        PwnedHashMode.Sha1 => 20,
        PwnedHashMode.Ntlm => 16,
        _ => throw new UnreachableException($"PwnedHashMode {mode} has no hash length."),
    };

    /// <summary>Length of the whole hash in hex characters (40 or 32).</summary>
    public static int HexLength(this PwnedHashMode mode) => mode.HashBytes() * 2;

    /// <summary>Length of the suffix a range answer carries (35 or 27 hex).</summary>
    public static int SuffixHexLength(this PwnedHashMode mode) => mode.HexLength() - Index.IndexFormat.PrefixHexLength;

    /// <summary>Name of the index file for a mode inside the breach folder.</summary>
    public static string IndexFileName(this PwnedHashMode mode) => $"pwned-{mode.ToWireName()}.idx";
}
