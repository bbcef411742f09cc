using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Mamori.Network;

/// <summary>Reads an address a caller wrote, only in the forms that mean one thing.</summary>
/// <remarks>
/// <see cref="IPAddress.TryParse(string, out IPAddress)"/> follows <c>inet_aton</c>: <c>010.0.0.1</c> is octal (8.0.0.1),
/// <c>1.2.3</c> is 1.2.0.3, <c>16909060</c> is 1.2.3.4, <c>0x1.0x2.0x3.0x4</c> is hex, and an IPv6 address may carry a
/// zone (<c>fe80::1%eth0</c>) or brackets. An API that stored what those became would record an address the caller
/// never meant. Here IPv4 is four decimal numbers 0–255 without leading zeros, and IPv6 is the text form without a
/// zone, brackets or port.
/// </remarks>
public static class IpText
{
    /// <summary>Parses <paramref name="text"/> as a canonical dotted quad or a plain IPv6 address.</summary>
    public static bool TryParseStrict(ReadOnlySpan<char> text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.IsEmpty || text.Length > 45) return false;   // the longest IPv6 text form (with an embedded IPv4) is 45
        if (text.Contains(':'))
        {
            if (text.ContainsAny('%', '[', ']') || !IPAddress.TryParse(text, out address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                address = null;
                return false;
            }
            return true;
        }
        Span<byte> octets = stackalloc byte[4];
        int count = 0;
        foreach (Range range in text.Split('.'))
        {
            ReadOnlySpan<char> part = text[range];
            if (count == 4 || part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0')) return false;
            int value = 0;
            foreach (char c in part)
            {
                if (!char.IsAsciiDigit(c)) return false;
                value = value * 10 + (c - '0');
            }
            if (value > 255) return false;
            octets[count++] = (byte)value;
        }
        if (count != 4) return false;
        address = new IPAddress(octets);
        return true;
    }
}
