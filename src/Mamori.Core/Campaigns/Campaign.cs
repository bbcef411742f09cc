using System.Diagnostics;
using Mamori.Events;
using Mamori.Network;
using Mamori.Signals;

namespace Mamori.Campaigns;

/// <summary>The shape of an attack.</summary>
public enum CampaignKind : byte
{
    /// <summary>A few secrets against many accounts (Strontium).</summary>
    PasswordSpray,
    /// <summary>One secret (a PIN) against many enumerated account identifiers, many of which do not exist (Docomo account).</summary>
    ReverseBruteForce,
    /// <summary>Leaked pairs tried once each from rotating sources (SBI Securities).</summary>
    CredentialStuffing,
    /// <summary>Many secrets against one account.</summary>
    BruteForce,
    /// <summary>Right secrets used from one party's device or address on several accounts new to it (phished or bought credentials).</summary>
    AccountTakeover,
}

/// <summary>Wire names of <see cref="CampaignKind"/>.</summary>
public static class CampaignKindNames
{
    /// <summary>The wire name of a kind; never renamed.</summary>
    public static string ToWireName(this CampaignKind kind) => kind switch
    {
        CampaignKind.PasswordSpray => "password_spray",
        CampaignKind.ReverseBruteForce => "reverse_brute_force",
        CampaignKind.CredentialStuffing => "credential_stuffing",
        CampaignKind.BruteForce => "brute_force",
        CampaignKind.AccountTakeover => "account_takeover",
        _ => throw new UnreachableException($"CampaignKind {kind} has no wire name."),
    };
}

/// <summary>What identifies one campaign while it is open: its kind and scope (a tenant, an account, a device).</summary>
internal readonly record struct CampaignKey(CampaignKind Kind, ulong Scope);

/// <summary>A source and how often it appeared.</summary>
public readonly record struct SourceCount(string Source, long Attempts);

/// <summary>An account that logged in successfully while a campaign targeted it: a likely takeover.</summary>
public readonly record struct CampaignSuccess(string Account, DateTimeOffset At, string Ip, string Decision);

/// <summary>An immutable view of a campaign, for the API, reports and storage.</summary>
public sealed record CampaignView
{
    /// <summary>Stable id, e.g. <c>cmp-20200914T2356-0001</c>.</summary>
    public required string Id { get; init; }
    /// <summary>Kind.</summary>
    public required CampaignKind Kind { get; init; }
    /// <summary>Tenant scope; null when cross-tenant or the default tenant.</summary>
    public string? Tenant { get; init; }
    /// <summary>First attempt.</summary>
    public required DateTimeOffset FirstSeen { get; init; }
    /// <summary>Latest attempt.</summary>
    public required DateTimeOffset LastSeen { get; init; }
    /// <summary>Whether it is still open.</summary>
    public required bool Open { get; init; }
    /// <summary>Attempts counted in it.</summary>
    public required long Attempts { get; init; }
    /// <summary>Distinct accounts targeted (estimate).</summary>
    public required long AccountsTargeted { get; init; }
    /// <summary>Most successes a campaign keeps; past it, later successes are not listed (<see cref="Successes"/> is full).</summary>
    /// <remarks>A successful attack can log in thousands of accounts; the list is for review and the cap bounds the
    /// memory one campaign holds. A view whose list has this many entries may have lost some.</remarks>
    public const int MaxSuccessesKept = 1_000;

    /// <summary>Successful logins during it, with the verdict each got (at most <see cref="MaxSuccessesKept"/>).</summary>
    public required IReadOnlyList<CampaignSuccess> Successes { get; init; }
    /// <summary>Heaviest /24s (IPv6 /48s).</summary>
    public required IReadOnlyList<SourceCount> TopSubnets { get; init; }
    /// <summary>Heaviest ASNs.</summary>
    public required IReadOnlyList<SourceCount> TopAsns { get; init; }
    /// <summary>Heaviest addresses (an IPv6 source as its /64, the unit one host or LAN holds).</summary>
    public required IReadOnlyList<SourceCount> TopIps { get; init; }
    /// <summary>Opaque ids of the secret fingerprints sprayed (never the fingerprints).</summary>
    public required IReadOnlyList<string> SecretIds { get; init; }
    /// <summary>Distinct source addresses (estimate).</summary>
    public required long DistinctIps { get; init; }
}

