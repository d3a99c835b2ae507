using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RightSize.Classification;
using RightSize.Server.Configuration;
using RightSize.Server.Endpoints;

namespace RightSize.Server.Hosting;

/// <summary>Maps the gateway's HTTP surface.</summary>
public static class RightSizeEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every endpoint of the gateway and builds the configuration snapshot and classifier now,
    /// so that invalid configuration or a refused model stops start-up.
    /// </summary>
    public static IEndpointRouteBuilder MapRightSize(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        if (services.GetService<GatewaySnapshotStore>() is null)
        {
            throw new InvalidOperationException("RightSize services are missing: call services.AddRightSize(configuration) before MapRightSize().");
        }

        _ = services.GetRequiredService<IDifficultyClassifier>();
        _ = services.GetRequiredService<Hosting.GatewayLifecycle>();
        _ = services.GetRequiredService<Resilience.UpstreamCircuitMetrics>();
        var proxy = services.GetRequiredService<ProxyRequestHandler>();
        var models = services.GetRequiredService<ModelsEndpoint>();
        var dryRun = services.GetRequiredService<DryRunEndpoint>();
        var health = services.GetRequiredService<HealthEndpoints>();
        var fallback = services.GetRequiredService<FallbackEndpoint>();

        endpoints.Map(OpenAIPaths.ChatCompletions, context => proxy.HandleAsync(context, OpenAIOperation.ChatCompletions));
        endpoints.Map(OpenAIPaths.Completions, context => proxy.HandleAsync(context, OpenAIOperation.Completions));
        endpoints.Map(OpenAIPaths.Embeddings, context => proxy.HandleAsync(context, OpenAIOperation.Embeddings));
        endpoints.MapGetOrHead(OpenAIPaths.Models, models.HandleAsync);
        endpoints.Map(GatewayPaths.Route, dryRun.HandleAsync);
        endpoints.MapGetOrHead(GatewayPaths.Live, HealthEndpoints.LiveAsync);
        endpoints.MapGetOrHead(GatewayPaths.Ready, health.ReadyAsync);
        endpoints.MapRightSizeTelemetry();
        // "{**path}", not MapFallback's default "{*path:nonfile}": paths such as /v1/models/gpt-4.1
        // or /favicon.ico end in what looks like a file name and must reach the fallback too.
        endpoints.MapFallback("{**path}", fallback.HandleAsync);
        return endpoints;
    }
}
