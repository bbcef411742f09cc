using Mamori.Signals;
using System.Globalization;
using Mamori.Campaigns;
using Mamori.Policy;

namespace Mamori.Detectors;

/// <summary>
/// One secret failing on many accounts: password spraying (Strontium) and reverse brute force of PINs (Docomo
/// account). Per account each victim sees one failure; per secret fingerprint the attack is plain.
/// </summary>
internal sealed class SprayingDetector : Detector
{
    /// <summary>Share of a sprayed secret's failures on accounts that do not exist above which the identifiers were enumerated (reverse brute force).</summary>
    private const double EnumeratedShare = 0.25;

    /// <summary>
    /// Accounts a secret fails on, as a share of those it succeeds on, below which it is a popular secret rather than a
    /// sprayed one. Forgetful users trying a popular PIN fail on a few percent as many accounts as its owners succeed on
    /// (a probe of a PIN service: ~40 a day against ~2,000); a spray slow enough to stay under a quarter of that is
    /// left to the familiarity model, which steps up its hits from the attacker's networks.
    /// </summary>
    private const double PopularShare = 0.25;

    public override string Name => "spraying";

    public override void Detect(in DetectionContext context, List<Finding> findings)
    {
        if (context.Attempt.Secret is null) return;   // cheap gate: most callers send a fingerprint, but not all
        ref readonly SignalSnapshot s = ref context.Signals;
        EffectiveOptions o = context.Options;
        int tenantShort = s.TenantSecretFailedAccounts, allShort = s.SecretFailedAccounts;
        int longCount = Math.Max(s.TenantSecretFailedAccountsLong, s.SecretFailedAccountsLong);
        // A popular secret (a PIN like 1234) fails on many accounts too, tried by forgetful users whose secret it is not,
        // but its owners succeed with it on far more: it counts as sprayed only while it fails on at least a quarter as
        // many accounts as it succeeds on, in the same window.
        int shortCount = Math.Max(tenantShort, allShort);
        bool sprayedShort = shortCount >= o.SprayThreshold && shortCount >= PopularShare * s.SecretSucceededAccounts;
        bool sprayedLong = longCount >= o.SprayLongThreshold && longCount >= PopularShare * s.SecretSucceededAccountsLong;

        if (!sprayedShort && !sprayedLong)
        {
            // Asked only of a success: a lookup under the campaigns' lock in a table of every sprayed secret.
            if (context.IsSuccess && context.Campaigns.TryGetBySecret(context.Keys.Secret, out _, out _))
                findings.Add(CampaignSecret(context));
            return;
        }

        int accounts = sprayedShort ? Math.Max(tenantShort, allShort) : longCount;
        // Cross-tenant when only the all-tenant count crossed: the same secret sprayed over several tenants.
        ulong scope = tenantShort >= o.SprayThreshold || s.TenantSecretFailedAccountsLong >= o.SprayLongThreshold
            ? Hashing.TenantScope(context.Attempt.Tenant)
            : 0;
        CampaignKind kind = s.SecretUnknownAccounts >= EnumeratedShare * Math.Max(1, s.SecretFailedAccounts)
            ? CampaignKind.ReverseBruteForce
            : CampaignKind.PasswordSpray;
        string window = sprayedShort ? "in the last hour" : "over the last days";
        string message = context.Terse ? "" : string.Create(CultureInfo.InvariantCulture,
            $"The submitted secret failed on about {accounts} different accounts {window}: one secret across many accounts is {(kind == CampaignKind.ReverseBruteForce ? "reverse brute force" : "password spraying")}.");
        var key = new CampaignKey(CampaignKind.PasswordSpray, scope);
        // Not a device new to the account at an address new to it (FamiliarityScore.VouchesForSecret).
        bool vouches = context.Familiarity.VouchesForSecret(context.Attempt.Device is not null);

        if (context.IsPreAuth)
        {
            // Familiar contexts are the account's own user, who may simply have a popular password: never held up.
            if (vouches) { findings.Add(new Finding(ReasonCode.SprayedSecret, 0.2, FindingAction.None, message)); return; }
            // Challenge, never deny, on the secret alone: a dormant real user may own that popular password. A strong
            // spray from a source that is itself abusive is denied by the stuffing detector.
            findings.Add(new Finding(ReasonCode.SprayedSecret, accounts >= o.SprayDenyThreshold ? 0.8 : 0.7, FindingAction.Challenge, message, key, kind));
            return;
        }
        if (context.IsSuccess)
        {
            if (vouches) { findings.Add(new Finding(ReasonCode.SprayedSecret, 0.2, FindingAction.None, message + " The device or network is familiar, so the account's own user is assumed.")); return; }
            findings.Add(new Finding(ReasonCode.CampaignSecret, 0.85, FindingAction.StepUp,
                "A secret being sprayed across many accounts was right for this account, from an environment new to it: a likely takeover.", key, kind));
            return;
        }
        findings.Add(new Finding(ReasonCode.SprayedSecret, 0.7, FindingAction.None, message, key, kind));
    }

    /// <remarks>Vouched for as on the detector's other paths (<see cref="FamiliarityScore.VouchesForSecret"/>): an open
    /// campaign says the secret is in attackers' hands as much as its counts do.</remarks>
    private static Finding CampaignSecret(in DetectionContext context) => context.Familiarity.VouchesForSecret(context.Attempt.Device is not null)
        ? new Finding(ReasonCode.CampaignSecret, 0.2, FindingAction.None,
            "The secret belongs to an open spraying campaign; the device or network is familiar, so the account's own user is assumed.")
        : new Finding(ReasonCode.CampaignSecret, 0.85, FindingAction.StepUp,
            "The secret belongs to an open spraying campaign and was right for this account, from an environment new to it: a likely takeover.");
}
