using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Unicode;
using RightSize.OpenAI.Chat;
using RightSize.OpenAI.Errors;
using RightSize.OpenAI.Json;

namespace RightSize.OpenAI.Requests;

/// <summary>
/// Reads what routing needs from an OpenAI request body with a forward-only
/// <see cref="Utf8JsonReader"/> (no DOM, no deserialisation) and validates it. Unknown fields are
/// skipped without being decoded. The methods never throw on bad input: they return a 400
/// <see cref="OpenAIError"/> whose <c>param</c> names the offending field, or whose code is
/// <c>invalid_json</c> when the body is not well-formed JSON (syntax, truncation, invalid UTF-8,
/// trailing data, nesting deeper than <see cref="MaxDepth"/>). A JSON null is treated as an absent
/// optional field. A leading UTF-8 byte order mark is ignored.
/// </summary>
public static partial class OpenAIRequestParser
{
    /// <summary>The deepest nesting accepted; deeper bodies are rejected as <c>invalid_json</c>.</summary>
    public const int MaxDepth = 64;

    // Tool-call arguments, tool definitions and JSON schemas are counted at four bytes a token.
    private const int BytesPerToken = 4;

    private const string InvalidEscapeMessage = "The request body contains a string with an invalid escape sequence (a lone surrogate such as \\ud800).";

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Parses a <c>POST /v1/chat/completions</c> body.</summary>
    public static bool TryParseChat(ReadOnlySpan<byte> body, [NotNullWhen(true)] out ParsedRequest? request, [NotNullWhen(false)] out OpenAIError? error) =>
        TryParse(body, RequestKind.Chat, out request, out error);

    /// <summary>Parses a <c>POST /v1/completions</c> body; <c>prompt</c> becomes one user turn.</summary>
    public static bool TryParseCompletion(ReadOnlySpan<byte> body, [NotNullWhen(true)] out ParsedRequest? request, [NotNullWhen(false)] out OpenAIError? error) =>
        TryParse(body, RequestKind.Completion, out request, out error);

    /// <summary>Parses a <c>POST /v1/embeddings</c> body; <see cref="ParsedRequest.Prompt"/> is null.</summary>
    public static bool TryParseEmbeddings(ReadOnlySpan<byte> body, [NotNullWhen(true)] out ParsedRequest? request, [NotNullWhen(false)] out OpenAIError? error) =>
        TryParse(body, RequestKind.Embeddings, out request, out error);

    private static bool TryParse(ReadOnlySpan<byte> body, RequestKind kind, [NotNullWhen(true)] out ParsedRequest? request, [NotNullWhen(false)] out OpenAIError? error)
    {
        request = null;
        if (!Utf8.IsValid(body))
        {
            error = OpenAIError.InvalidJson("The request body is not valid UTF-8.");
            return false;
        }

        body = Utf8Bom.Trim(body);
        if (body.IsEmpty)
        {
            error = OpenAIError.InvalidJson("The request body is empty; send a JSON object.");
            return false;
        }

        var reader = new Utf8JsonReader(body, ReaderOptions);
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                error = OpenAIError.InvalidRequest("The request body must be a JSON object.");
                return false;
            }

            var fields = new RequestFields();
            var seen = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                error = CheckName(ref reader, RequestNames, ref seen, "", out var read);
                if (error is not null)
                {
                    return false;
                }

                if (!read)
                {
                    reader.Skip();
                }
                else if (!TryReadProperty(ref reader, kind, fields, out error))
                {
                    return false;
                }
            }

            if (reader.Read())
            {
                error = OpenAIError.InvalidJson("The request body has data after the JSON object.");
                return false;
            }

            // The fields read above were decoded, which refuses a lone surrogate; the others,
            // forwarded as they came, are checked here.
            if (!SurrogateEscapes.ArePaired(body))
            {
                error = OpenAIError.InvalidJson(InvalidEscapeMessage);
                return false;
            }

            return TryBuild(kind, fields, out request, out error);
        }
        catch (JsonException ex)
        {
            error = OpenAIError.InvalidJson(IsAtMaxDepth(ref reader, body)
                ? FormattableString.Invariant($"The request body is nested deeper than {MaxDepth} levels.")
                : DescribeSyntaxError(ex));
            return false;
        }
        catch (InvalidOperationException)
        {
            // Thrown when a string holds an escape that is not valid UTF-16 (a lone surrogate).
            error = OpenAIError.InvalidJson(InvalidEscapeMessage);
            return false;
        }
    }

    private static bool TryBuild(RequestKind kind, RequestFields fields, [NotNullWhen(true)] out ParsedRequest? request, [NotNullWhen(false)] out OpenAIError? error)
    {
        request = null;
        ChatPrompt? prompt = null;
        switch (kind)
        {
            case RequestKind.Chat:
                if (fields.Turns is null)
                {
                    error = OpenAIError.InvalidRequest("'messages' is a required property.", "messages");
                    return false;
                }

                if (fields.Turns.Count == 0)
                {
                    error = OpenAIError.InvalidRequest("'messages' must contain at least one message.", "messages");
                    return false;
                }

                prompt = new ChatPrompt(fields.Turns, fields.ToolCount + fields.FunctionCount, fields.ResponseFormatType, fields.MaxCompletionTokens ?? fields.MaxTokens, Clamp(fields.UncountedTokens), fields.Media);
                break;
            case RequestKind.Completion:
                if (fields.Turns is null)
                {
                    error = OpenAIError.InvalidRequest("'prompt' is a required property.", "prompt");
                    return false;
                }

                prompt = new ChatPrompt(fields.Turns, maxTokens: fields.MaxTokens, uncountedTokens: Clamp(fields.UncountedTokens));
                break;
            default:
                if (!fields.HasInput)
                {
                    error = OpenAIError.InvalidRequest("'input' is a required property.", "input");
                    return false;
                }

                break;
        }

        error = null;
        request = new ParsedRequest
        {
            Model = fields.Model,
            Stream = fields.Stream,
            Prompt = prompt,
        };
        return true;
    }

    // Well-formed but too deep is not a syntax error: the reader stopped on the last token it could
    // read, and the value after it (after a colon or a comma) opens a bracket at the depth not allowed.
    // A token's children are one level below an opening bracket; its siblings and a property's value
    // are at its own depth.
    private static bool IsAtMaxDepth(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        var next = reader.CurrentDepth + (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject ? 1 : 0);
        if (next < MaxDepth) return false;
        var rest = body[(int)reader.BytesConsumed..].TrimStart(" \t\r\n:,"u8);
        return !rest.IsEmpty && rest[0] is (byte)'{' or (byte)'[';
    }

    private static string DescribeSyntaxError(JsonException ex) =>
        ex.LineNumber is { } line && ex.BytePositionInLine is { } position
            ? FormattableString.Invariant($"The request body is not valid JSON (line {line + 1}, byte {position + 1}).")
            : "The request body is not valid JSON.";

    private static int Clamp(long tokens) => (int)Math.Min(int.MaxValue, tokens);
}
