using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RightSize.Gateway.Demo;
using RightSize.Gateway.Logging;
using RightSize.Server.Hosting;

namespace RightSize.Gateway;

/// <summary>
/// Builds the gateway host: configuration sources, Serilog, the RightSize services and endpoints.
/// Program and the functional tests build it the same way.
/// </summary>
public sealed class GatewayApp : IAsyncDisposable
{
    public const string DemoFlag = "--demo";

    /// <summary>Build and validate as a start does, then stop before listening (see <see cref="ConfigurationCheck"/>).</summary>
    public const string CheckConfigFlag = "--check-config";
    public const string DefaultDemoUrl = "http://127.0.0.1:8080";

    private GatewayApp(WebApplication app, DemoUpstreams? demo, bool demoMode, bool checkOnly)
    {
        App = app;
        Demo = demo;
        DemoMode = demoMode;
        CheckOnly = checkOnly;
    }

    public WebApplication App { get; }

    /// <summary>The in-process simulator upstreams when started with <c>--demo</c>.</summary>
    public DemoUpstreams? Demo { get; }

    /// <summary>Started with <c>--demo</c>: the demo's upstreams, tiers and routes are configured.</summary>
    public bool DemoMode { get; }

    /// <summary>
    /// Started with <c>--check-config</c>: the host is built and its configuration validated, and it
    /// is not to be started. With <c>--demo</c>, the demo's configuration is in place but its
    /// simulators were not started (<see cref="Demo"/> is null).
    /// </summary>
    public bool CheckOnly { get; }

    public static async Task<GatewayApp> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var demoMode = args.Contains(DemoFlag, StringComparer.Ordinal);
        var checkOnly = args.Contains(CheckConfigFlag, StringComparer.Ordinal);
        var hostArgs = args.Where(a => a != DemoFlag && a != CheckConfigFlag).ToArray();
        var builder = CreateBuilder(hostArgs);

        GatewayConfiguration.AddConfigDirectory(builder.Configuration, hostArgs);
        // A check starts nothing: the demo's tiers then point at simulators that do not run.
        var demo = demoMode && !checkOnly ? await DemoUpstreams.StartAsync() : null;
        WebApplication? app = null;
        try
        {
            if (demoMode)
            {
                builder.Configuration.AddInMemoryCollection(demo?.Configuration() ?? DemoUpstreams.ConfigurationWithoutSimulators());
                if (!ListenAddressConfigured(builder.Configuration)) builder.WebHost.UseUrls(DefaultDemoUrl);
                builder.Configuration["RightSize:Logging:Console"] ??= "text";
            }

            builder.Services.AddRightSizeSerilog(builder.Configuration);
            builder.Services.AddRightSize(builder.Configuration);
            Hosting.GatewayHostingExtensions.AddGatewayHosting(builder);
            configure?.Invoke(builder);

            app = builder.Build();
            app.UseRightSizeErrors();
            app.MapRightSize();
            // What the host's StartAsync does first (options registered with ValidateOnStart), done
            // here so that a start and --check-config report such errors alike, before anything listens.
            app.Services.GetService<IStartupValidator>()?.Validate();
            return new GatewayApp(app, demo, demoMode, checkOnly);
        }
        catch
        {
            // Nothing of a gateway that failed to build keeps running: its demo simulators stop too.
            if (app is not null) await app.DisposeAsync();
            if (demo is not null) await demo.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Whether the operator said where to listen, in any way Kestrel honours: <c>urls</c>
    /// (<c>--urls</c>, <c>ASPNETCORE_URLS</c>), <c>http_ports</c> or <c>https_ports</c>
    /// (<c>ASPNETCORE_HTTP_PORTS</c>, which the container image sets, and <c>ASPNETCORE_HTTPS_PORTS</c>),
    /// or endpoints under <c>Kestrel:Endpoints</c>. Only when none is set does the demo fall back to
    /// <see cref="DefaultDemoUrl"/>, on loopback.
    /// </summary>
    public static bool ListenAddressConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string[] keys = [WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey];
        return keys.Any(key => !string.IsNullOrWhiteSpace(configuration[key]))
            || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
    }

    /// <summary>The host builder; a content-root JSON file that does not parse stops start-up with one line naming it.</summary>
    private static WebApplicationBuilder CreateBuilder(string[] hostArgs)
    {
        try
        {
            return WebApplication.CreateBuilder(new WebApplicationOptions
            {
                Args = hostArgs,
                ApplicationName = typeof(GatewayApp).Assembly.GetName().Name,
            });
        }
        catch (InvalidDataException ex)
        {
            var cause = ex.GetBaseException();
            var detail = ReferenceEquals(cause, ex) ? ex.Message : $"{ex.Message} {cause.Message}";
            throw new OptionsValidationException("appsettings", typeof(string), [detail]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (Demo is not null) await Demo.DisposeAsync();
    }
}
