using System.Text.Json;
using RightSize.OpenAI.Json;

namespace RightSize.OpenAI.Usage;

/// <summary>
/// Reads <c>usage</c> from OpenAI response bodies and stream chunks with a forward-only reader:
/// <c>prompt_tokens</c>, <c>completion_tokens</c>, <c>total_tokens</c>,
/// <c>prompt_tokens_details.cached_tokens</c> and <c>completion_tokens_details.reasoning_tokens</c>
/// (and the Responses API's <c>input_tokens</c>/<c>output_tokens</c> names). Embeddings report only
/// prompt and total tokens; a missing completion count is taken as total minus prompt. A body
/// without a usage object, with <c>"usage": null</c>, or that is not valid JSON gives false, never a
/// zero usage; a leading UTF-8 byte order mark is skipped. Never throws.
/// </summary>
public static class UsageParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Reads the usage of a non-streaming response body.</summary>
    public static bool TryParseResponse(ReadOnlySpan<byte> body, out TokenUsage usage) =>
        TryParse(body, out usage, out _);

    /// <summary>
    /// Reads the usage carried by one SSE chunk's data and tells whether the chunk is a usage-only
    /// chunk (a usage object with <c>"choices": []</c> or no <c>choices</c> at all), the one the
    /// gateway hides from a client that did not ask for <c>stream_options.include_usage</c>.
    /// </summary>
    public static bool TryParseChunk(ReadOnlySpan<byte> data, out TokenUsage usage, out bool isUsageOnlyChunk) =>
        TryParse(data, out usage, out isUsageOnlyChunk);

    /// <summary>
    /// The usage object of the last top-level-looking <c>"usage":</c> in <paramref name="tail"/>, the
    /// end of a response body too long to hold whole (the usage object comes last in OpenAI's answers).
    /// Inside a JSON string the key's quotes would be escaped, so a match is a property name.
    /// </summary>
    public static bool TryParseUsageInTail(ReadOnlySpan<byte> tail, out TokenUsage usage)
    {
        usage = default;
        var key = tail.LastIndexOf("\"usage\""u8);
        if (key < 0) return false;
        var rest = tail[(key + "\"usage\""u8.Length)..].TrimStart(" \t\r\n"u8);
        if (rest.IsEmpty || rest[0] != (byte)':') return false;
        try
        {
            var reader = new Utf8JsonReader(rest[1..], isFinalBlock: false, new JsonReaderState(ReaderOptions));
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject && TryReadUsage(ref reader, out usage);
        }
        catch (JsonException)
        {
            usage = default;
            return false;
        }
    }

    private static bool TryParse(ReadOnlySpan<byte> json, out TokenUsage usage, out bool isUsageOnly)
    {
        usage = default;
        isUsageOnly = false;
        json = Utf8Bom.Trim(json); // some servers start a body with one; the reader refuses it

        // Almost every stream chunk has no usage: skip those without tokenising them.
        if (json.IndexOf("\"usage\""u8) < 0)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var found = false;
            var noChoices = true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    found = reader.TokenType == JsonTokenType.StartObject && TryReadUsage(ref reader, out usage);
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    var probe = reader;
                    noChoices = reader.TokenType == JsonTokenType.StartArray && probe.Read() && probe.TokenType == JsonTokenType.EndArray;
                    reader.Skip();
                }
                else
                {
                    reader.Skip();
                }
            }

            if (!found)
            {
                usage = default;
            }

            isUsageOnly = found && noChoices;
            return found;
        }
        catch (JsonException)
        {
            usage = default;
            return false;
        }
    }

    // The reader is on the usage object's start; on return it is on its end.
    private static bool TryReadUsage(ref Utf8JsonReader reader, out TokenUsage usage)
    {
        int? prompt = null, completion = null, total = null;
        int cached = 0, reasoning = 0;
        var unreadable = false; // a count that is there but no whole number from 0 to int.MaxValue
        var totalUnreadable = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8) || reader.ValueTextEquals("input_tokens"u8))
            {
                prompt = ReadCount(ref reader, ref unreadable) ?? prompt;
            }
            else if (reader.ValueTextEquals("completion_tokens"u8) || reader.ValueTextEquals("output_tokens"u8))
            {
                completion = ReadCount(ref reader, ref unreadable) ?? completion;
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                total = ReadCount(ref reader, ref totalUnreadable) ?? total;
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8) || reader.ValueTextEquals("input_tokens_details"u8))
            {
                cached = ReadDetail(ref reader, "cached_tokens"u8) ?? cached;
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8) || reader.ValueTextEquals("output_tokens_details"u8))
            {
                reasoning = ReadDetail(ref reader, "reasoning_tokens"u8) ?? reasoning;
            }
            else
            {
                reader.Skip();
            }
        }

        // One count that cannot be read makes the usage unknown, never a zero for that count
        // ("prompt_tokens": 99999999999999 beside 5 completion tokens is not 0 and 5).
        // The total is only needed without one of the two counts (embeddings send no completion
        // count), and alone it says
        // nothing of which tokens were prompt and which completion, which are priced apart.
        if (unreadable || prompt is null && completion is null || totalUnreadable && (prompt is null || completion is null))
        {
            usage = default;
            return false;
        }

        // A missing count is the total less the other (embeddings send no completion count).
        var promptTokens = prompt ?? Math.Max(0, (total ?? completion!.Value) - completion!.Value);
        var completionTokens = completion ?? Math.Max(0, (total ?? promptTokens) - promptTokens);
        usage = new TokenUsage(promptTokens, completionTokens, cached, reasoning);
        return true;
    }

    // The reader is on a property name; returns its value when it is a whole number from 0 to
    // int.MaxValue, however written (1000, 1000.0 or 1e3: servers that count in floating point
    // write the first two), and sets `unreadable` when it is anything else but null.
    private static int? ReadCount(ref Utf8JsonReader reader, ref bool unreadable)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) && value >= 0)
        {
            return value;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var number)
            && number >= 0 && number <= int.MaxValue && Math.Floor(number) == number && !HasNegativeExponent(reader.ValueSpan))
        {
            return (int)number;
        }

        unreadable |= reader.TokenType != JsonTokenType.Null;
        reader.Skip();
        return null;
    }

    // 1e-400 reads as the double 0, but is no whole number.
    private static bool HasNegativeExponent(ReadOnlySpan<byte> number) =>
        number.IndexOf("e-"u8) >= 0 || number.IndexOf("E-"u8) >= 0;

    // The reader is on a details property name; returns the named count inside the object.
    private static int? ReadDetail(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        int? result = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                var unreadable = false; // a detail that cannot be read counts as none; the totals stand
                result = ReadCount(ref reader, ref unreadable) ?? result;
            }
            else
            {
                reader.Skip();
            }
        }

        return result;
    }
}
