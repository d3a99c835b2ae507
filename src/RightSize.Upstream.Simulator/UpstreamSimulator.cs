using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RightSize.Upstream.Simulator.Faults;
using RightSize.Upstream.Simulator.Journal;

namespace RightSize.Upstream.Simulator;

/// <summary>
/// A simulator on its own Kestrel server, for tests and the gateway's demo:
/// <code>
/// await using var upstream = await UpstreamSimulator.StartAsync(new SimulatorOptions { Models = { "small" } });
/// var client = new HttpClient { BaseAddress = upstream.ApiBase };   // http://127.0.0.1:{port}/v1/
/// </code>
/// </summary>
public sealed class UpstreamSimulator : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);
    private readonly WebApplication _app;
    private int _disposed;

    private UpstreamSimulator(WebApplication app, SimulatorService service, Uri baseAddress)
    {
        _app = app;
        Service = service;
        BaseAddress = baseAddress;
        ApiBase = new Uri(baseAddress, "v1/");
    }

    /// <summary>The server root, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The OpenAI base URL, such as <c>http://127.0.0.1:41234/v1/</c>.</summary>
    public Uri ApiBase { get; }

    /// <summary>The simulator being served.</summary>
    public SimulatorService Service { get; }

    /// <summary>Every request received.</summary>
    public RequestJournal Journal => Service.Journal;

    /// <summary>The per-model fault scripts, changeable while running.</summary>
    public FaultTable Faults => Service.Faults;

    /// <summary>Starts a simulator on <see cref="SimulatorOptions.Url"/> with the system clock.</summary>
    public static Task<UpstreamSimulator> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
        => StartAsync(options, TimeProvider.System, loggerFactory: null, cancellationToken);

    /// <summary>
    /// Starts a simulator on <see cref="SimulatorOptions.Url"/> (default <c>http://127.0.0.1:0</c>).
    /// <paramref name="timeProvider"/> drives <c>created</c>, arrival times and every delay.
    /// </summary>
    public static async Task<UpstreamSimulator> StartAsync(
        SimulatorOptions options,
        TimeProvider timeProvider,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var service = new SimulatorService(options, timeProvider, loggerFactory);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(UpstreamSimulator).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().UseUrls(options.Url.GetLeftPart(UriPartial.Authority));
        builder.Services.AddRoutingCore();
        builder.Services.AddLogging();
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapUpstreamSimulator(service);

        await app.StartAsync(cancellationToken);
        var address = app.Urls.FirstOrDefault()
            ?? throw new InvalidOperationException($"The simulator started but reported no address for {options.Url}.");
        return new UpstreamSimulator(app, service, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Stops the server; requests still running are aborted after a short grace period.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(StopGrace);
        await _app.StopAsync(grace.Token);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync();
        await _app.DisposeAsync();
    }
}
