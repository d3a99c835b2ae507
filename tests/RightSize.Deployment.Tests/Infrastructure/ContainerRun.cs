using RightSize.Upstream.Simulator;

namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>
/// The published gateway started as its container runs: the ConfigMap's <c>appsettings.json</c> in
/// a mounted directory, a writable temporary directory, and the manifests' environment pointed at
/// two in-process provider simulators. Disposing stops the gateway and the simulators and removes
/// the directories.
/// </summary>
public sealed class ContainerRun : IAsyncDisposable
{
    private readonly TempDirectory _config;
    private readonly TempDirectory _temp;

    private ContainerRun(ProviderSimulators upstreams, TempDirectory config, TempDirectory temp, GatewayProcess gateway)
    {
        Upstreams = upstreams;
        _config = config;
        _temp = temp;
        Gateway = gateway;
    }

    public ProviderSimulators Upstreams { get; }

    public GatewayProcess Gateway { get; }

    /// <param name="published">The publish output, made on first use.</param>
    /// <param name="upstreams">Changes to both simulators' options.</param>
    /// <param name="withModel">Keep the ConfigMap's classifier model path (the baked-in model); otherwise the gateway runs without one.</param>
    /// <param name="settings">Environment variables set over the manifests' own.</param>
    public static async Task<ContainerRun> StartAsync(PublishedGateway published, Action<SimulatorOptions>? upstreams = null, bool withModel = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        await published.GetAsync();
        var simulators = await ProviderSimulators.StartAsync(upstreams);
        var config = new TempDirectory("rightsize-etc-");
        var temp = new TempDirectory("rightsize-tmp-");
        try
        {
            ContainerEnvironment.WriteConfigMap(config.Path);
            var environment = ContainerEnvironment.For(config.Path, temp.Path, simulators.Environment, withModel);
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) environment[key] = value;
            var gateway = await GatewayProcess.StartAsync(published.EntryAssembly, environment);
            return new ContainerRun(simulators, config, temp, gateway);
        }
        catch
        {
            temp.Dispose();
            config.Dispose();
            await simulators.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstreams.DisposeAsync();
        _temp.Dispose();
        _config.Dispose();
    }
}
