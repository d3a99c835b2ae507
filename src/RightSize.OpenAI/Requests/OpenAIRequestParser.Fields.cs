using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using RightSize.OpenAI.Errors;

namespace RightSize.OpenAI.Requests;

public static partial class OpenAIRequestParser
{
    // The reader is on a top-level property name of RequestNames; on success it is left on the value's last token.
    private static bool TryReadProperty(ref Utf8JsonReader reader, RequestKind kind, RequestFields fields, [NotNullWhen(false)] out OpenAIError? error)
    {
        error = null;
        if (reader.ValueTextEquals("model"u8))
        {
            reader.Read();
            return TryReadModel(ref reader, fields, out error);
        }

        if (kind == RequestKind.Chat && TryReadChatProperty(ref reader, fields, out var handled, out error))
        {
            return handled;
        }

        if (kind == RequestKind.Completion && reader.ValueTextEquals("prompt"u8))
        {
            reader.Read();
            return TryReadPrompt(ref reader, fields, out error);
        }

        if (kind == RequestKind.Embeddings && reader.ValueTextEquals("input"u8))
        {
            reader.Read();
            return TryReadEmbeddingsInput(ref reader, fields, out error);
        }

        if (kind != RequestKind.Embeddings && reader.ValueTextEquals("stream"u8))
        {
            reader.Read();
            var ok = TryReadOptionalBoolean(ref reader, "stream", out var stream, out error);
            fields.Stream = stream ?? false;
            return ok;
        }

        if (kind != RequestKind.Embeddings && reader.ValueTextEquals("stream_options"u8))
        {
            reader.Read();
            return TryReadStreamOptions(ref reader, out error);
        }

        if (kind != RequestKind.Embeddings && reader.ValueTextEquals("max_tokens"u8))
        {
            reader.Read();
            var ok = TryReadTokenLimit(ref reader, "max_tokens", out var limit, out error);
            fields.MaxTokens = limit;
            return ok;
        }

        reader.Skip();
        return true;
    }

    /// <summary>
    /// A model name is what the gateway routes on and repeats in a response header, metrics and
    /// logs, so it must be 1 to <see cref="ModelName.MaxLength"/> visible ASCII characters. An
    /// empty string counts as no model (route paths do not need one).
    /// </summary>
    private static bool TryReadModel(ref Utf8JsonReader reader, RequestFields fields, [NotNullWhen(false)] out OpenAIError? error)
    {
        if (!TryReadOptionalString(ref reader, "model", out var model, out error)) return false;
        if (string.IsNullOrEmpty(model)) return true;
        if (!ModelName.IsValid(model))
        {
            error = OpenAIError.InvalidRequest(
                $"'model' must be at most {ModelName.MaxLength} visible ASCII characters (letters, digits and punctuation; no spaces or control characters).",
                "model",
                OpenAIErrorCodes.InvalidModel);
            return false;
        }

        fields.Model = model;
        return true;
    }

    // Returns true when the property is a chat-only field (then `succeeded` tells whether it was
    // valid); false with a null error when the property is not one of them.
    private static bool TryReadChatProperty(ref Utf8JsonReader reader, RequestFields fields, out bool succeeded, out OpenAIError? error)
    {
        error = null;
        succeeded = true;
        if (reader.ValueTextEquals("messages"u8))
        {
            reader.Read();
            succeeded = TryReadMessages(ref reader, fields, out error);
        }
        else if (reader.ValueTextEquals("tools"u8))
        {
            reader.Read();
            var start = reader.TokenStartIndex;
            succeeded = TryCountObjects(ref reader, "tools", out var count, out error);
            fields.ToolCount = count;
            fields.UncountedTokens += DefinitionTokens(start, reader.BytesConsumed, count);
        }
        else if (reader.ValueTextEquals("functions"u8))
        {
            reader.Read();
            var start = reader.TokenStartIndex;
            succeeded = TryCountObjects(ref reader, "functions", out var count, out error);
            fields.FunctionCount = count;
            fields.UncountedTokens += DefinitionTokens(start, reader.BytesConsumed, count);
        }
        else if (reader.ValueTextEquals("response_format"u8))
        {
            reader.Read();
            succeeded = TryReadResponseFormat(ref reader, fields, out error);
        }
        else if (reader.ValueTextEquals("max_completion_tokens"u8))
        {
            reader.Read();
            succeeded = TryReadTokenLimit(ref reader, "max_completion_tokens", out var limit, out error);
            fields.MaxCompletionTokens = limit;
        }
        else
        {
            return false;
        }

        return true;
    }

    // The bytes from `start` to `end` hold a tools or functions array: its definitions, as sent, are
    // prompt tokens the model reads (names, descriptions, parameter schemas).
    private static long DefinitionTokens(long start, long end, int count) =>
        count == 0 ? 0 : PerToken(end - start, BytesPerToken);

    private static bool TryReadResponseFormat(ref Utf8JsonReader reader, RequestFields fields, [NotNullWhen(false)] out OpenAIError? error)
    {
        error = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = WrongType(reader.TokenType, "response_format", "an object");
            return false;
        }

        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            error = CheckName(ref reader, ResponseFormatNames, ref seen, "response_format.", out var read);
            if (error is not null)
            {
                return false;
            }

            if (!read)
            {
                reader.Skip();
                continue;
            }

            if (reader.ValueTextEquals("json_schema"u8))
            {
                // The schema is part of the prompt the model reads, like a tool's parameters.
                reader.Read();
                var start = reader.TokenStartIndex;
                reader.Skip();
                fields.UncountedTokens += PerToken(reader.BytesConsumed - start, BytesPerToken);
                continue;
            }

            // The other read name: type.
            reader.Read();
            if (!TryReadOptionalString(ref reader, "response_format.type", out var type, out error))
            {
                return false;
            }

            fields.ResponseFormatType = type;
        }

        return true;
    }

    private static bool TryReadStreamOptions(ref Utf8JsonReader reader, [NotNullWhen(false)] out OpenAIError? error)
    {
        error = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = WrongType(reader.TokenType, "stream_options", "an object");
            return false;
        }

        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // As for the top-level fields: the gateway and the upstream could each keep another
            // spelling, and the client would get no usage chunk whichever it asked for.
            error = CheckName(ref reader, StreamOptionsNames, ref seen, "stream_options.", out var read);
            if (error is not null)
            {
                return false;
            }

            if (!read)
            {
                reader.Skip();
                continue;
            }

            reader.Read();
            // Only its type is checked: the gateway asks a stream for usage itself, whatever the client sent.
            if (!TryReadOptionalBoolean(ref reader, "stream_options.include_usage", out _, out error))
            {
                return false;
            }
        }

        return true;
    }
}
