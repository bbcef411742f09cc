using System.Globalization;
using Mamori.Policy;

namespace Mamori.Detectors;

/// <summary>
/// Risk-based authentication: a successful login from an environment new to the account steps up, and so does one
/// after impossible travel, even on a trusted device; a trusted device is said so. The score itself is computed once
/// per assessment (<see cref="FamiliarityModel"/>).
/// </summary>
internal sealed class FamiliarityDetector : Detector
{
    public override string Name => "familiarity";

    public override void Detect(in DetectionContext context, List<Finding> findings)
    {
        FamiliarityScore f = context.Familiarity;
        if (f.Travel is { } leg)
        {
            string travel = context.Terse ? "" : string.Create(CultureInfo.InvariantCulture,
                $"The account's last login was {leg.Minutes:N0} minutes ago from {leg.From}, {leg.Km:N0} km away: faster than anyone travels.");
            findings.Add(context.IsSuccess
                ? new Finding(ReasonCode.ImpossibleTravel, 0.5, FindingAction.StepUp, travel)
                : new Finding(ReasonCode.ImpossibleTravel, 0.2, FindingAction.None, travel));
        }
        if (f.DeviceOnServer)
        {
            string server = context.Terse ? "" : $"The account's own device, now on {f.Novelties}: a browser's session carried off to a server, not its user.";
            findings.Add(context.IsSuccess
                ? new Finding(ReasonCode.UnfamiliarEnvironment, 0.5, FindingAction.StepUp, server)
                : new Finding(ReasonCode.UnfamiliarEnvironment, 0.2, FindingAction.None, server));
        }
        if (f.TrustedDevice)
        {
            findings.Add(new Finding(ReasonCode.TrustedDevice, 0, FindingAction.None, "The device is trusted for this account (it passed a step-up)."));
            return;
        }
        if (f.PendingDue || !f.EnvironmentNeedsStepUp(context.Options.StepUpLogRatio)) return;
        string what = f.Novelties.Length == 0 ? "environment" : f.Novelties;
        // A script's string, or a server's network, steps up whatever the ratio says (an account without history has none to give).
        string message = context.Terse ? "" : f.AutomationClient && f.LogRatio < context.Options.StepUpLogRatio
            ? $"New for this account: {what}: people log in with browsers and apps."
            : f.HostingNetwork && f.LogRatio < context.Options.StepUpLogRatio
            ? $"New for this account: {what}: people log in from ISPs and carriers, phishing kits and bots from rented servers."
            : string.Create(CultureInfo.InvariantCulture,
                $"New for this account: {what} (about 10^{f.LogRatio:0.0} times likelier for someone else than for its usual user).");
        findings.Add(context.IsSuccess
            ? new Finding(ReasonCode.UnfamiliarEnvironment, 0.5, FindingAction.StepUp, message)
            : new Finding(ReasonCode.UnfamiliarEnvironment, 0.2, FindingAction.None, message));
    }
}
