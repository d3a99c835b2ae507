namespace RightSize.Gateway.Hosting;

/// <summary>The process-level pieces of the gateway host: graceful shutdown and the configuration-directory watcher.</summary>
public static class GatewayHostingExtensions
{
    public static WebApplicationBuilder AddGatewayHosting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGatewayShutdown(builder.Configuration);
        builder.Services.AddHostedService<ConfigDirectoryWatcher>();
        return builder;
    }
}
