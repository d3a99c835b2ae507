using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using RightSize.OpenAI.Chat;
using RightSize.OpenAI.Errors;
using static System.FormattableString;

namespace RightSize.OpenAI.Requests;

public static partial class OpenAIRequestParser
{
    // A completion's `prompt`: a string, an array of strings (joined by a newline), or token ids
    // (an array of integers, or an array of such arrays), which carry no text for routing.
    private static bool TryReadPrompt(ref Utf8JsonReader reader, RequestFields fields, [NotNullWhen(false)] out OpenAIError? error)
    {
        error = null;
        string text;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                text = reader.GetString() ?? string.Empty;
                break;
            case JsonTokenType.StartArray:
                if (!TryReadPromptArray(ref reader, fields, out text, out error))
                {
                    return false;
                }

                break;
            case JsonTokenType.Null:
                error = OpenAIError.InvalidRequest("'prompt' is a required property.", "prompt");
                return false;
            default:
                error = WrongType(reader.TokenType, "prompt", "a string, an array of strings or an array of token ids");
                return false;
        }

        fields.Turns = [new ChatTurn(ChatRoles.User, text)];
        return true;
    }

    /// <summary>A completions <c>prompt</c> array; its strings joined by line breaks for the classifier.</summary>
    private static bool TryReadPromptArray(ref Utf8JsonReader reader, RequestFields fields, out string text, [NotNullWhen(false)] out OpenAIError? error)
    {
        var joined = new StringBuilder();
        var read = TryReadTextArray(ref reader, "prompt", nonEmpty: false, fields, joined, out error);
        text = joined.ToString();
        return read;
    }

    /// <summary>
    /// An array of strings, of token ids, or of arrays of token ids, not a mix, as OpenAI takes a
    /// completion's <c>prompt</c> and an embeddings <c>input</c>. A token id is an integer, 0 or
    /// more. Strings are appended to <paramref name="joined"/>, one line each, when it is given;
    /// token ids are only counted. With <paramref name="nonEmpty"/> (<c>input</c>), neither the
    /// array nor a token-id array in it may be empty.
    /// </summary>
    private static bool TryReadTextArray(ref Utf8JsonReader reader, string name, bool nonEmpty, RequestFields fields, StringBuilder? joined, [NotNullWhen(false)] out OpenAIError? error)
    {
        error = null;
        JsonTokenType? kind = null;
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var param = Invariant($"{name}[{index}]");
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number or JsonTokenType.StartArray))
            {
                error = WrongType(reader.TokenType, param, "a string, a token id or an array of token ids");
                return false;
            }

            if (kind is { } first && first != reader.TokenType)
            {
                error = OpenAIError.InvalidRequest($"'{name}' must be an array of strings, of token ids or of token-id arrays, not a mix: '{param}' is {DescribeToken(reader.TokenType)} after {DescribeToken(first)}.", param);
                return false;
            }

            kind = reader.TokenType;
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    if (joined is not null)
                    {
                        if (index > 0) joined.Append('\n');
                        joined.Append(reader.GetString());
                    }

                    break;
                case JsonTokenType.Number:
                    if (!IsTokenId(ref reader, param, out error)) return false;
                    fields.UncountedTokens++;
                    break;
                default:
                    var id = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        var idParam = Invariant($"{param}[{id}]");
                        if (reader.TokenType != JsonTokenType.Number)
                        {
                            error = WrongType(reader.TokenType, idParam, "a token id");
                            return false;
                        }

                        if (!IsTokenId(ref reader, idParam, out error)) return false;
                        fields.UncountedTokens++;
                        id++;
                    }

                    if (nonEmpty && id == 0)
                    {
                        error = OpenAIError.InvalidRequest($"'{param}' must be a non-empty array of token ids.", param);
                        return false;
                    }

                    break;
            }

            index++;
        }

        if (nonEmpty && index == 0)
        {
            error = OpenAIError.InvalidRequest($"'{name}' must not be an empty array.", name);
            return false;
        }

        return true;
    }

    private static bool IsTokenId(ref Utf8JsonReader reader, string param, [NotNullWhen(false)] out OpenAIError? error)
    {
        error = reader.TryGetInt32(out var id) && id >= 0
            ? null
            : OpenAIError.InvalidRequest($"'{param}' must be a token id, an integer of 0 or more.", param);
        return error is null;
    }

    // An embeddings `input`: a string, or a non-empty array of strings, of token ids or of token-id
    // arrays. Its text is not read: embeddings are forwarded, never classified.
    private static bool TryReadEmbeddingsInput(ref Utf8JsonReader reader, RequestFields fields, [NotNullWhen(false)] out OpenAIError? error)
    {
        error = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                fields.HasInput = true;
                return true;
            case JsonTokenType.StartArray:
                if (!TryReadTextArray(ref reader, "input", nonEmpty: true, fields, joined: null, out error)) return false;
                fields.HasInput = true;
                return true;
            case JsonTokenType.Null:
                error = OpenAIError.InvalidRequest("'input' is a required property.", "input");
                return false;
            default:
                error = WrongType(reader.TokenType, "input", "a string or an array");
                return false;
        }
    }
}
