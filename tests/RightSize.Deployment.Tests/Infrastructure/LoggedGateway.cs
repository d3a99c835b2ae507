using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RightSize.Gateway;

namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>
/// The gateway in-process on a loopback port, without a classifier, with its log events in
/// <see cref="CapturedLogs"/>: what the configuration tests watch reload.
/// </summary>
public sealed class LoggedGateway : IAsyncDisposable
{
    private readonly GatewayApp _app;

    private LoggedGateway(GatewayApp app)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = new Uri(app.App.Urls.First().TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    /// <param name="logs">Where the gateway's log events go.</param>
    /// <param name="args">Command-line arguments besides the loopback address (<c>--config-dir</c>, <c>--contentRoot</c>...).</param>
    public static async Task<LoggedGateway> StartAsync(CapturedLogs logs, params string[] args)
    {
        var app = await GatewayApp.CreateAsync(["--urls", "http://127.0.0.1:0", .. args], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["RightSize:Classifier:ModelPath"] = "" });
            builder.Services.AddSingleton<ILoggerFactory>(new LoggerFactory([logs]));
        });
        try
        {
            await app.App.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new LoggedGateway(app);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }
}
