using Mamori.Dashboard;
using Mamori.Breach;
using Mamori.Breach.Http;
using Mamori.Flows;
using Mamori.Flows.Http;
using Mamori.Mail.Http;
using Mamori.Campaigns;
using Mamori.Server.Api;
using Mamori.Server.Auth;
using Mamori.Server.Recording;
using Mamori.Signals;
using Mamori.State;
using Mamori.Storage;
using Mamori.Storage.Postgres;
using Mamori.Storage.Sqlite;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mamori.Server.Hosting;

/// <summary>
/// Builds the HTTP service. Both the server's own entry point and <c>mamori serve</c> call this, so there is one way
/// the service is put together.
/// </summary>
public static partial class MamoriServerHost
{
    /// <summary>Where the service listens when no <c>--urls</c> is given: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Request bodies Kestrel accepts at most (a backstop: each endpoint reads under its own, lower limit).</summary>
    public const long MaxRequestBodyBytes = 2 * 1024 * 1024;

    /// <summary>A builder with every Mamori service registered, from command-line style arguments.</summary>
    /// <param name="args">E.g. <c>--urls http://127.0.0.1:5080 --Mamori:Server:DataPath ./mamori-data</c>.</param>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        // Settings are read once at start (options are bound, not monitored), so the host does not watch its files for
        // changes: its watcher covers the content root and everything below it, and the data folder usually sits there,
        // so every SQLite write woke it (6 % of the server's CPU at peak). Given first, so the command line can still say otherwise.
        WebApplicationBuilder builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls(DefaultUrls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        // Per-request framework logs cost throughput and say nothing an operator needs; configuration can lower this.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Drain requests in flight on SIGTERM for up to this long.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        AddMamoriServer(builder.Services, builder.Configuration);
        return builder;
    }

