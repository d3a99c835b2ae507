using System.Diagnostics;
using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace RightSize.Bench.BareYarp;

/// <summary>
/// <c>dotnet RightSize.Bench.BareYarp.dll --urls http://127.0.0.1:9102 --BareYarp:Destination=http://127.0.0.1:9101</c>:
/// forwards every request to the destination, path and query unchanged.
/// </summary>
public static class Program
{
    public const string DestinationKey = "BareYarp:Destination";

    public static async Task<int> Main(string[] args)
    {
        // The same host builder as the gateway (GatewayApp), so the difference measured is RightSize's own work.
        var builder = WebApplication.CreateBuilder(args);
        var destination = builder.Configuration[DestinationKey];
        if (string.IsNullOrWhiteSpace(destination) || !Uri.TryCreate(destination, UriKind.Absolute, out _))
        {
            await Console.Error.WriteLineAsync($"Set {DestinationKey} to the upstream's absolute URL, for example --{DestinationKey}=http://127.0.0.1:9101");
            return 1;
        }

        builder.Services.AddHttpForwarder();
        var app = builder.Build();

        // Mirrors src/RightSize.Server/Forwarding/ForwardingHttpClient.cs (ConnectTimeout = its 10 s default).
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        }, disposeHandler: true);

        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(5) };
        app.Map("/{**catch-all}", async context =>
        {
            var error = await forwarder.SendAsync(context, destination, invoker, config, HttpTransformer.Default, context.RequestAborted);
            if (error != ForwarderError.None && !context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
            }
        });

        await app.RunAsync();
        return 0;
    }
}
