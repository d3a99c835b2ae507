using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using RightSize.Gateway;

namespace RightSize.FunctionalTests.Infrastructure;

/// <summary>
/// A real RightSize gateway on 127.0.0.1:0 (Kestrel, the same host Program builds) in front of
/// three simulator upstreams. Routes: <c>auto</c> (no model: DefaultTier mid), <c>cheap</c>
/// (DefaultTier small), <c>support</c> (claims gpt-4o, MaxTier mid), <c>locked</c> (fixed small,
/// no override).
/// </summary>
public sealed class GatewayHarness : IAsyncDisposable
{
    public const string ClientKey = "sk-client-secret-that-must-not-leak";

    private GatewayHarness(GatewayApp gateway, TestUpstreams upstreams, Uri baseAddress)
    {
        Gateway = gateway;
        Upstreams = upstreams;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public GatewayApp Gateway { get; }

    public TestUpstreams Upstreams { get; }

    /// <summary>The gateway root, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public static Task<GatewayHarness> StartAsync(Action<Dictionary<string, string?>>? configure = null, TestUpstreams? upstreams = null, params string[] extraArgs) =>
        StartAsync(configure, upstreams, services: null, extraArgs);

    public static async Task<GatewayHarness> StartAsync(Action<Dictionary<string, string?>>? configure, TestUpstreams? upstreams, Action<IServiceCollection>? services, params string[] extraArgs)
    {
        upstreams ??= await TestUpstreams.StartAsync();
        var settings = BaseSettings(upstreams);
        configure?.Invoke(settings);
        var gateway = await GatewayApp.CreateAsync(["--urls", "http://127.0.0.1:0", .. extraArgs], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            services?.Invoke(builder.Services);
        });
        await gateway.App.StartAsync();
        var address = gateway.App.Urls.First();
        return new GatewayHarness(gateway, upstreams, new Uri(address.TrimEnd('/') + "/"));
    }

    public static Dictionary<string, string?> BaseSettings(TestUpstreams upstreams)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["RightSize:Classifier:ModelPath"] = "",
            ["RightSize:Routes:auto:Threshold"] = "0.7",
            ["RightSize:Routes:cheap:DefaultTier"] = "small",
            ["RightSize:Routes:support:ClaimModels:0"] = "gpt-4o",
            ["RightSize:Routes:support:MaxTier"] = "mid",
            ["RightSize:Routes:locked:Tier"] = "small",
            ["RightSize:Routes:locked:AllowTierOverride"] = "false",
        };
        foreach (var (tier, simulator, model) in new[] { ("small", upstreams.Small, TestUpstreams.SmallModel), ("mid", upstreams.Mid, TestUpstreams.MidModel), ("frontier", upstreams.Frontier, TestUpstreams.FrontierModel) })
        {
            settings[$"RightSize:Upstreams:up-{tier}:BaseUrl"] = simulator.ApiBase.ToString().TrimEnd('/');
            settings[$"RightSize:Tiers:{tier}:Upstream"] = $"up-{tier}";
            settings[$"RightSize:Tiers:{tier}:Model"] = model;
        }

        return settings;
    }

    /// <summary>An official OpenAI SDK chat client pointed at the gateway, as an application would configure it.</summary>
    /// <remarks>The SDK's own retries are off, so the upstreams' journals count the gateway's attempts only.</remarks>
    public ChatClient ChatClient(string model, string? pathPrefix = null) => OpenAIClient(pathPrefix).GetChatClient(model);

    /// <summary>An official OpenAI SDK client (every API) pointed at the gateway, or at a route's prefix such as <c>routes/cheap/</c>; retries off, as above.</summary>
    public OpenAIClient OpenAIClient(string? pathPrefix = null) =>
        new(new ApiKeyCredential(ClientKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(BaseAddress, (pathPrefix ?? string.Empty) + "v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        await Upstreams.DisposeAsync();
    }
}
