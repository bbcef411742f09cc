using System.Collections.Frozen;

namespace Mamori.Mail.Policy;

/// <summary>Turns findings into a score and a verdict.</summary>
/// <remarks>Each distinct code counts once, so fifty links with mismatched text weigh as much as one.
/// Weights are set so that one weak sign alone stays below the tag threshold (4), one document-borne
/// threat tags, and the Emotet shape — a forged sender plus a macro document or an encrypted zip with
/// its password — passes quarantine (8). Password zips alone (1.5 + 1.5) stay at accept: they are
/// everyday business mail in Japan.</remarks>
public sealed class MailPolicy
{
    /// <summary>Default weight of each code.</summary>
    public static FrozenDictionary<MailFindingCode, double> DefaultWeights { get; } = new Dictionary<MailFindingCode, double>
    {
        [MailFindingCode.MacroPresent] = 4,
        [MailFindingCode.MacroAutorun] = 3,
        [MailFindingCode.MacroSuspicious] = 4,
        [MailFindingCode.MacroRenamed] = 5,
        [MailFindingCode.EncryptedOfficeDocument] = 4,
        [MailFindingCode.EncryptedArchive] = 1.5,
        [MailFindingCode.EncryptedArchiveOfficeMacro] = 3,
        [MailFindingCode.PasswordInBody] = 1.5,
        [MailFindingCode.ExternalTemplate] = 3,
        [MailFindingCode.RemoteTemplateLoad] = 5,
        [MailFindingCode.Excel4Macro] = 5,
        [MailFindingCode.DisplayNameAddressMismatch] = 3,
        [MailFindingCode.DisplayNameHonorific] = 3,
        [MailFindingCode.ReplyWithoutThread] = 2,
        [MailFindingCode.ReplyToMismatch] = 1.5,
        [MailFindingCode.LookalikeDomain] = 6,
        [MailFindingCode.LinkTextMismatch] = 2.5,
        [MailFindingCode.ExecutableAttachment] = 8,
        [MailFindingCode.ArchiveBomb] = 8,
        [MailFindingCode.ScanLimitReached] = 2,
        [MailFindingCode.MalformedContainer] = 2,
        [MailFindingCode.CsvDde] = 6,
        [MailFindingCode.AccountSuspensionLure] = 2.5,
        [MailFindingCode.SpfFail] = 2,
        [MailFindingCode.DkimFail] = 1.5,
        [MailFindingCode.DmarcFail] = 4,
    }.ToFrozenDictionary();

    private readonly double[] _weights = new double[MailFindingCodeNames.All.Count];
    private readonly double _tag;
    private readonly double _quarantine;
    private readonly double _reject;

    /// <summary>Builds a policy from validated options (weights and thresholds are copied).</summary>
    public MailPolicy(MailScannerOptions options)
    {
        foreach (MailFindingCode code in MailFindingCodeNames.All)
            _weights[(int)code] = options.Weights.TryGetValue(code, out double w) ? w : DefaultWeights[code];
        _tag = options.TagScore;
        _quarantine = options.QuarantineScore;
        _reject = options.RejectScore;
    }

    /// <summary>The weight of <paramref name="code"/> in this policy.</summary>
    public double WeightOf(MailFindingCode code) => _weights[(int)code];

    /// <summary>Scores the findings (each code once) and picks the verdict.</summary>
    public MailScanResult Decide(IReadOnlyList<MailFinding> findings)
    {
        double score = 0;
        foreach (MailFinding finding in findings) score += _weights[(int)finding.Code];
        score = Math.Round(score, 2);
        MailVerdict verdict = score >= _reject ? MailVerdict.Reject
            : score >= _quarantine ? MailVerdict.Quarantine
            : score >= _tag ? MailVerdict.Tag
            : MailVerdict.Accept;
        return new MailScanResult(verdict, score, findings);
    }
}
