using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using RightSize.OpenAI.Errors;

namespace RightSize.OpenAI.Requests;

public static partial class OpenAIRequestParser
{
    private static bool TryReadOptionalString(ref Utf8JsonReader reader, string param, out string? value, [NotNullWhen(false)] out OpenAIError? error)
    {
        value = null;
        error = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = reader.GetString();
                return true;
            case JsonTokenType.Null:
                return true;
            default:
                error = WrongType(reader.TokenType, param, "a string");
                return false;
        }
    }

    private static bool TryReadOptionalBoolean(ref Utf8JsonReader reader, string param, out bool? value, [NotNullWhen(false)] out OpenAIError? error)
    {
        value = null;
        error = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                value = true;
                return true;
            case JsonTokenType.False:
                value = false;
                return true;
            case JsonTokenType.Null:
                return true;
            default:
                error = WrongType(reader.TokenType, param, "a boolean");
                return false;
        }
    }

    private static bool TryReadTokenLimit(ref Utf8JsonReader reader, string param, out int? value, [NotNullWhen(false)] out OpenAIError? error)
    {
        value = null;
        error = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number) && number >= 0)
        {
            value = number;
            return true;
        }

        error = reader.TokenType == JsonTokenType.Number
            ? OpenAIError.InvalidRequest($"'{param}' must be a non-negative integer no larger than {int.MaxValue}.", param)
            : WrongType(reader.TokenType, param, "an integer");
        return false;
    }

    // Counts the elements of an array (or null) without decoding them.
    // An array of objects (tools, functions): counted, each entry checked to be an object.
    private static bool TryCountObjects(ref Utf8JsonReader reader, string param, out int count, [NotNullWhen(false)] out OpenAIError? error)
    {
        count = 0;
        error = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            error = WrongType(reader.TokenType, param, "an array");
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                error = WrongType(reader.TokenType, $"{param}[{count}]", "an object");
                return false;
            }

            count++;
            reader.Skip();
        }

        return true;
    }

    // Names the JSON type that was found, never the value itself: it may be prompt text.
    private static OpenAIError WrongType(JsonTokenType found, string param, string expected) =>
        OpenAIError.InvalidRequest($"'{param}' must be {expected}, but the request has {DescribeToken(found)}.", param);

    private static string DescribeToken(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "an unexpected token",
    };
}
