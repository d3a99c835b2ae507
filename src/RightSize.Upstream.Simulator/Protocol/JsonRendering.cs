using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RightSize.Upstream.Simulator.Protocol;

internal static class JsonRendering
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,

        // Answers echo prompts; keep them readable (this JSON is never embedded in HTML).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Render<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer, state);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteUsage(Utf8JsonWriter writer, TokenUsage usage, bool includeCompletion = true)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", usage.PromptTokens);
        if (includeCompletion)
        {
            writer.WriteNumber("completion_tokens", usage.CompletionTokens);
        }

        writer.WriteNumber("total_tokens", includeCompletion ? usage.TotalTokens : usage.PromptTokens);
        writer.WriteEndObject();
    }

    public static byte[] Error(ApiError error) => Render(error, static (writer, e) =>
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", e.Message);
        writer.WriteString("type", e.Type);
        WriteNullableString(writer, "param", e.Param);
        WriteNullableString(writer, "code", e.Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    private static void WriteNullableString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
