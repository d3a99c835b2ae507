using System.Text.Json;
using RightSize.OpenAI.Json;

namespace RightSize.OpenAI.Errors;

/// <summary>
/// Tells an OpenAI answer from what some servers and the proxies in front of them send with a 200:
/// a login or error page, an <c>{"error":{...}}</c> object (llama.cpp's and Ollama's shape too), an
/// empty body. Only the top level is read; a leading UTF-8 byte order mark is skipped. Never throws.
/// </summary>
public static class AnswerBody
{
    // Deeper than a deserialiser's usual 64: only the top level is judged, and an answer with a deep extension field is still one.
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 1024 };

    public static AnswerKind Judge(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(Utf8Bom.Trim(json), ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return AnswerKind.NotJson;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isError = reader.ValueTextEquals("error"u8);
                reader.Read();
                if (isError && reader.TokenType != JsonTokenType.Null) return AnswerKind.ErrorObject;
                reader.Skip();
            }

            // The object must end, with nothing but whitespace after it (the reader throws on more).
            return reader.TokenType == JsonTokenType.EndObject && !reader.Read() ? AnswerKind.Answer : AnswerKind.NotJson;
        }
        catch (JsonException)
        {
            return AnswerKind.NotJson;
        }
    }
}
