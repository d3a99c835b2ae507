using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RightSize.Classification;
using RightSize.Server.Buffers;
using RightSize.Server.Configuration;
using RightSize.Server.Hosting;
using RightSize.Server.Resilience;

namespace RightSize.Server.Endpoints;

/// <summary>
/// <c>/healthz</c> (the process answers) and <c>/readyz</c> (not draining). The classifier is loaded
/// at start-up or the gateway does not start, so a running gateway has the model it was started
/// with; a reload that names another one waits for a restart (log event 104) and does not take
/// the gateway, or a sidecar's whole pod, out of service.
/// </summary>
internal sealed class HealthEndpoints(GatewaySnapshotStore store, IDifficultyClassifier classifier, GatewayLifecycle lifecycle, UpstreamClientRegistry upstreams)
{
    public static Task LiveAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return JsonResponses.WriteOkAsync(context);
    }

    public async Task ReadyAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var snapshot = store.Current;
        var model = classifier.Model;
        var ready = !lifecycle.IsDraining;
        using var output = new PooledBuffer(512);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("status", ready ? "ready" : "draining");
            json.WriteNumber("config_generation", snapshot.Generation);
            json.WriteNumber("routes", snapshot.RoutesByName.Count);
            json.WriteStartObject("classifier");
            json.WriteBoolean("loaded", model is not null);
            if (model is not null)
            {
                json.WriteString("model", model.Name);
                json.WriteString("feature_schema", model.FeatureSchemaHash);
                // Which model this is, beyond its directory's name: a retrain into the same directory keeps the name.
                if (model.CreatedAt is { } createdAt) json.WriteString("created_at", createdAt);
                else json.WriteNull("created_at");
                json.WriteString("data_hash", model.DataHash);
                json.WriteString("model_sha256", model.ModelSha256);
            }

            json.WriteEndObject();
            json.WriteStartObject("upstreams");
            foreach (var upstream in upstreams.All) json.WriteString(upstream.Name, upstream.CircuitStateName);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        await JsonResponses.WriteAsync(context, output.WrittenMemory);
    }
}
