using Mamori.Flows.Channels;
using Mamori.Flows.Factors;
using Mamori.Flows.MoneyMovement;
using Mamori.Flows.Security;
using Mamori.Flows.Storage;

namespace Mamori.Flows.Http;

/// <summary>Everything the flow endpoints use, resolved once (keeps handler signatures short).</summary>
internal sealed class FlowServices(FlowsOptions options, TimeProvider time, TotpFactors totp, RecoveryCodes recovery, OneTimeCodes oneTimeCodes,
    WebAuthnFactors webAuthn, StepUps stepUps, DeviceTokens deviceTokens, LinkFlow links, WithdrawalFlow withdrawals, ChangeFlow changes,
    IAccountRecordStore accounts, IAuditLog audit, Notifier notifier)
{
    public FlowsOptions Options => options;
    public TimeProvider Time => time;
    public TotpFactors Totp => totp;
    public RecoveryCodes Recovery => recovery;
    public OneTimeCodes OneTimeCodes => oneTimeCodes;
    public WebAuthnFactors WebAuthn => webAuthn;
    public StepUps StepUps => stepUps;
    public DeviceTokens DeviceTokens => deviceTokens;
    public LinkFlow Links => links;
    public WithdrawalFlow Withdrawals => withdrawals;
    public ChangeFlow Changes => changes;
    public IAccountRecordStore Accounts => accounts;
    public IAuditLog Audit => audit;
    public Notifier Notifier => notifier;
}
