using Mamori.Campaigns;
using Mamori.Policy;

namespace Mamori.Detectors;

/// <summary>The strongest thing a finding may ask of the policy.</summary>
internal enum FindingAction : byte
{
    /// <summary>Informational: adds to the score, asks for nothing.</summary>
    None,
    /// <summary>Pre-auth challenge.</summary>
    Challenge,
    /// <summary>Step up a successful login.</summary>
    StepUp,
    /// <summary>Refuse.</summary>
    Deny,
}

/// <summary>What one detector saw in one attempt.</summary>
/// <param name="Code">The reason code it becomes.</param>
/// <param name="Weight">Contribution to the score in [0, 1] (combined as a noisy-or).</param>
/// <param name="Action">What it asks of the policy.</param>
/// <param name="Message">A sentence with the evidence; never a secret, fingerprint or token.</param>
/// <param name="Campaign">The campaign this evidence opens or feeds, if any.</param>
/// <param name="CampaignKind">The campaign's kind when it is finer than the key's (a spray whose targets were enumerated is reverse brute force).</param>
/// <param name="JoinsOnly">The evidence feeds <paramref name="Campaign"/> when it is open but does not open it: one
/// attempt is no campaign (a customer's success after a few mistyped PINs is stepped up, and is not an attack to list).</param>
internal readonly record struct Finding(ReasonCode Code, double Weight, FindingAction Action, string Message, CampaignKey? Campaign = null,
    CampaignKind? CampaignKind = null, bool JoinsOnly = false);
