using System.Text.Json;
using RightSize.OpenAI.Errors;
using static System.FormattableString;

namespace RightSize.OpenAI.Requests;

public static partial class OpenAIRequestParser
{
    /// <summary>What a content part's <c>type</c> says it is.</summary>
    private enum ContentPartKind
    {
        Other,
        Text,
        Image,
        Audio,
        File,
    }

    private static ContentPartKind ReadPartKind(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("text"u8) ? ContentPartKind.Text
        : reader.ValueTextEquals("image_url"u8) ? ContentPartKind.Image
        : reader.ValueTextEquals("input_audio"u8) ? ContentPartKind.Audio
        : reader.ValueTextEquals("file"u8) ? ContentPartKind.File
        : ContentPartKind.Other;

    /// <summary>
    /// The reader is on a content part's property name <c>image_url</c>, <c>input_audio</c> or
    /// <c>file</c>: its value is read for a token estimate and the reader is left on the value's
    /// last token; nothing is decoded (a base64 string is only measured). A value of another shape
    /// than OpenAI's is not an error here: it is estimated as if its size were unknown.
    /// </summary>
    /// <remarks>The value's own field that the estimate reads, given twice or in another case, is refused (<paramref name="error"/>), as the part's fields are.</remarks>
    private static void EstimateMediaValue(ref Utf8JsonReader reader, MediaPath at, out ContentPartKind kind, out long tokens, out OpenAIError? error)
    {
        if (reader.ValueTextEquals("image_url"u8))
        {
            reader.Read();
            kind = ContentPartKind.Image;
            var low = IsLowDetail(ref reader, at with { Field = "image_url" }, out error);
            tokens = low ? MediaTokens.LowDetailImage : MediaTokens.HighDetailImage;
        }
        else if (reader.ValueTextEquals("input_audio"u8))
        {
            reader.Read();
            kind = ContentPartKind.Audio;
            tokens = PerToken(MeasureStringProperty(ref reader, AudioNames, at with { Field = "input_audio" }, out error), MediaTokens.AudioBase64CharsPerToken);
        }
        else
        {
            reader.Read();
            kind = ContentPartKind.File;
            tokens = PerToken(MeasureStringProperty(ref reader, FileNames, at with { Field = "file" }, out error), MediaTokens.FileBase64CharsPerToken);
        }
    }

    /// <summary>Where a media value sits, for an error's path: <c>messages[Message].content[Part].Field.</c>.</summary>
    private readonly record struct MediaPath(int Message, int Part, string Field = "")
    {
        public static string Of(MediaPath at) => Invariant($"messages[{at.Message}].content[{at.Part}].{at.Field}.");
    }

    /// <summary>
    /// Counts a media part and adds its estimate to the uncounted tokens. <paramref name="valueKind"/>
    /// and <paramref name="valueTokens"/> come from the part's value, which is the one its type
    /// names only when the part is well formed; otherwise the part's size is unknown.
    /// </summary>
    private static void CountMediaPart(RequestFields fields, ContentPartKind kind, ContentPartKind valueKind, long valueTokens)
    {
        switch (kind)
        {
            case ContentPartKind.Image:
                fields.ImageParts++;
                break;
            case ContentPartKind.Audio:
                fields.AudioParts++;
                break;
            case ContentPartKind.File:
                fields.FileParts++;
                break;
            default:
                return;
        }

        fields.UncountedTokens += valueKind == kind ? valueTokens
            : kind == ContentPartKind.Image ? MediaTokens.HighDetailImage
            : 0;
    }

    // The reader is on an image_url value: {"url": ..., "detail": "low" | "high" | "auto"}.
    private static bool IsLowDetail(ref Utf8JsonReader reader, MediaPath at, out OpenAIError? error)
    {
        error = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        var low = false;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            error = CheckName(ref reader, ImageNames, ref seen, at, MediaPath.Of, out var read);
            if (error is not null) return false;
            if (!read)
            {
                reader.Skip();
                continue;
            }

            reader.Read();
            low = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("low"u8);
            reader.Skip();
        }

        return low;
    }

    // The reader is on an object value; returns the length as sent of its string property, the one
    // name of `names` (0 when there is none), and leaves the reader on the object's end.
    private static long MeasureStringProperty(ref Utf8JsonReader reader, ReadNames names, MediaPath at, out OpenAIError? error)
    {
        error = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }

        long length = 0;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            error = CheckName(ref reader, names, ref seen, at, MediaPath.Of, out var read);
            if (error is not null) return 0;
            if (!read)
            {
                reader.Skip();
                continue;
            }

            reader.Read();
            if (reader.TokenType == JsonTokenType.String) length = reader.ValueSpan.Length;
            reader.Skip();
        }

        return length;
    }

    private static long PerToken(long characters, int charactersPerToken) => (characters + charactersPerToken - 1) / charactersPerToken;
}
