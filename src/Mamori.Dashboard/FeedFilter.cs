using System.Diagnostics.CodeAnalysis;
using System.Net;
using Mamori.Events;
using Mamori.Network;
using Mamori.Policy;

namespace Mamori.Dashboard;

/// <summary>Which feed items a reader wants: every given criterion must match (an empty filter matches all).</summary>
/// <param name="Decision">Only this verdict.</param>
/// <param name="Reason">Only items carrying this reason code.</param>
/// <param name="Account">Only this account (case-insensitive, as account keys are folded by the engine).</param>
/// <param name="Network">Only addresses inside this network (a single address is a /32 or /128).</param>
internal sealed record FeedFilter(Verdict? Decision, ReasonCode? Reason, string? Account, IPNetwork? Network)
{
    /// <summary>Longest account accepted in a filter (the engine's own limit).</summary>
    public const int MaxAccountLength = LoginAttemptLimits.MaxAccountLength;

    /// <summary>The filter that matches everything.</summary>
    public static FeedFilter None { get; } = new(null, null, null, null);

    /// <summary>Whether <paramref name="item"/> passes.</summary>
    public bool Matches(FeedItem item)
    {
        if (Decision is Verdict v && item.Decision != v) return false;
        if (Account is not null && !string.Equals(item.Account, Account, StringComparison.OrdinalIgnoreCase)) return false;
        if (Reason is ReasonCode code && !HasReason(item, code)) return false;
        if (Network is IPNetwork network)
        {
            if (!IPAddress.TryParse(item.Ip, out IPAddress? address)) return false;
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            if (!network.Contains(address)) return false;
        }
        return true;
    }

    private static bool HasReason(FeedItem item, ReasonCode code)
    {
        for (int i = 0; i < item.Reasons.Count; i++)
            if (item.Reasons[i].Code == code) return true;
        return false;
    }

    /// <summary>
    /// Parses query-string values (<c>decision</c>, <c>reason</c>, <c>account</c>, <c>ip</c>); on failure names the
    /// parameter and the problem, and no filter is built.
    /// </summary>
    public static bool TryParse(string? decision, string? reason, string? account, string? ip,
        [NotNullWhen(true)] out FeedFilter? filter, [NotNullWhen(false)] out string? field, [NotNullWhen(false)] out string? error)
    {
        filter = null; field = null; error = null;
        Verdict? verdict = null;
        if (!string.IsNullOrEmpty(decision))
        {
            if (!DashboardWire.TryParseVerdict(decision, out Verdict parsed))
                return Fail("decision", "Must be one of allow, challenge, step_up, deny.", out field, out error);
            verdict = parsed;
        }
        ReasonCode? code = null;
        if (!string.IsNullOrEmpty(reason))
        {
            if (reason.Length > 64 || !ReasonCodeNames.TryParse(reason, out ReasonCode parsedCode))
                return Fail("reason", "Not a known reason code (e.g. sprayed_secret, stuffing_source).", out field, out error);
            code = parsedCode;
        }
        if (account is { Length: > MaxAccountLength })
            return Fail("account", $"Longer than {MaxAccountLength} characters.", out field, out error);
        IPNetwork? network = null;
        if (!string.IsNullOrEmpty(ip))
        {
            if (ip.Length > 64) return Fail("ip", "Longer than 64 characters.", out field, out error);
            if (ip.Contains('/'))
            {
                // IPNetwork.TryParse refuses a prefix with host bits set (203.0.113.7/24): an analyst pasting that
                // means the /24, so the base address is masked first.
                if (!TryParseNetwork(ip, out IPNetwork parsedNetwork))
                    return Fail("ip", "Not an IP address or CIDR network (e.g. 203.0.113.7 or 203.0.113.0/24).", out field, out error);
                network = parsedNetwork;
            }
            else
            {
                if (!TryParseAddress(ip, out IPAddress? address))
                    return Fail("ip", "Not an IP address or CIDR network (e.g. 203.0.113.7 or 203.0.113.0/24).", out field, out error);
                if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
                network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            }
        }
        filter = new FeedFilter(verdict, code, string.IsNullOrEmpty(account) ? null : account, network);
        return true;
    }

    private static bool TryParseNetwork(string text, out IPNetwork network)
    {
        network = default;
        int slash = text.IndexOf('/');
        if (!TryParseAddress(text[..slash], out IPAddress? address)) return false;
        if (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int prefix)) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        int bits = address.GetAddressBytes().Length * 8;
        if (prefix < 0 || prefix > bits) return false;
        byte[] bytes = address.GetAddressBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            int keep = Math.Clamp(prefix - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        network = new IPNetwork(new IPAddress(bytes), prefix);
        return true;
    }

    // IPAddress.TryParse accepts inet_aton shorthands ("203.0.113" is 203.0.0.113): an analyst typing that means
    // something else, so IPv4 must be a full dotted quad (as the login API asks of its callers).
    private static bool TryParseAddress(string text, [NotNullWhen(true)] out IPAddress? address) => IpText.TryParseStrict(text, out address);

    private static bool Fail(string name, string message, out string field, out string error)
    {
        field = name; error = message;
        return false;
    }
}
