namespace Mamori.Flows.MoneyMovement;

/// <summary>The operator's identity-proofing (eKYC) result for an account.</summary>
/// <param name="VerifiedName">Name as verified.</param>
/// <param name="BirthDate">Birth date as verified.</param>
/// <param name="Method">How it was verified (e.g. <c>ic_chip</c>, <c>photo_and_selfie</c>, <c>bank_account</c>).</param>
/// <param name="VerifiedAt">When it was verified.</param>
public sealed record IdentityProof(string VerifiedName, DateOnly BirthDate, string Method, DateTimeOffset VerifiedAt);

/// <summary>A decision with its reasons.</summary>
public sealed record FlowDecision(FlowVerdict Verdict, IReadOnlyList<FlowReason> Reasons)
{
    /// <summary>Reason wire names.</summary>
    public IReadOnlyList<string> ReasonNames => Reasons.Select(r => r.ToWireName()).ToArray();
}
