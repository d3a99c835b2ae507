namespace RightSize.Upstream.Simulator.Protocol;

/// <summary>Renders <c>GET /v1/models</c> and <c>GET /v1/models/{id}</c> in OpenAI's list shape.</summary>
internal static class ModelListRenderer
{
    /// <summary>A fixed <c>created</c> time for listed models, so listings are deterministic (2024-01-01).</summary>
    private const long ModelCreated = 1_704_067_200;

    public static byte[] List(IEnumerable<string> models) => JsonRendering.Render(models, static (w, models) =>
    {
        w.WriteStartObject();
        w.WriteString("object", "list");
        w.WriteStartArray("data");
        foreach (var model in models)
        {
            WriteModel(w, model);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static byte[] Single(string model) => JsonRendering.Render(model, WriteModel);

    private static void WriteModel(System.Text.Json.Utf8JsonWriter w, string model)
    {
        w.WriteStartObject();
        w.WriteString("id", model);
        w.WriteString("object", "model");
        w.WriteNumber("created", ModelCreated);
        w.WriteString("owned_by", SimulatorConstants.OwnedBy);
        w.WriteEndObject();
    }
}