/// <summary>An open campaign's mutable state. Not thread-safe: the tracker serialises access.</summary>
internal sealed class Campaign(string id, CampaignKey key, string? tenant, DateTimeOffset firstSeen)
{
    public const int MaxSuccessesKept = CampaignView.MaxSuccessesKept;
    public const int MaxSecretsKept = 64;

    private readonly byte[] _accounts = new byte[1 << HyperLogLog.DefaultPrecision];
    private readonly byte[] _ips = new byte[1 << 10];
    private readonly SpaceSaving<ulong> _subnets = new(16);
    private readonly SpaceSaving<int> _asns = new(16);
    private readonly SpaceSaving<ulong> _topIps = new(16);
    private readonly List<CampaignSuccess> _successes = [];
    private readonly List<string> _secretIds = [];

    public string Id { get; } = id;
    public CampaignKey Key { get; } = key;
    public CampaignKind Kind { get; set; } = key.Kind;
    public string? Tenant { get; } = tenant;
    public DateTimeOffset FirstSeen { get; } = firstSeen;
    public DateTimeOffset LastSeen { get; private set; } = firstSeen;
    public long Attempts { get; private set; }
    public bool Open { get; set; } = true;
    public HashSet<ulong> Secrets { get; } = [];

    public void Count(LoginAttempt attempt, in SignalKeys keys)
    {
        Attempts++;
        if (attempt.Timestamp > LastSeen) LastSeen = attempt.Timestamp;
        HyperLogLog.AddHash(_accounts, HyperLogLog.DefaultPrecision, keys.Account);
        HyperLogLog.AddHash(_ips, 10, keys.Ip);
        // Sources are counted by key; their text for reports is made only when one enters the heavy-hitter table.
        _subnets.Add(keys.Subnet, attempt.Ip, static ip => NetworkKeys.SubnetText(ip));
        _topIps.Add(keys.Ip, attempt.Ip, static ip => NetworkKeys.AddressText(ip));   // an IPv6 source is its /64
        if (attempt.Asn is int asn) _asns.Add(asn, asn, static a => "AS" + a.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void AddSecret(SecretFingerprint secret, ulong key)
    {
        if (Secrets.Count < MaxSecretsKept * 16 && Secrets.Add(key) && _secretIds.Count < MaxSecretsKept)
            _secretIds.Add(secret.OpaqueId);
    }

    public void AddSuccess(LoginAttempt attempt, string decision)
    {
        if (_successes.Count < MaxSuccessesKept)
            _successes.Add(new CampaignSuccess(attempt.Account, attempt.Timestamp, NetworkKeys.Normalise(attempt.Ip).ToString(), decision));
    }

    public CampaignView ToView() => new()
    {
        Id = Id, Kind = Kind, Tenant = Tenant, FirstSeen = FirstSeen, LastSeen = LastSeen, Open = Open,
        Attempts = Attempts,
        // Estimates (HyperLogLog, about 1 % and 3 % error) never above the attempts they count: 191 accounts from 190
        // attempts reads as a bug to whoever checks.
        AccountsTargeted = Math.Min(HyperLogLog.Estimate(_accounts, HyperLogLog.DefaultPrecision), Attempts),
        DistinctIps = Math.Min(HyperLogLog.Estimate(_ips, 10), Attempts),
        Successes = _successes.ToArray(),
        TopSubnets = _subnets.TopLabels(10).Select(s => new SourceCount(s.Label, s.Count)).ToArray(),
        TopAsns = _asns.TopLabels(10).Select(s => new SourceCount(s.Label, s.Count)).ToArray(),
        TopIps = _topIps.TopLabels(10).Select(s => new SourceCount(s.Label, s.Count)).ToArray(),
        SecretIds = _secretIds.ToArray(),
    };

}
