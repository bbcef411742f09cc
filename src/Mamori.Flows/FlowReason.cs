using System.Diagnostics;

namespace Mamori.Flows;

/// <summary>Why a flow decided what it did; audit entries and responses carry these.</summary>
public enum FlowReason : byte
{
    /// <summary>The wallet has no operator identity-proofing result (the Docomo wallets had only an e-mail address).</summary>
    IdentityNotProofed,
    /// <summary>The bank account's holder name differs from the verified name after normalisation.</summary>
    HolderNameMismatch,
    /// <summary>The holder name matches the verified name (recorded, never sufficient alone).</summary>
    HolderNameMatched,
    /// <summary>No step-up within the freshness window.</summary>
    StepUpRequired,
    /// <summary>A fresh step-up was found.</summary>
    StepUpFresh,
    /// <summary>The bank account already feeds the maximum number of wallets.</summary>
    BankAccountWalletCap,
    /// <summary>An unfamiliar login on the account was reported recently.</summary>
    RecentUnfamiliarLogin,
    /// <summary>A password reset on the account was reported recently.</summary>
    RecentPasswordReset,
    /// <summary>The link is in its cool-off period; the low charge limit applies.</summary>
    CoolOff,
    /// <summary>The charge would exceed the cool-off limit.</summary>
    CoolOffLimitExceeded,
    /// <summary>The charge would exceed the daily limit.</summary>
    DailyLimitExceeded,
    /// <summary>The link was frozen by the holder's "this was not me".</summary>
    LinkFrozen,
    /// <summary>The holder reported the link as not theirs.</summary>
    NotMeReported,
    /// <summary>The wallet already has a link to this bank account (a second one would restart its cool-off limit).</summary>
    AlreadyLinked,
    /// <summary>The destination is new and still on hold.</summary>
    DestinationOnHold,
    /// <summary>The destination was frozen.</summary>
    DestinationFrozen,
    /// <summary>A notification went to the bank-account holder through the bank's channel.</summary>
    HolderNotified,
    /// <summary>A notification went to the account's registered (old) contact.</summary>
    ContactNotified,
    /// <summary>The account has no registered contact to notify.</summary>
    NoContactRegistered,
    /// <summary>The first contact of an account was set (nothing to notify).</summary>
    FirstContact,
    /// <summary>A factor verification succeeded.</summary>
    FactorVerified,
    /// <summary>A factor verification failed.</summary>
    FactorRejected,
    /// <summary>A TOTP code was already used (same or earlier time step).</summary>
    CodeReused,
    /// <summary>Too many failed verifications for the account in the window.</summary>
    RateLimited,
    /// <summary>A factor was added or replaced.</summary>
    FactorChanged,
    /// <summary>The password was changed.</summary>
    PasswordChanged,
    /// <summary>The contact was changed.</summary>
    ContactChanged,
    /// <summary>A trusted-device token was issued.</summary>
    DeviceTrusted,
    /// <summary>A one-time code was sent to the registered contact.</summary>
    OneTimeCodeSent,
    /// <summary>The authenticator did not verify the user (biometric/PIN) where money movement needs it.</summary>
    UserNotVerified,
    /// <summary>A new factor's first verification confirmed it; the account's other unconfirmed enrolments were dropped.</summary>
    FactorConfirmed,
    /// <summary>No one-time code was sent: the account's send limit was reached (SMS pumping, harassment).</summary>
    SendLimited,
}

/// <summary>What a flow decided.</summary>
public enum FlowVerdict : byte
{
    /// <summary>Go ahead.</summary>
    Allow,
    /// <summary>Accepted, but money cannot move yet (hold period).</summary>
    Hold,
    /// <summary>Ask for a step-up, then retry.</summary>
    StepUp,
    /// <summary>Refused.</summary>
    Deny,
}

/// <summary>Stable wire names of <see cref="FlowReason"/> and <see cref="FlowVerdict"/>.</summary>
public static class FlowWireNames
{
    // Wire names are public: dashboards, SIEM rules and partner feeds match on them. Never rename one.
    /// <summary>The snake_case wire name of a reason.</summary>
    public static string ToWireName(this FlowReason reason) => reason switch
    {
        FlowReason.IdentityNotProofed => "identity_not_proofed",
        FlowReason.HolderNameMismatch => "holder_name_mismatch",
        FlowReason.HolderNameMatched => "holder_name_matched",
        FlowReason.StepUpRequired => "step_up_required",
        FlowReason.StepUpFresh => "step_up_fresh",
        FlowReason.BankAccountWalletCap => "bank_account_wallet_cap",
        FlowReason.RecentUnfamiliarLogin => "recent_unfamiliar_login",
        FlowReason.RecentPasswordReset => "recent_password_reset",
        FlowReason.CoolOff => "cool_off",
        FlowReason.CoolOffLimitExceeded => "cool_off_limit_exceeded",
        FlowReason.DailyLimitExceeded => "daily_limit_exceeded",
        FlowReason.LinkFrozen => "link_frozen",
        FlowReason.NotMeReported => "not_me_reported",
        FlowReason.AlreadyLinked => "already_linked",
        FlowReason.DestinationOnHold => "destination_on_hold",
        FlowReason.DestinationFrozen => "destination_frozen",
        FlowReason.HolderNotified => "holder_notified",
        FlowReason.ContactNotified => "contact_notified",
        FlowReason.NoContactRegistered => "no_contact_registered",
        FlowReason.FirstContact => "first_contact",
        FlowReason.FactorVerified => "factor_verified",
        FlowReason.FactorRejected => "factor_rejected",
        FlowReason.CodeReused => "code_reused",
        FlowReason.RateLimited => "rate_limited",
        FlowReason.FactorChanged => "factor_changed",
        FlowReason.PasswordChanged => "password_changed",
        FlowReason.ContactChanged => "contact_changed",
        FlowReason.DeviceTrusted => "device_trusted",
        FlowReason.UserNotVerified => "user_not_verified",
        FlowReason.OneTimeCodeSent => "one_time_code_sent",
        FlowReason.FactorConfirmed => "factor_confirmed",
        FlowReason.SendLimited => "send_limited",
        _ => throw new UnreachableException($"FlowReason {reason} has no wire name."),
    };

    /// <summary>The snake_case wire name of a verdict.</summary>
    public static string ToWireName(this FlowVerdict verdict) => verdict switch
    {
        FlowVerdict.Allow => "allow",
        FlowVerdict.Hold => "hold",
        FlowVerdict.StepUp => "step_up",
        FlowVerdict.Deny => "deny",
        _ => throw new UnreachableException($"FlowVerdict {verdict} has no wire name."),
    };
}
