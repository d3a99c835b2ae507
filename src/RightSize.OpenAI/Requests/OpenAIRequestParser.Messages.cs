using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using RightSize.OpenAI.Chat;
using RightSize.OpenAI.Errors;
using static System.FormattableString;

namespace RightSize.OpenAI.Requests;

public static partial class OpenAIRequestParser
{
    private static bool TryReadMessages(ref Utf8JsonReader reader, RequestFields fields, [NotNullWhen(false)] out OpenAIError? error)
    {
        error = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            error = reader.TokenType == JsonTokenType.Null
                ? OpenAIError.InvalidRequest("'messages' is a required property.", "messages")
                : WrongType(reader.TokenType, "messages", "an array of message objects");
            return false;
        }

        var turns = new List<ChatTurn>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var index = turns.Count;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                error = WrongType(reader.TokenType, Invariant($"messages[{index}]"), "an object");
                return false;
            }

            if (!TryReadMessage(ref reader, index, fields, out var turn, out error))
            {
                return false;
            }

            turns.Add(turn);
        }

        fields.Turns = turns;
        return true;
    }

    private static bool TryReadMessage(ref Utf8JsonReader reader, int index, RequestFields fields, out ChatTurn turn, [NotNullWhen(false)] out OpenAIError? error)
    {
        turn = default;
        error = null;
        string? role = null;
        var text = string.Empty;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            error = CheckName(ref reader, MessageNames, ref seen, index, static i => Invariant($"messages[{i}]."), out var read);
            if (error is not null)
            {
                return false;
            }

            if (!read)
            {
                reader.Skip();
            }
            else if (reader.ValueTextEquals("role"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    error = WrongType(reader.TokenType, Invariant($"messages[{index}].role"), "a string");
                    return false;
                }

                role = ReadRole(ref reader);
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                if (!TryReadContent(ref reader, index, fields, out text, out error))
                {
                    return false;
                }
            }
            else
            {
                // The other read name: tool_calls.
                reader.Read();
                fields.UncountedTokens += PerToken(CountStringBytes(ref reader), BytesPerToken);
            }
        }

        if (role is null)
        {
            error = OpenAIError.InvalidRequest(Invariant($"'messages[{index}].role' is a required property."), Invariant($"messages[{index}].role"));
            return false;
        }

        turn = new ChatTurn(role, text);
        return true;
    }

    // The bytes of every string in the value the reader is on (an assistant's tool calls: their
    // arguments are prompt tokens the turn's text does not show), the value itself skipped.
    private static long CountStringBytes(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String) return reader.ValueSpan.Length;
        if (reader.TokenType is not (JsonTokenType.StartArray or JsonTokenType.StartObject)) return 0;
        var depth = reader.CurrentDepth;
        long bytes = 0;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType == JsonTokenType.String) bytes += reader.ValueSpan.Length;
        }

        return bytes;
    }

    // The usual roles come back as literals so that a request does not allocate one string per message for them.
    private static string? ReadRole(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("user"u8) ? ChatRoles.User
        : reader.ValueTextEquals("assistant"u8) ? ChatRoles.Assistant
        : reader.ValueTextEquals("system"u8) ? ChatRoles.System
        : reader.ValueTextEquals("developer"u8) ? ChatRoles.Developer
        : reader.ValueTextEquals("tool"u8) ? ChatRoles.Tool
        : reader.GetString();

    private static bool TryReadContent(ref Utf8JsonReader reader, int index, RequestFields fields, out string text, [NotNullWhen(false)] out OpenAIError? error)
    {
        text = string.Empty;
        error = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                text = reader.GetString() ?? string.Empty;
                return true;
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.StartArray:
                return TryReadContentParts(ref reader, index, fields, out text, out error);
            default:
                error = WrongType(reader.TokenType, Invariant($"messages[{index}].content"), "a string, an array of content parts or null");
                return false;
        }
    }

    // Text parts are joined by a newline; image, audio and file parts are counted and estimated
    // (OpenAIRequestParser.Media), refusal and unknown parts contribute nothing.
    private static bool TryReadContentParts(ref Utf8JsonReader reader, int index, RequestFields fields, out string text, [NotNullWhen(false)] out OpenAIError? error)
    {
        text = string.Empty;
        error = null;
        string? first = null;
        StringBuilder? joined = null;
        var part = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!TryReadContentPart(ref reader, index, part, fields, out var partText, out error))
            {
                return false;
            }

            part++;
            if (partText is null)
            {
                continue;
            }

            if (first is null)
            {
                first = partText;
            }
            else
            {
                joined ??= new StringBuilder(first);
                joined.Append('\n').Append(partText);
            }
        }

        text = joined?.ToString() ?? first ?? string.Empty;
        return true;
    }

    private static bool TryReadContentPart(ref Utf8JsonReader reader, int index, int part, RequestFields fields, out string? text, [NotNullWhen(false)] out OpenAIError? error)
    {
        text = null;
        error = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = WrongType(reader.TokenType, Invariant($"messages[{index}].content[{part}]"), "an object");
            return false;
        }

        var kind = ContentPartKind.Other;
        var hasType = false;
        string? partText = null;
        var valueKind = ContentPartKind.Other;
        long valueTokens = 0;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            error = CheckName(ref reader, ContentPartNames, ref seen, (index, part), static at => Invariant($"messages[{at.index}].content[{at.part}]."), out var read);
            if (error is not null)
            {
                return false;
            }

            if (!read)
            {
                reader.Skip();
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    error = WrongType(reader.TokenType, Invariant($"messages[{index}].content[{part}].type"), "a string");
                    return false;
                }

                hasType = true;
                kind = ReadPartKind(ref reader);
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    error = WrongType(reader.TokenType, Invariant($"messages[{index}].content[{part}].text"), "a string");
                    return false;
                }

                partText = reader.GetString();
            }
            else
            {
                // The other read names: image_url, input_audio and file.
                EstimateMediaValue(ref reader, new MediaPath(index, part), out valueKind, out valueTokens, out error);
                if (error is not null) return false;
            }
        }

        if (!hasType)
        {
            var param = Invariant($"messages[{index}].content[{part}].type");
            error = OpenAIError.InvalidRequest($"'{param}' is a required property.", param);
            return false;
        }

        if (kind == ContentPartKind.Text && partText is null)
        {
            var param = Invariant($"messages[{index}].content[{part}].text");
            error = OpenAIError.InvalidRequest($"'{param}' is a required property of a text part.", param);
            return false;
        }

        CountMediaPart(fields, kind, valueKind, valueTokens);
        text = kind == ContentPartKind.Text ? partText : null;
        return true;
    }
}
