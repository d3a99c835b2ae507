using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RightSize.OpenAI.Errors;

/// <summary>
/// Writes an <see cref="OpenAIError"/> as OpenAI's error body,
/// <c>{"error":{"message":"...","type":"...","param":null,"code":"..."}}</c>, or as the payload of an
/// SSE event (<c>data: {"error":{...}}\n\n</c>) that ends a stream which failed after its first
/// byte: the official OpenAI SDKs raise on a chunk carrying an <c>error</c> object.
/// </summary>
public static class OpenAIErrorWriter
{
    // Error bodies are application/json, never embedded in HTML: quotes and accents stay readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonEncodedText ErrorName = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText ParamName = JsonEncodedText.Encode("param");
    private static readonly JsonEncodedText CodeName = JsonEncodedText.Encode("code");

    /// <summary>The media type of the JSON error body.</summary>
    public const string ContentType = "application/json";

    /// <summary>Writes the JSON error body.</summary>
    public static void Write(OpenAIError error, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartObject(ErrorName);
        writer.WriteString(MessageName, error.Message);
        writer.WriteString(TypeName, error.Type);
        WriteNullableString(writer, ParamName, error.Param);
        WriteNullableString(writer, CodeName, error.Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>Writes one SSE event, <c>data: {"error":{...}}</c> followed by a blank line.</summary>
    public static void WriteSseEvent(OpenAIError error, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write("data: "u8);
        Write(error, output);
        output.Write("\n\n"u8);
    }

    /// <summary>Returns the SSE error event as a new array.</summary>
    public static byte[] ToSseEventBytes(OpenAIError error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteSseEvent(error, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNullableString(Utf8JsonWriter writer, JsonEncodedText name, string? value)
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
