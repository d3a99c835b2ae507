using System.Buffers;
using System.Text.Json;
using RightSize.OpenAI.Json;

namespace RightSize.OpenAI.Rewriting;

/// <summary>
/// Rewrites an OpenAI request body by splicing: every byte the gateway does not change is copied as
/// is (unknown vendor fields, whitespace, key order, escapes, number formatting). It sets the
/// top-level <c>model</c> (every occurrence, so a duplicate key cannot bypass routing; inserted
/// after the opening brace when absent) and, when asked and the body has <c>"stream": true</c>,
/// makes sure <c>stream_options.include_usage</c> is true. A leading UTF-8 byte order mark is
/// dropped. The body must have passed <see cref="Requests.OpenAIRequestParser"/> first: a body that
/// is not a well-formed JSON object throws.
/// </summary>
public static class RequestBodyRewriter
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = Requests.OpenAIRequestParser.MaxDepth };

    /// <summary>Rewrites <paramref name="body"/> into <paramref name="output"/>.</summary>
    /// <exception cref="JsonException">The body is not well-formed JSON.</exception>
    /// <exception cref="ArgumentException">The body is not a JSON object.</exception>
    public static RewriteResult Rewrite(ReadOnlySpan<byte> body, string model, bool ensureIncludeUsage, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Rewrite(body, JsonEncodedText.Encode(model), ensureIncludeUsage, output);
    }

    /// <summary>Rewrites <paramref name="body"/> into <paramref name="output"/> with a model name encoded once by the caller (no allocation).</summary>
    /// <exception cref="JsonException">The body is not well-formed JSON.</exception>
    /// <exception cref="ArgumentException">The body is not a JSON object.</exception>
    public static RewriteResult Rewrite(ReadOnlySpan<byte> body, JsonEncodedText model, bool ensureIncludeUsage, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        body = Utf8Bom.Trim(body);
        var shape = Analyze(body);
        var fixUsage = ensureIncludeUsage && shape.StreamIsTrue;
        var added = false;
        var splice = new SpliceWriter(body, output);
        var reader = new Utf8JsonReader(body, ReaderOptions);
        reader.Read();

        if (!shape.HasModel || (fixUsage && !shape.HasStreamOptions))
        {
            splice.CopyTo((int)reader.TokenStartIndex + 1);
            if (!shape.HasModel)
            {
                splice.Write("\"model\":"u8);
                WriteString(ref splice, model);
            }

            if (fixUsage && !shape.HasStreamOptions)
            {
                if (!shape.HasModel)
                {
                    splice.Write(","u8);
                }

                splice.Write("\"stream_options\":{\"include_usage\":true}"u8);
                added = true;
            }

            if (shape.HasProperties)
            {
                splice.Write(","u8);
            }
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                splice.CopyTo(start);
                WriteString(ref splice, model);
                splice.SkipTo((int)reader.BytesConsumed);
            }
            else if (fixUsage && reader.ValueTextEquals("stream_options"u8))
            {
                reader.Read();
                added |= EnsureIncludeUsage(ref reader, ref splice);
            }
            else
            {
                reader.Skip();
            }
        }

        splice.CopyTo(body.Length);
        return new RewriteResult(splice.Written, added);
    }

    // The reader is on the stream_options value. Returns true when it had to turn include_usage on.
    private static bool EnsureIncludeUsage(ref Utf8JsonReader reader, ref SpliceWriter splice)
    {
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType == JsonTokenType.Null)
        {
            splice.Replace(start, (int)reader.BytesConsumed, "{\"include_usage\":true}"u8);
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        var found = false;
        var hasProperties = false;
        var added = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            hasProperties = true;
            if (!reader.ValueTextEquals("include_usage"u8))
            {
                reader.Skip();
                continue;
            }

            found = true;
            reader.Read();
            if (reader.TokenType != JsonTokenType.True)
            {
                var valueStart = (int)reader.TokenStartIndex;
                reader.Skip();
                splice.Replace(valueStart, (int)reader.BytesConsumed, "true"u8);
                added = true;
            }
        }

        if (!found)
        {
            // Nothing inside this object was spliced, so the cursor is still before its brace.
            splice.CopyTo(start + 1);
            splice.Write(hasProperties ? "\"include_usage\":true,"u8 : "\"include_usage\":true"u8);
            added = true;
        }

        return added;
    }

    private static void WriteString(ref SpliceWriter splice, JsonEncodedText value)
    {
        splice.Write("\""u8);
        splice.Write(value.EncodedUtf8Bytes);
        splice.Write("\""u8);
    }

    // First pass: validates the whole body and finds what must be inserted after the opening brace.
    private static BodyShape Analyze(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ArgumentException("The request body must be a JSON object.", nameof(body));
        }

        bool hasProperties = false, hasModel = false, streamIsTrue = false, hasStreamOptions = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            hasProperties = true;
            if (reader.ValueTextEquals("model"u8))
            {
                hasModel = true;
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                reader.Read();
                streamIsTrue = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("stream_options"u8))
            {
                hasStreamOptions = true;
            }

            reader.Skip();
        }

        // Throws on anything after the object.
        reader.Read();
        return new BodyShape(hasProperties, hasModel, streamIsTrue, hasStreamOptions);
    }
}
