using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RightSize.Upstream.Simulator.Protocol;

namespace RightSize.Upstream.Simulator;

/// <summary>Maps the simulator's OpenAI-compatible endpoints onto an app.</summary>
public static class SimulatorEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>{prefix}/v1/chat/completions</c>, <c>/v1/completions</c>, <c>/v1/embeddings</c>,
    /// <c>GET /v1/models</c>, <c>GET /v1/models/{id}</c>, and an OpenAI-shaped 404 for any other
    /// <c>{prefix}/v1/...</c> path, all served by <paramref name="simulator"/>. Several simulators can
    /// share one app under different prefixes (for example <c>/upstreams/small</c>).
    /// </summary>
    public static RouteGroupBuilder MapUpstreamSimulator(
        this IEndpointRouteBuilder endpoints,
        SimulatorService simulator,
        [StringSyntax("Route")] string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(prefix);

        var group = endpoints.MapGroup(prefix);
        group.MapPost("/v1/chat/completions", context => simulator.HandleAsync(context, SimulatorOperation.ChatCompletions));
        group.MapPost("/v1/completions", context => simulator.HandleAsync(context, SimulatorOperation.Completions));
        group.MapPost("/v1/embeddings", context => simulator.HandleAsync(context, SimulatorOperation.Embeddings));
        group.MapGet("/v1/models", context => simulator.HandleAsync(context, SimulatorOperation.ListModels));
        group.MapGet("/v1/models/{**model}", context => simulator.HandleAsync(context, SimulatorOperation.GetModel));
        group.Map("/v1/{**rest}", context => simulator.HandleAsync(context, SimulatorOperation.NotFound));
        return group;
    }

    /// <summary>
    /// Maps the simulator registered by <see cref="SimulatorServiceCollectionExtensions.AddUpstreamSimulator"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The simulator services were not added.</exception>
    public static RouteGroupBuilder MapUpstreamSimulator(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var simulator = endpoints.ServiceProvider.GetService<SimulatorService>()
            ?? throw new InvalidOperationException(
                "No SimulatorService is registered. Call services.AddUpstreamSimulator(configuration.GetSection(\"Simulator\")) " +
                "before MapUpstreamSimulator(), or pass a SimulatorService to MapUpstreamSimulator(simulator).");
        return endpoints.MapUpstreamSimulator(simulator, prefix);
    }
}
