using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace RightSize.FunctionalTests.Infrastructure;

/// <summary>
/// A bare upstream on 127.0.0.1:0 whose every answer is written by the test, byte for byte: for
/// wire shapes the simulator never produces (compressed bodies, unusual SSE framing).
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedUpstream(WebApplication app) => _app = app;

    /// <summary>The base URL to configure as an upstream's <c>BaseUrl</c>, such as <c>http://127.0.0.1:41234/v1</c>.</summary>
    public string BaseUrl => _app.Urls.First().TrimEnd('/') + "/v1";

    /// <param name="answer">Writes every answer.</param>
    /// <param name="kestrel">Server options beyond the defaults, such as a header encoding.</param>
    public static async Task<ScriptedUpstream> StartAsync(RequestDelegate answer, Action<KestrelServerOptions>? kestrel = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (kestrel is not null) builder.WebHost.ConfigureKestrel(kestrel);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(answer);
        await app.StartAsync();
        return new ScriptedUpstream(app);
    }

    /// <summary>
    /// Whether the gateway lets go of <paramref name="context"/>'s request (its connection is
    /// closed, so <c>RequestAborted</c> fires) within <paramref name="limit"/>. Writes after the
    /// gateway left complete silently, so only this token tells.
    /// </summary>
    public static async Task<bool> WaitForAbortAsync(HttpContext context, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await Task.Delay(limit, context.RequestAborted);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
