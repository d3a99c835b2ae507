using System.Text.Json;

namespace RightSize.OpenAI.Errors;

/// <summary>What a 400 says the model itself cannot do (<see cref="ModelLimitError.Classify"/>).</summary>
public enum ModelLimit
{
    /// <summary>Not a model's limit: the client's request is at fault, or the body says nothing the gateway reads.</summary>
    None,

    /// <summary>The request does not fit the model's context window.</summary>
    ContextLength,

    /// <summary>The model does not take a parameter of the request, or a value of it (a reasoning model refusing <c>max_tokens</c> or a <c>temperature</c>).</summary>
    UnsupportedParameter,
}

/// <summary>
/// Recognises an upstream's 400 that says a limit of its model rather than a fault of the request,
/// so that a larger model may take the request, in the shapes OpenAI-compatible servers send it:
/// <list type="bullet">
/// <item>the context window: OpenAI, Azure OpenAI and Groq's <c>{"error":{"code":"context_length_exceeded",...}}</c>;
/// llama.cpp's server's <c>"type":"exceed_context_size_error"</c>; vLLM (its error at the top
/// level, or under <c>error</c> in later versions) and others that copied OpenAI's wording, a
/// message with "maximum context length";</item>
/// <item>a parameter: OpenAI's codes <c>unsupported_parameter</c> and <c>unsupported_value</c>,
/// which it gives for a parameter or value this model does not take and another model does
/// (not <c>invalid_value</c>, which no model takes).</item>
/// </list>
/// Any other body, including one that is not JSON, is <see cref="ModelLimit.None"/>. Never throws.
/// </summary>
public static class ModelLimitError
{
    private const string OpenAIContextCode = "context_length_exceeded";
    private const string LlamaCppContextType = "exceed_context_size_error";
    private static readonly string[] ContextMessagePhrases = ["maximum context length", "context length exceeded"];
    private static readonly string[] UnsupportedCodes = ["unsupported_parameter", "unsupported_value"];

    public static ModelLimit Classify(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return ModelLimit.None;
            var error = root.TryGetProperty("error", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : root;
            if (Is(error, "code", OpenAIContextCode) || Is(error, "type", LlamaCppContextType) || MessageSaysContextLength(error)) return ModelLimit.ContextLength;
            foreach (var code in UnsupportedCodes)
            {
                if (Is(error, "code", code)) return ModelLimit.UnsupportedParameter;
            }

            return ModelLimit.None;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string that is not valid UTF-8 (GetString cannot transcode it).
            return ModelLimit.None;
        }
    }

    private static bool Is(JsonElement error, string name, string value) =>
        error.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String && property.ValueEquals(value);

    private static bool MessageSaysContextLength(JsonElement error)
    {
        if (!error.TryGetProperty("message", out var property) || property.ValueKind != JsonValueKind.String) return false;
        var message = property.GetString()!;
        foreach (var phrase in ContextMessagePhrases)
        {
            if (message.Contains(phrase, StringComparison.OrdinalIgnoreCase)) return true;
        }

        return false;
    }
}
