using RightSize.Upstream.Simulator;

namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>
/// Stand-ins for the ConfigMap's two upstreams: <c>openai</c> (mid and frontier models, requires the
/// Secret's key) and <c>local</c> (the small model, no key), with the environment overrides that
/// point the gateway at them.
/// </summary>
public sealed class ProviderSimulators : IAsyncDisposable
{
    private ProviderSimulators(UpstreamSimulator openAI, UpstreamSimulator local)
    {
        OpenAI = openAI;
        Local = local;
    }

    public UpstreamSimulator OpenAI { get; }

    public UpstreamSimulator Local { get; }

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["RightSize__Upstreams__openai__BaseUrl"] = OpenAI.ApiBase.ToString().TrimEnd('/'),
        ["RightSize__Upstreams__local__BaseUrl"] = Local.ApiBase.ToString().TrimEnd('/'),
    };

    public static async Task<ProviderSimulators> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var openAI = new SimulatorOptions { RequiredApiKey = ContainerEnvironment.ProviderKey, StreamChunks = 6 };
        openAI.Models.Add("gpt-4.1-mini");
        openAI.Models.Add("gpt-4.1");
        configure?.Invoke(openAI);
        var local = new SimulatorOptions { StreamChunks = 6 };
        local.Models.Add("llama-3.2-3b");
        configure?.Invoke(local);
        return new ProviderSimulators(await UpstreamSimulator.StartAsync(openAI), await UpstreamSimulator.StartAsync(local));
    }

    public async ValueTask DisposeAsync()
    {
        await OpenAI.DisposeAsync();
        await Local.DisposeAsync();
    }
}
