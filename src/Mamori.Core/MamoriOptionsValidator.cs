using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Mamori;

/// <summary>
/// Validates <see cref="MamoriOptions"/> as a whole: every [Range] of every nested options class, and the rules
/// about how values fit together. Reports all failures at once, each naming the setting, so an operator fixes
/// the file in one go.
/// </summary>
public sealed class MamoriOptionsValidator : IValidateOptions<MamoriOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MamoriOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        Check(builder, "Mamori", options);
        Check(builder, "Mamori:Spraying", options.Spraying);
        Check(builder, "Mamori:Stuffing", options.Stuffing);
        Check(builder, "Mamori:BruteForce", options.BruteForce);
        Check(builder, "Mamori:Familiarity", options.Familiarity);
        Check(builder, "Mamori:GlobalAnomaly", options.GlobalAnomaly);
        Check(builder, "Mamori:SharedAddress", options.SharedAddress);
        Check(builder, "Mamori:Campaigns", options.Campaigns);
        Check(builder, "Mamori:Signals", options.Signals);
        foreach ((string tenant, TenantOptions tenantOptions) in options.Tenants)
            Check(builder, $"Mamori:Tenants:{tenant}", tenantOptions);

        if (options.Spraying.LongWindow <= options.Spraying.ShortWindow)
            builder.AddError("LongWindow must be longer than ShortWindow.", "Mamori:Spraying:LongWindow");
        if (options.Spraying.DenyThreshold < options.Spraying.DistinctAccountThreshold)
            builder.AddError("DenyThreshold must be at least DistinctAccountThreshold (deny needs more evidence than challenge).", "Mamori:Spraying:DenyThreshold");
        if (options.BruteForce.FamiliarThreshold < options.BruteForce.UnfamiliarThreshold)
            builder.AddError("FamiliarThreshold must be at least UnfamiliarThreshold: familiar devices get more slack, not less.", "Mamori:BruteForce:FamiliarThreshold");
        if (options.BruteForce.SinceSuccessChallengeThreshold < options.BruteForce.SinceSuccessStepUpThreshold)
            builder.AddError("SinceSuccessChallengeThreshold must be at least SinceSuccessStepUpThreshold.", "Mamori:BruteForce:SinceSuccessChallengeThreshold");
        if (options.BruteForce.SinceSuccessLockThreshold < options.BruteForce.SinceSuccessChallengeThreshold)
            builder.AddError("SinceSuccessLockThreshold must be at least SinceSuccessChallengeThreshold (a lock needs more evidence than a challenge).", "Mamori:BruteForce:SinceSuccessLockThreshold");
        if (Network.NetworkSet.TryParse([.. options.SharedAddress.KnownNetworks], out string? networkError) is null)
            builder.AddError(networkError!, "Mamori:SharedAddress:KnownNetworks");
        if (Network.NetworkSet.TryParse([.. options.SharedAddress.PartnerNetworks], out string? partnerError) is null)
            builder.AddError(partnerError!, "Mamori:SharedAddress:PartnerNetworks");
        CheckAsns(builder, options.Familiarity.HostingAsns, "Mamori:Familiarity:HostingAsns");
        CheckAsns(builder, options.Familiarity.NotHostingAsns, "Mamori:Familiarity:NotHostingAsns");
        if (!Enum.IsDefined(options.FailMode))
            builder.AddError($"'{options.FailMode}' is not a fail mode; use FailOpen or FailChallenge.", "Mamori:FailMode");
        return builder.Build();
    }

    /// <summary>Most ASN lists an operator keeps by hand.</summary>
    internal const int MaxListedAsns = 100_000;

    private static void CheckAsns(ValidateOptionsResultBuilder builder, IList<string>? asns, string setting)
    {
        if (asns is null) return;
        if (asns.Count > MaxListedAsns)
            builder.AddError(string.Create(CultureInfo.InvariantCulture, $"lists {asns.Count:N0} ASNs; at most {MaxListedAsns:N0} are allowed."), setting);
        foreach (string asn in asns)
        {
            if (Network.HostingNetworks.TryParseAsn(asn, out _)) continue;
            builder.AddError($"'{asn}' is not an ASN; write a whole number from 1, such as 64500 or \"AS64500\".", setting);
            break;
        }
    }

    private static void Check(ValidateOptionsResultBuilder builder, string section, object instance)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true);
        foreach (ValidationResult result in results)
        {
            foreach (string member in result.MemberNames)
                builder.AddError(result.ErrorMessage ?? "is invalid", $"{section}:{member}");
        }
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem, or returns the options.</summary>
    public static MamoriOptions ThrowIfInvalid(MamoriOptions options)
    {
        ValidateOptionsResult result = new MamoriOptionsValidator().Validate(null, options);
        if (result.Failed)
            throw new OptionsValidationException(nameof(MamoriOptions), typeof(MamoriOptions), result.Failures);
        return options;
    }
}
