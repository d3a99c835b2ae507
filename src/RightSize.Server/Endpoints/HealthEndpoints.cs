using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RightSize.Classification;
using RightSize.Server.Buffers;
using RightSize.Server.Configuration;
using RightSize.Server.Hosting;
using RightSize.Server.Resilience;

namespace RightSize.Server.Endpoints;

/// <summary><c>/healthz</c> (the process answers) and <c>/readyz</c> (configuration valid, model loaded, not draining).</summary>
public sealed class HealthEndpoints(GatewaySnapshotStore store, IDifficultyClassifier classifier, GatewayLifecycle lifecycle, UpstreamClientRegistry upstreams)
{
    public static Task LiveAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("{\"status\":\"ok\"}", context.RequestAborted);
    }

    public async Task ReadyAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var snapshot = store.Current;
        var modelWanted = !string.IsNullOrWhiteSpace(snapshot.Classifier.ModelPath);
        var model = classifier.Model;
        var ready = !lifecycle.IsDraining && (!modelWanted || model is not null);
        using var output = new PooledBuffer(512);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("status", ready ? "ready" : lifecycle.IsDraining ? "draining" : "not_ready");
            json.WriteNumber("config_generation", snapshot.Generation);
            json.WriteNumber("routes", snapshot.RoutesByName.Count);
            json.WriteStartObject("classifier");
            json.WriteBoolean("loaded", model is not null);
            if (model is not null)
            {
                json.WriteString("model", model.Name);
                json.WriteString("feature_schema", model.FeatureSchemaHash);
            }

            json.WriteEndObject();
            json.WriteStartObject("upstreams");
            foreach (var upstream in upstreams.All) json.WriteString(upstream.Name, upstream.CircuitStateName);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = output.Count;
        await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted);
    }
}
