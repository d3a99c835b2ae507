using System.Buffers;
using System.Collections.Frozen;
using System.Text.Json;

namespace RightSize.Server.Model;

/// <summary>
/// Renders <c>GET /v1/models</c> (the virtual route models and the model names routes claim, then
/// the concrete models behind them) and each listed model on its own, for <c>GET /v1/models/{model}</c>.
/// </summary>
internal static class ModelListWriter
{
    public static (byte[] List, FrozenDictionary<string, byte[]> ById) Write(IEnumerable<RouteModel> routes, IEnumerable<string> claimedModels, IEnumerable<string> passthroughModels)
    {
        var models = Listed(routes, claimedModels, passthroughModels);
        var list = Render(json =>
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            foreach (var (id, ownedBy) in models) WriteModel(json, id, ownedBy);
            json.WriteEndArray();
            json.WriteEndObject();
        });
        var byId = models.ToFrozenDictionary(m => m.Id, m => Render(json => WriteModel(json, m.Id, m.OwnedBy)), StringComparer.Ordinal);
        return (list, byId);
    }

    private static List<(string Id, string OwnedBy)> Listed(IEnumerable<RouteModel> routes, IEnumerable<string> claimedModels, IEnumerable<string> passthroughModels)
    {
        var models = new List<(string Id, string OwnedBy)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var route in routes.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            if (seen.Add(route.Name)) models.Add((route.Name, "rightsize"));
        }

        // A claimed name (an application's own model, such as gpt-4o) is routed like a route name:
        // an SDK that looks it up before using it must find it.
        foreach (var model in claimedModels.Order(StringComparer.Ordinal))
        {
            if (seen.Add(model)) models.Add((model, "rightsize"));
        }

        foreach (var route in routes)
        {
            foreach (var target in route.Targets)
            {
                if (target is not null && seen.Add(target.Model)) models.Add((target.Model, target.Upstream.Name));
            }
        }

        foreach (var model in passthroughModels)
        {
            if (seen.Add(model)) models.Add((model, "passthrough"));
        }

        return models;
    }

    private static byte[] Render(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
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
