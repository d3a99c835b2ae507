using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RightSize.Classification;
using RightSize.Server.Classification;
using RightSize.Server.Configuration;
using RightSize.Server.Endpoints;
using RightSize.Server.Forwarding;
using RightSize.Server.Model;
using RightSize.Server.Policy;
using RightSize.Server.Resilience;

namespace RightSize.Server.Hosting;

/// <summary>The one entry point that registers the gateway's services.</summary>
public static class RightSizeServiceCollectionExtensions
{
    public static RightSizeBuilder AddRightSize(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddHttpForwarder();
        services.Configure<KestrelServerOptions>(HeaderEncoding.Apply);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IValidateOptions<RightSizeOptions>>(_ => new RightSizeOptionsValidator());
        services.TryAddSingleton<GatewaySnapshotBuilder>();
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<GatewaySnapshotStore>(sp, configuration));
        services.AddHostedService<KeyFileWatcher>();
        services.AddHostedService<ConfigurationNotesLogger>();
        services.TryAddSingleton<IDifficultyClassifier>(sp => ClassifierLoader.Load(sp));
        services.TryAddSingleton<RoutePolicy>();
        services.TryAddSingleton<ForwardingHttpClient>();
        services.TryAddSingleton<UpstreamClientRegistry>();
        services.TryAddSingleton<UpstreamCircuitMetrics>();
        services.TryAddSingleton(sp => new HeldResponseBudget(sp.GetRequiredService<GatewaySnapshotStore>().Current.MaxHeldResponseBytes));
        services.TryAddSingleton(sp => new RequestBodyBudget(sp.GetRequiredService<GatewaySnapshotStore>().Current.MaxBufferedRequestBytes));
        services.TryAddSingleton<EscalatingForwarder>();
        services.TryAddSingleton<GatewayLifecycle>();
        services.TryAddSingleton<ProxyRequestHandler>();
        services.TryAddSingleton<ModelsEndpoint>();
        services.TryAddSingleton<DryRunEndpoint>();
        services.TryAddSingleton<HealthEndpoints>();
        services.TryAddSingleton<FallbackEndpoint>();
        services.AddRightSizeTelemetry(configuration);
        return new RightSizeBuilder(services);
    }
}
