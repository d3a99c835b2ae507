using System.Buffers;
using System.Text.Json;

namespace RightSize.Server.Model;

/// <summary>Renders <c>GET /v1/models</c>: the virtual route models, then the concrete models behind them.</summary>
internal static class ModelListWriter
{
    public static byte[] Write(IEnumerable<RouteModel> routes, IEnumerable<string> passthroughModels)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var route in routes.OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                if (seen.Add(route.Name)) WriteModel(json, route.Name, "rightsize");
            }

            foreach (var route in routes)
            {
                foreach (var target in route.Targets)
                {
                    if (target is not null && seen.Add(target.Model)) WriteModel(json, target.Model, target.Upstream.Name);
                }
            }

            foreach (var model in passthroughModels)
            {
                if (seen.Add(model)) WriteModel(json, model, "passthrough");
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteModel(Utf8JsonWriter json, string id, string ownedBy)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("object", "model");
        json.WriteNumber("created", 0);
        json.WriteString("owned_by", ownedBy);
        json.WriteEndObject();
    }
}
