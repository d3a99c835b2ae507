using System.Text.Json;

namespace RightSize.OpenAI.Errors;

/// <summary>
/// Recognises an upstream's answer that the request does not fit the model's context window, in
/// the shapes OpenAI-compatible servers send it with a 400:
/// <list type="bullet">
/// <item>OpenAI, Azure OpenAI and Groq: <c>{"error":{"code":"context_length_exceeded",...}}</c>;</item>
/// <item>llama.cpp's server: <c>"type":"exceed_context_size_error"</c>;</item>
/// <item>vLLM (its error at the top level, or under <c>error</c> in later versions) and others that
/// copied OpenAI's wording: a message with "maximum context length".</item>
/// </list>
/// Any other body, including one that is not JSON, is not such an error. Never throws.
/// </summary>
public static class ContextLengthError
{
    private const string OpenAICode = "context_length_exceeded";
    private const string LlamaCppType = "exceed_context_size_error";
    private static readonly string[] MessagePhrases = ["maximum context length", "context length exceeded"];

    public static bool Matches(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return false;
            var error = root.TryGetProperty("error", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : root;
            return Is(error, "code", OpenAICode) || Is(error, "type", LlamaCppType) || MessageSaysSo(error);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string that is not valid UTF-8 (GetString cannot transcode it).
            return false;
        }
    }

    private static bool Is(JsonElement error, string name, string value) =>
        error.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String && property.ValueEquals(value);

    private static bool MessageSaysSo(JsonElement error)
    {
        if (!error.TryGetProperty("message", out var property) || property.ValueKind != JsonValueKind.String) return false;
        var message = property.GetString()!;
        foreach (var phrase in MessagePhrases)
        {
            if (message.Contains(phrase, StringComparison.OrdinalIgnoreCase)) return true;
        }

        return false;
    }
}
