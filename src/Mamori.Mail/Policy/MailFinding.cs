namespace Mamori.Mail.Policy;

/// <summary>One thing found in a message: a stable code and a sentence for the person reading the log.</summary>
/// <param name="Code">The reason; its wire name is the contract.</param>
/// <param name="Message">Human-readable detail (file names, domains). Never parsed by machines.</param>
public readonly record struct MailFinding(MailFindingCode Code, string Message);

/// <summary>The scanner's answer for one message.</summary>
/// <param name="Verdict">What to do with the message.</param>
/// <param name="Score">Sum of the weights of the distinct finding codes.</param>
/// <param name="Findings">Findings in the order they were found, one per code.</param>
public sealed record MailScanResult(MailVerdict Verdict, double Score, IReadOnlyList<MailFinding> Findings)
{
    /// <summary>True when <paramref name="code"/> is among the findings.</summary>
    public bool Has(MailFindingCode code)
    {
        foreach (MailFinding finding in Findings)
            if (finding.Code == code) return true;
        return false;
    }
}
