using Fido2NetLib;
using Mamori.Flows.Channels;
using Mamori.Flows.Factors;
using Mamori.Flows.Http;
using Mamori.Flows.MoneyMovement;
using Mamori.Flows.Security;
using Mamori.Flows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mamori.Flows;

/// <summary>Registers the step-up factors and money-movement flows.</summary>
public static class FlowsServiceCollectionExtensions
{
    /// <summary>Key file name in the data folder (32 random bytes, mode 0600).</summary>
    public const string KeyFileName = "flows.key";
    /// <summary>Outbox file name in the data folder (JSON lines).</summary>
    public const string OutboxFileName = "outbox.jsonl";

    /// <summary>
    /// Registers the flows with their SQLite store (unless an <see cref="IFactorStore"/> etc. is already registered),
    /// the key file, the outbox channel and <see cref="TimeProvider.System"/> (unless one is registered).
    /// </summary>
    /// <exception cref="OptionsValidationException">Any option is invalid; all problems are listed at once.</exception>
    public static IServiceCollection AddMamoriFlows(this IServiceCollection services, FlowsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateOptionsResult result = new FlowsOptionsValidator().Validate(null, options);
        if (result.Failed) throw new OptionsValidationException(nameof(FlowsOptions), typeof(FlowsOptions), result.Failures);
        FlowsOptions copy = Copy(options);   // later edits to the caller's instance cannot change running flows

        string dataDirectory = Path.GetFullPath(copy.DataDirectory);
        services.AddSingleton(copy);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => FlowKeys.LoadOrCreate(Path.Combine(dataDirectory, KeyFileName)));
        services.AddSingleton(_ =>
        {
            PrivateFolder.Create(dataDirectory);
            return new SqliteFlowStore(Path.Combine(dataDirectory, copy.DatabasePath));
        });
        AddStoreRoles<SqliteFlowStore>(services, ServiceCollectionDescriptorExtensions.TryAdd);
        services.AddSingleton(_ =>
        {
            PrivateFolder.Create(dataDirectory);
            return new OutboxChannel(Path.Combine(dataDirectory, OutboxFileName), Console.Out);
        });
        services.AddLogging();
        services.AddSingleton(sp => new Notifier(sp.GetServices<IOneTimeCodeChannel>(), sp.GetRequiredService<OutboxChannel>(),
            sp.GetRequiredService<IAuditLog>(), sp.GetRequiredService<ILogger<Notifier>>()));
        services.TryAddSingleton<IVerificationLimiter>(_ => new VerificationLimiter(copy.MaxFailedVerifications, copy.VerificationWindow));
        services.AddSingleton<DeviceTokens>();
        services.AddSingleton(sp => new StepUps(sp.GetRequiredService<IAccountRecordStore>(), sp.GetRequiredService<IAuditLog>(),
            sp.GetRequiredService<DeviceTokens>(), copy.DeviceTokenLifetime, sp.GetService<LoginAssessor>()));
        services.AddSingleton(sp => new TotpFactors(sp.GetRequiredService<IFactorStore>(), sp.GetRequiredService<FlowKeys>(),
            sp.GetRequiredService<IVerificationLimiter>(), copy.TotpIssuer, copy.TotpEnrollmentWindow));
        services.AddSingleton(sp => new RecoveryCodes(sp.GetRequiredService<IFactorStore>(), sp.GetRequiredService<FlowKeys>(),
            sp.GetRequiredService<IVerificationLimiter>(), copy.RecoveryCodeCount));
        services.TryAddSingleton<IOneTimeCodeSendLimiter>(_ => new OneTimeCodeSendLimiter(copy.OneTimeCodeSendInterval, copy.MaxOneTimeCodesPerHour));
        services.AddSingleton(sp => new OneTimeCodes(sp.GetRequiredService<IFactorStore>(), sp.GetRequiredService<IAccountRecordStore>(),
            sp.GetRequiredService<FlowKeys>(), sp.GetRequiredService<IVerificationLimiter>(), sp.GetRequiredService<IOneTimeCodeSendLimiter>(),
            sp.GetRequiredService<Notifier>(), sp.GetRequiredService<IAuditLog>(), copy.OneTimeCodeLifetime));
        services.AddSingleton<IFido2>(_ => new Fido2(new Fido2Configuration
        {
            RPID = copy.WebAuthnRelyingPartyId,
            RPName = copy.WebAuthnRelyingPartyName,
            Origins = new HashSet<string>(copy.WebAuthnOrigins, StringComparer.Ordinal),
        }));
        services.AddSingleton(sp => new WebAuthnFactors(sp.GetRequiredService<IFido2>(), sp.GetRequiredService<IFactorStore>(),
            sp.GetRequiredService<IWebAuthnCeremonyStore>(), sp.GetRequiredService<IVerificationLimiter>()));
        services.AddSingleton<RiskChecks>();
        services.AddSingleton<LinkFlow>();
        services.AddSingleton<WithdrawalFlow>();
        services.AddSingleton(sp => new LinkAdministration(sp.GetRequiredService<ILinkStore>(), sp.GetRequiredService<IWithdrawalDestinationStore>(),
            sp.GetRequiredService<IAuditLog>()));
        services.AddSingleton<ChangeFlow>();
        services.AddSingleton(sp => new FactorAdministration(sp.GetRequiredService<IVerificationLimiter>(), sp.GetRequiredService<IAuditLog>()));
        services.AddSingleton(sp => new UnfamiliarLoginNotices(sp.GetRequiredService<IAccountRecordStore>(), sp.GetRequiredService<Notifier>(),
            copy, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<FlowServices>();
        return services;
    }

    /// <summary>
    /// Keeps the flows' records in a PostgreSQL database instead of the data folder's SQLite file, so every node that
    /// shares the database sees the same factors, links, charges, holds, passkey ceremonies and audit, and counts the same
    /// failed verifications and one-time code sends against each account's limits. Call before or after
    /// <see cref="AddMamoriFlows"/>: these registrations win either way.
    /// </summary>
    /// <remarks>
    /// The tables are prefixed <c>flows_</c> and versioned in their own <c>flows_schema_migrations</c>; they are created
    /// (or brought up to date) by the first flow call, under an advisory lock, so nodes starting together migrate once.
    /// The flows key file (<see cref="KeyFileName"/>) still lives in each node's data folder and must be the same file
    /// on every node: it seals the TOTP seeds and keys the code hashes.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <param name="connection">A <c>postgres://user:password@host:port/database</c> URL or an Npgsql connection string.</param>
    /// <exception cref="FormatException">The connection text is neither (the message never repeats the password).</exception>
    public static IServiceCollection AddMamoriFlowsPostgres(this IServiceCollection services, string connection)
    {
        ArgumentException.ThrowIfNullOrEmpty(connection);
        _ = Mamori.Storage.Postgres.PostgresConnectionString.Parse(connection);   // now: a typo fails the start, not the first step-up
        services.AddSingleton(_ => new PostgresFlowStore(connection));          // made by the container, so disposed by it
        // Added, not tried: whichever of the two calls comes first, a resolve takes the last registration, this one.
        AddStoreRoles<PostgresFlowStore>(services, (s, d) => s.Add(d));
        // The step-up limits count in the database too, or N nodes would allow N times the guesses and the SMS (ADR 0028).
        services.AddSingleton<IVerificationLimiter>(sp =>
        {
            FlowsOptions o = sp.GetRequiredService<FlowsOptions>();
            return new SharedVerificationLimiter(sp.GetRequiredService<PostgresFlowStore>(), o.MaxFailedVerifications, o.VerificationWindow,
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IOneTimeCodeSendLimiter>(sp =>
        {
            FlowsOptions o = sp.GetRequiredService<FlowsOptions>();
            return new SharedOneTimeCodeSendLimiter(sp.GetRequiredService<PostgresFlowStore>(), o.OneTimeCodeSendInterval, o.MaxOneTimeCodesPerHour);
        });
        return services;
    }

    // Every settable property, by reflection: a hand-kept list silently left each new option at its default.
    private static FlowsOptions Copy(FlowsOptions o)
    {
        var copy = new FlowsOptions();
        foreach (System.Reflection.PropertyInfo property in typeof(FlowsOptions).GetProperties())
        {
            if (!property.CanWrite) continue;
            object? value = property.GetValue(o);
            property.SetValue(copy, value is IList<string> list ? list.ToList() : value);   // a list is copied, not shared
        }
        return copy;
    }

    /// <summary>Registers <typeparamref name="TStore"/> (one instance) as each store interface the flows read, with
    /// <paramref name="add"/>: <c>TryAdd</c> for the default, so a test's or the PostgreSQL store's stay; <c>Add</c> to win.</summary>
    private static void AddStoreRoles<TStore>(IServiceCollection services, Action<IServiceCollection, ServiceDescriptor> add)
        where TStore : class, IFactorStore, IAccountRecordStore, ILinkStore, IWithdrawalDestinationStore, IAuditLog, IWebAuthnCeremonyStore
    {
        add(services, ServiceDescriptor.Singleton<IFactorStore>(sp => sp.GetRequiredService<TStore>()));
        add(services, ServiceDescriptor.Singleton<IAccountRecordStore>(sp => sp.GetRequiredService<TStore>()));
        add(services, ServiceDescriptor.Singleton<ILinkStore>(sp => sp.GetRequiredService<TStore>()));
        add(services, ServiceDescriptor.Singleton<IWithdrawalDestinationStore>(sp => sp.GetRequiredService<TStore>()));
        add(services, ServiceDescriptor.Singleton<IAuditLog>(sp => sp.GetRequiredService<TStore>()));
        add(services, ServiceDescriptor.Singleton<IWebAuthnCeremonyStore>(sp => sp.GetRequiredService<TStore>()));
    }
}
