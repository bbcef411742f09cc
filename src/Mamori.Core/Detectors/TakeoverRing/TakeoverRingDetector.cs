using Mamori.Signals;
using System.Globalization;
using Mamori.Campaigns;
using Mamori.Policy;

namespace Mamori.Detectors;

/// <summary>
/// Phished or bought credentials used by one party: the same device, or the same non-shared address, logs into
/// several accounts that had never seen it. One victim looks like a new phone; three look like a ring.
/// </summary>
internal sealed class TakeoverRingDetector : Detector
{
    public override string Name => "takeover_ring";

    /// <summary>
    /// At pre-auth: whether this login, if it succeeds from a context new to the account, makes its device or
    /// (non-shared) address a ring. The outcome half then steps it up, but decides what the store learns before it
    /// sees the outcome's counts; the engine asks this first, so a ring's login is not learned as the account's own
    /// (it would make the party's next login from the same device familiar).
    /// </summary>
    internal static bool CompletesRing(in DetectionContext context) =>
        DeviceReaches(in context, context.Options.TakeoverRingAccounts) || (!context.Familiarity.FamiliarContext && !SharedAddressDetector.IsShared(in context)
            && context.Signals.Ip.UnfamiliarSuccessAccounts + 1 >= context.Options.TakeoverRingAccounts);

    /// <summary>
    /// At pre-auth: whether this login, if it succeeds from a context new to the account, brings its device to twice the
    /// ring's accounts, the ring the outcome denies. Such a success is not learned at all, not even after it has
    /// succeeded on several days (ADR 0045): a phone or a browser profile in that many accounts new to it is one party's,
    /// and a fraudster who came back to each victim on a second day was learned by them and let in, the outcome having
    /// denied the ring the day before. A smaller ring (a family's phone in three or four members' accounts) waits to be
    /// learned as any stepped-up success does; so does an address ring, which is only stepped up (an office's or a VPN
    /// exit's first logins at the start of a replay look the same).
    /// </summary>
    internal static bool CompletesDeviceRing(in DetectionContext context) => DeviceReaches(in context, 2 * context.Options.TakeoverRingAccounts);

    /// <summary>Whether this login, if it succeeds from a context new to the account, brings its device (away from the
    /// account's own addresses) to <paramref name="accounts"/> accounts new to it.</summary>
    private static bool DeviceReaches(in DetectionContext context, int accounts) =>
        !context.Familiarity.FamiliarContext && context.Attempt.Device is not null && !context.Familiarity.KnownAddress
        && context.Signals.Device.UnfamiliarSuccessAccounts + 1 >= accounts;

    /// <summary>
    /// At pre-auth: whether this login, if it succeeds, is the second account new to this (non-shared) address from a
    /// network the service's users almost never use. Not yet a ring; but such a success is not learned at once, so a
    /// party logging into accounts from its server does not teach the population that its network is common (which
    /// would stop its later logins counting towards the ring).
    /// </summary>
    internal static bool MayJoinRing(in DetectionContext context) =>
        context.Familiarity is { NewNetwork: true, FamiliarContext: false }
        && context.Familiarity.NewToAccount(context.Options.StepUpLogRatio)
        && context.Signals.Ip.UnfamiliarSuccessAccounts >= 1
        && !SharedAddressDetector.IsShared(in context);

    public override void Detect(in DetectionContext context, List<Finding> findings)
    {
        ref readonly SignalSnapshot s = ref context.Signals;
        EffectiveOptions o = context.Options;
        int ring = 0;
        ulong scope = 0;
        string source = "";
        // A device at an address the account knows is its household's, however many of the household use it.
        bool household = context.Familiarity.KnownAddress;
        if (context.Attempt.Device is not null && !household && s.Device.UnfamiliarSuccessAccounts >= o.TakeoverRingAccounts)
        {
            ring = s.Device.UnfamiliarSuccessAccounts; scope = context.Keys.Device; source = "device";
        }
        else if (context.Attempt.Device is not null && !household && !context.Familiarity.KnownDevice && s.Device.SuccessfulAccounts > o.TakeoverRingAccounts)
        {
            // One browser profile or phone logged into more accounts than a household shares, this one new to it.
            ring = s.Device.SuccessfulAccounts; scope = context.Keys.Device; source = "device";
        }
        else if (!SharedAddressDetector.IsShared(in context) && s.Ip.UnfamiliarSuccessAccounts >= o.TakeoverRingAccounts)
        {
            ring = s.Ip.UnfamiliarSuccessAccounts; scope = context.Keys.Ip; source = "address";
        }
        if (ring == 0) return;
        FamiliarityScore f = context.Familiarity;
        if (f.FamiliarContext) return;   // the account knows this device: a shared family device, not a ring
        string message = context.Terse ? "" : string.Create(CultureInfo.InvariantCulture,
            $"This {source} logged into about {ring} accounts that had never used it: one party holding many accounts' credentials.");
        var key = new CampaignKey(CampaignKind.AccountTakeover, scope);
        // An address ring counts successes from a network new to the account, which an office's or a hotel's first
        // logins without a known device can be too: it steps up, and only a device ring is denied outright.
        FindingAction action = context.IsPreAuth ? FindingAction.Challenge
            : context.IsSuccess ? (source == "device" && ring >= 2 * o.TakeoverRingAccounts ? FindingAction.Deny : FindingAction.StepUp)
            : FindingAction.None;
        findings.Add(new Finding(ReasonCode.TakeoverRing, 0.8, action, message, key));
    }
}
