using System.ComponentModel.DataAnnotations;
using Mamori.Mail.Policy;

namespace Mamori.Mail;

/// <summary>Limits, trusted parties and verdict thresholds of the mail scanner.</summary>
/// <remarks>Copied when a <see cref="MailScanner"/> is built, so later edits do not change a running scanner.
/// Every limit exists because a hostile message controls the input: without it one mail could take the
/// scanner's memory or time away from every other message.</remarks>
public sealed class MailScannerOptions
{
    /// <summary>Largest raw message scanned, in bytes. Larger messages get <c>scan_limit_reached</c> and are
    /// scanned on their first bytes only.</summary>
    /// <remarks>Typical MTA limits are 10–50 MiB; anything past that is unusual enough to tag.</remarks>
    /// <value>The default is 25 MiB.</value>
    [Range(1_024, 1_073_741_824)] public int MaxMessageBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>Deepest MIME nesting parsed.</summary>
    /// <remarks>MimeKit's parser recurses per level (<c>ParserOptions.MaxMimeDepth</c>); a message nesting
    /// thousands of multiparts would otherwise overflow the stack.</remarks>
    /// <value>The default is 16 levels.</value>
    [Range(2, 256)] public int MaxMimeDepth { get; set; } = 16;

    /// <summary>Largest decoded attachment or archive member inspected, in bytes.</summary>
    /// <value>The default is 16 MiB.</value>
    [Range(1_024, 1_073_741_824)] public int MaxPartBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most archive members looked at per archive.</summary>
    /// <remarks>A zip with a million empty members costs nothing to send and a lot to walk.</remarks>
    /// <value>The default is 512 members.</value>
    [Range(1, 100_000)] public int MaxArchiveMembers { get; set; } = 512;

    /// <summary>Deepest nesting of containers (zip in zip, document in zip) that is opened.</summary>
    /// <remarks>Recursive zips ("droste" quines) never end otherwise.</remarks>
    /// <value>The default is 4 levels.</value>
    [Range(1, 16)] public int MaxNestingDepth { get; set; } = 4;

    /// <summary>Largest expansion of an archive member, as uncompressed size over compressed size.</summary>
    /// <remarks>Office documents and text compress 5–20×; zip bombs reach millions. Past the ratio the member
    /// is not expanded and <c>archive_bomb</c> is reported.</remarks>
    /// <value>The default is 200.</value>
    [Range(2, 100_000)] public int MaxDecompressionRatio { get; set; } = 200;

    /// <summary>Most bytes expanded from all archives of one message together.</summary>
    /// <value>The default is 64 MiB.</value>
    [Range(1_024, 1_073_741_824)] public long MaxExpandedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Most password candidates taken from the text and tried on an encrypted zip.</summary>
    /// <remarks>Emotet put the password in the body; trying what the body offers lets the scanner see the
    /// document the recipient would open. Each try costs a few hashes per byte of the member header.</remarks>
    /// <value>The default is 8.</value>
    [Range(0, 64)] public int MaxPasswordCandidates { get; set; } = 8;

    /// <summary>The organisation's own domains (e.g. <c>example.co.jp</c>), for lookalike checks.</summary>
    /// <value>The default is empty.</value>
    public IList<string> OwnDomains { get; } = [];

    /// <summary>Partner domains the organisation corresponds with, for lookalike checks.</summary>
    /// <value>The default is empty.</value>
    public IList<string> PartnerDomains { get; } = [];

    /// <summary>Authentication-Results authserv-ids written by the organisation's own MTAs.</summary>
    /// <remarks>Anyone can write an Authentication-Results header; only the ones our own MTA added (RFC 8601 §5)
    /// are believed. With none configured, SPF/DKIM/DMARC results are ignored.</remarks>
    /// <value>The default is empty.</value>
    public IList<string> TrustedAuthServIds { get; } = [];

    /// <summary>Score from which a message is tagged.</summary> <value>The default is 4.</value>
    [Range(0.1, 1_000)] public double TagScore { get; set; } = 4;

    /// <summary>Score from which a message is quarantined.</summary> <value>The default is 8.</value>
    [Range(0.1, 1_000)] public double QuarantineScore { get; set; } = 8;

    /// <summary>Score from which a message is rejected.</summary> <value>The default is 12.</value>
    [Range(0.1, 1_000)] public double RejectScore { get; set; } = 12;

    /// <summary>Weights overriding <see cref="MailPolicy.DefaultWeights"/> for some codes.</summary>
    /// <value>The default is empty (all default weights).</value>
    public IDictionary<MailFindingCode, double> Weights { get; } = new Dictionary<MailFindingCode, double>();

    /// <summary>Every problem with these options at once, or an empty list.</summary>
    public IReadOnlyList<string> Validate()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        var errors = results.Select(r => $"Mamori:Mail: {r.ErrorMessage}").ToList();
        if (!(TagScore < QuarantineScore && QuarantineScore <= RejectScore))
            errors.Add($"Mamori:Mail: thresholds must rise: TagScore ({TagScore}) < QuarantineScore ({QuarantineScore}) <= RejectScore ({RejectScore}).");
        foreach (string domain in OwnDomains.Concat(PartnerDomains))
            if (!DomainNames.IsPlausibleDomain(domain))
                errors.Add($"Mamori:Mail: '{domain}' is not a domain name (expected e.g. example.co.jp).");
        foreach (KeyValuePair<MailFindingCode, double> weight in Weights)
            if (weight.Value is < 0 or > 1_000 || double.IsNaN(weight.Value))
                errors.Add($"Mamori:Mail: weight of {weight.Key.ToWireName()} must be between 0 and 1000, not {weight.Value}.");
        return errors;
    }

    /// <summary>Throws when <see cref="Validate"/> finds anything.</summary>
    /// <exception cref="ArgumentException">One or more options are invalid; the message lists all of them.</exception>
    public void ThrowIfInvalid()
    {
        IReadOnlyList<string> errors = Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, errors));
    }
}
