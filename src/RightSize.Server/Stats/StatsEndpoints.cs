using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RightSize.Server.Stats;

/// <summary><c>GET /rightsize/stats</c> (JSON) and <c>GET /rightsize/dashboard</c> (one self-contained HTML page).</summary>
internal sealed class StatsEndpoints(StatsStore store)
{
    private const string DashboardResource = "RightSize.Server.Stats.dashboard.html";

    // Everything the page needs is inline; it may only talk back to this gateway.
    private const string DashboardPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Lazy<byte[]> Dashboard = new(LoadDashboard);

    public async Task StatsAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var snapshot = store.Snapshot();
        var response = context.Response;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            StatsJsonWriter.Write(writer, snapshot);
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public static async Task DashboardAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        var page = Dashboard.Value;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers.ContentSecurityPolicy = DashboardPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.ContentLength = page.Length;
        await response.Body.WriteAsync(page, context.RequestAborted);
    }

    private static byte[] LoadDashboard()
    {
        using var stream = typeof(StatsEndpoints).Assembly.GetManifestResourceStream(DashboardResource)
            ?? throw new InvalidOperationException($"The dashboard page is missing from the assembly (embedded resource '{DashboardResource}').");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