    /// <summary>Builds the app from <paramref name="builder"/> and maps the API.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        WebApplication app = builder.Build();
        MapMamori(app);
        return app;
    }

    /// <summary>Registers options, engine, storage, auth and background services.</summary>
    public static IServiceCollection AddMamoriServer(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MamoriOptions>().Bind(configuration.GetSection("Mamori")).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MamoriOptions>, MamoriOptionsValidator>());
        services.AddOptions<ServerSettings>().Bind(configuration.GetSection(ServerSettings.Section)).ValidateDataAnnotations()
            .Validate(s => s.GeoIpDatabases.All(File.Exists), $"{ServerSettings.Section}:GeoIpDatabases names a file that does not exist.")
            .ValidateOnStart();
        services.TryAddSingleton(sp => Geo.IpGeoDatabase.Open([.. sp.GetRequiredService<IOptions<ServerSettings>>().Value.GeoIpDatabases]));

        services.TryAddSingleton(TimeProvider.System);
        SignalStoreSelection.AddConfiguredSignalStore(services, configuration);
        services.TryAddSingleton(sp => new InMemorySignalStore(sp.GetRequiredService<IOptions<MamoriOptions>>().Value));
        services.TryAddSingleton<ISignalStore>(sp => sp.GetRequiredService<InMemorySignalStore>());
        services.TryAddSingleton(sp => new CampaignTracker(sp.GetRequiredService<IOptions<MamoriOptions>>().Value.Campaigns));
        services.TryAddSingleton(sp => new LoginAssessor(sp.GetRequiredService<IOptions<MamoriOptions>>().Value, sp.GetRequiredService<ISignalStore>(),
            sp.GetRequiredService<CampaignTracker>(), sp.GetRequiredService<ILogger<LoginAssessor>>()));

        services.TryAddSingleton<IMamoriStorage>(sp => sp.GetRequiredService<IOptions<ServerSettings>>().Value is { Database: { Length: > 0 } database }
            ? new PostgresStorage(database)
            : new SqliteStorage(DataPath(sp), sp.GetRequiredService<IOptions<ServerSettings>>().Value.Synchronous));
        services.TryAddSingleton<IDecisionLog>(sp => sp.GetRequiredService<IMamoriStorage>());
        services.TryAddSingleton<IAccountRecords>(sp => sp.GetRequiredService<IMamoriStorage>());
        services.TryAddSingleton<ICampaignArchive>(sp => sp.GetRequiredService<IMamoriStorage>());
        services.TryAddSingleton<IApiKeyStore>(sp => sp.GetRequiredService<IMamoriStorage>());
        services.TryAddSingleton(sp => new BatchingDecisionWriter(sp.GetRequiredService<IDecisionLog>()));
        services.TryAddSingleton<HealthState>();
        services.TryAddSingleton<ServerMetrics>();
        services.TryAddSingleton<DecisionRecorder>();
        services.TryAddSingleton<FlowRiskFeed>();
        services.TryAddSingleton(sp =>
        {
            ServerSettings s = sp.GetRequiredService<IOptions<ServerSettings>>().Value;
            return new PendingAssessments<PendingLogin>(sp.GetRequiredService<TimeProvider>(), s.PendingTtl, s.MaxPending);
        });
        services.TryAddSingleton(sp =>
        {
            ServerSettings s = sp.GetRequiredService<IOptions<ServerSettings>>().Value;
            return new PendingAssessments<PendingStepUp>(sp.GetRequiredService<TimeProvider>(), s.PendingTtl, s.MaxPending);
        });
        services.TryAddSingleton(sp =>
        {
            ServerSettings s = sp.GetRequiredService<IOptions<ServerSettings>>().Value;
            byte[]? key = DeviceTokens.LoadOrCreateKey(DataPath(sp));
            if (key is null)
            {
                // An unusable data folder must not stop logins: tokens from this process stay valid until it restarts.
                Log.EphemeralDeviceTokenKey(sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MamoriServerHost)));
                key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            }
            return new DeviceTokens(key, s.DeviceTokenLifetime);
        });
        services.TryAddSingleton(sp => new ApiKeyRegistry(sp.GetRequiredService<IApiKeyStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<ServerSettings>>().Value.KeyRefreshInterval));
        services.TryAddSingleton<ISignalSnapshotter>(sp => new StreamSignalSnapshotter(sp.GetRequiredService<ISignalStore>(), DataPath(sp)));
        services.TryAddSingleton<CampaignRecorder>();
        // Order matters: the lifecycle starts first (storage, keys, snapshot) and stops last (commit, snapshot).
        services.AddHostedService<ServerLifecycle>();
        services.AddHostedService(sp => sp.GetRequiredService<CampaignRecorder>());

        // The modules beside login: breached passwords, mail screening, step-up factors and money flows. Each keeps its
        // files under the same data folder as the login records.
        string data = Path.GetFullPath(configuration[$"{ServerSettings.Section}:DataPath"] ?? new ServerSettings().DataPath);
        services.AddBreachIndex(data, o => o.RequireApiKey = configuration.GetValue<bool>("Mamori:Breach:RequireApiKey"));
        services.AddMailScanner();
        var flows = new FlowsOptions { DataDirectory = data };
        configuration.GetSection("Mamori:Flows").Bind(flows);
        services.AddMamoriFlows(flows);
        // With a shared database the flows keep their records there too, so factors, links, charges and holds are the
        // same on every node. A malformed setting is left to ServerSettings' validation, which fails the start naming it.
        if (configuration[$"{ServerSettings.Section}:Database"] is { Length: > 0 } flowsDatabase && PostgresConnectionString.TryParse(flowsDatabase, out _, out _))
            services.AddMamoriFlowsPostgres(flowsDatabase);
        services.AddMamoriDashboard();

        services.AddAuthentication(ApiKeyDefaults.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyDefaults.AssessPolicy, p => p.RequireClaim(ApiKeyDefaults.ScopeClaim, "assess", "admin"))
            .AddPolicy(ApiKeyDefaults.AdminPolicy, p => p.RequireClaim(ApiKeyDefaults.ScopeClaim, "admin"));
        services.AddProblemDetails();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            // Say how to authenticate, so a client generated from the document sends the key (both headers work).
            document.Components ??= new Microsoft.OpenApi.OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, Microsoft.OpenApi.IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["api_key"] = new Microsoft.OpenApi.OpenApiSecurityScheme
            {
                Type = Microsoft.OpenApi.SecuritySchemeType.ApiKey, In = Microsoft.OpenApi.ParameterLocation.Header, Name = "X-Api-Key",
                Description = "An API key (mamori keys create); Authorization: Bearer <key> works too. Scopes: assess, admin (docs/api.md).",
            };
            document.Security ??= [];
            document.Security.Add(new Microsoft.OpenApi.OpenApiSecurityRequirement { [new Microsoft.OpenApi.OpenApiSecuritySchemeReference("api_key", document)] = [] });
            return Task.CompletedTask;
        }));
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, MamoriJsonContext.Default);
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        });
        return services;
    }

    /// <summary>Middleware and endpoints.</summary>
    public static void MapMamori(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi().AllowAnonymous();
        // Opened now, so a file that is not a MaxMind DB stops the start instead of the first login.
        Geo.IpGeoDatabase geo = app.Services.GetRequiredService<Geo.IpGeoDatabase>();
        foreach (string database in geo.Describe()) Log.GeoDatabase(app.Logger, database);
        // Made now, not at the first login: the README's "copy device-token.key to every node" must be possible as soon
        // as the first node has started, before another node takes traffic and makes a key of its own.
        _ = app.Services.GetRequiredService<DeviceTokens>();
        LoginEndpoints.Map(app);
        AdminEndpoints.Map(app, app.Services.GetRequiredService<IOptions<ServerSettings>>().Value);
        // The Pwned Passwords range API is public data and anonymous by default, like the public service.
        app.MapPwnedPasswordsRange();
        app.MapGroup("").RequireAuthorization(ApiKeyDefaults.AssessPolicy).WithTags("mail").MapMailEndpoints();
        app.MapGroup("").RequireAuthorization(ApiKeyDefaults.AssessPolicy).WithTags("flows").MapMamoriFlows();
        // Every account's flow history: an analyst's read, so an admin key (a login service's key cannot list it).
        app.MapGroup("").RequireAuthorization(ApiKeyDefaults.AdminPolicy).WithTags("flows").MapMamoriFlowsAudit();
        // The dashboard's shell is anonymous (it shows a sign-in screen); its data needs an admin key.
        app.MapGroup("").RequireAuthorization(ApiKeyDefaults.AdminPolicy).WithTags("dashboard").MapMamoriDashboard();
    }

    private static string DataPath(IServiceProvider sp) => Path.GetFullPath(sp.GetRequiredService<IOptions<ServerSettings>>().Value.DataPath);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "IP-geo database: {Database}")]
        public static partial void GeoDatabase(ILogger logger, string database);

        [LoggerMessage(EventId = 412, Level = LogLevel.Error, Message = "The data folder is unusable; device tokens are signed with a key that lasts until this process stops.")]
        public static partial void EphemeralDeviceTokenKey(ILogger logger);
    }
}
