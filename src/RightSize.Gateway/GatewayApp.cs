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
    public const string DefaultDemoUrl = "http://127.0.0.1:8080";

    private GatewayApp(WebApplication app, DemoUpstreams? demo)
    {
        App = app;
        Demo = demo;
    }

    public WebApplication App { get; }

    /// <summary>The in-process simulator upstreams when started with <c>--demo</c>.</summary>
    public DemoUpstreams? Demo { get; }

    public static async Task<GatewayApp> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var demoMode = args.Contains(DemoFlag, StringComparer.Ordinal);
        var hostArgs = args.Where(a => a != DemoFlag).ToArray();
        var builder = CreateBuilder(hostArgs);

        GatewayConfiguration.AddConfigDirectory(builder.Configuration, hostArgs);
        DemoUpstreams? demo = null;
        if (demoMode)
        {
            demo = await DemoUpstreams.StartAsync();
            builder.Configuration.AddInMemoryCollection(demo.Configuration());
            if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])) builder.WebHost.UseUrls(DefaultDemoUrl);
            builder.Configuration["RightSize:Logging:Console"] ??= "text";
        }

        builder.Services.AddRightSizeSerilog(builder.Configuration);
        builder.Services.AddRightSize(builder.Configuration);
        Hosting.GatewayHostingExtensions.AddGatewayHosting(builder);
        configure?.Invoke(builder);

        var app = builder.Build();
        try
        {
            app.UseRightSizeErrors();
            app.MapRightSize();
        }
        catch
        {
            await app.DisposeAsync();
            if (demo is not null) await demo.DisposeAsync();
            throw;
        }

        return new GatewayApp(app, demo);
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
