using Mamori.Mail.Policy;

namespace Mamori.Mail.Analysis;

/// <summary>State of one message's scan: findings (one per code), budgets, password candidates.</summary>
/// <remarks>Not thread-safe: one instance per message, on one thread.</remarks>
internal sealed class ScanContext(MailScannerOptions options)
{
    private readonly bool[] _seen = new bool[MailFindingCodeNames.All.Count];

    public MailScannerOptions Options { get; } = options;
    public List<MailFinding> Findings { get; } = [];
    public List<string> PasswordCandidates { get; } = [];
    /// <summary>Bytes still allowed to be expanded from archives for this message.</summary>
    public long ExpansionBudget { get; set; } = options.MaxExpandedBytes;

    /// <summary>Records a finding unless its code is already recorded (the first message wins).</summary>
    public void Add(MailFindingCode code, string message)
    {
        if (_seen[(int)code]) return;
        _seen[(int)code] = true;
        Findings.Add(new MailFinding(code, message));
    }

    public bool Has(MailFindingCode code) => _seen[(int)code];
}
