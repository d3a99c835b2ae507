namespace RightSize.Gateway.Hosting;

/// <summary>The process-level pieces of the gateway host: graceful shutdown, Kestrel's limits from configuration, and the watcher of the JSON configuration files (content root and configuration directory).</summary>
public static class GatewayHostingExtensions
{
    public static WebApplicationBuilder AddGatewayHosting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ContentRootJsonFiles.KeepLastGood(builder.Configuration);
        builder.Services.AddGatewayShutdown(builder.Configuration);
        builder.Services.AddKestrelLimits(builder.Configuration);
        builder.Services.AddHostedService<ConfigDirectoryWatcher>();
        return builder;
    }
}
