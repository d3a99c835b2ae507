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

        fields.Turns = [new ChatTurn("user", text)];
        return true;
    }

    private static bool TryReadPromptArray(ref Utf8JsonReader reader, RequestFields fields, out string text, [NotNullWhen(false)] out OpenAIError? error)
    {
        text = string.Empty;
        error = null;
        StringBuilder? joined = null;
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    if (joined is null)
                    {
                        joined = new StringBuilder();
                    }
                    else
                    {
                        joined.Append('\n');
                    }

                    joined.Append(reader.GetString());
                    break;
                case JsonTokenType.Number:
                    fields.UncountedTokens++;
                    break;
                case JsonTokenType.StartArray:
                    var depth = reader.CurrentDepth;
                    while (reader.Read() && reader.CurrentDepth > depth)
                    {
                        if (reader.TokenType == JsonTokenType.Number) fields.UncountedTokens++;
                    }

                    break;
                default:
                    error = WrongType(reader.TokenType, Invariant($"prompt[{index}]"), "a string or a token id");
                    return false;
            }

            index++;
        }

        text = joined?.ToString() ?? string.Empty;
        return true;
    }

    // An embeddings `input`: a string, an array of strings or token ids; only its presence is checked.
    private static bool TryReadEmbeddingsInput(ref Utf8JsonReader reader, RequestFields fields, [NotNullWhen(false)] out OpenAIError? error)
    {
        error = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                fields.HasInput = true;
                return true;
            case JsonTokenType.StartArray:
                reader.Skip();
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
