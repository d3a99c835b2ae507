using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using RightSize.OpenAI.Errors;

namespace RightSize.OpenAI.Requests;

public static partial class OpenAIRequestParser
{
    /// <summary>
    /// The top-level fields the gateway reads, for one kind of request or another (at most 32: one
    /// bit each in an <see cref="int"/>). One given twice is refused, in any kind of request: JSON parsers disagree on
    /// which of two equal keys counts (the gateway's reader would keep the last, another parser the
    /// first, or refuse the body), so the gateway could route on one <c>model</c> while the upstream
    /// answers for the other.
    /// </summary>
    private static readonly (byte[] Utf8, string Name)[] ReadFields =
    [
        ("model"u8.ToArray(), "model"),
        ("messages"u8.ToArray(), "messages"),
        ("prompt"u8.ToArray(), "prompt"),
        ("input"u8.ToArray(), "input"),
        ("stream"u8.ToArray(), "stream"),
        ("stream_options"u8.ToArray(), "stream_options"),
        ("max_tokens"u8.ToArray(), "max_tokens"),
        ("max_completion_tokens"u8.ToArray(), "max_completion_tokens"),
        ("tools"u8.ToArray(), "tools"),
        ("functions"u8.ToArray(), "functions"),
        ("response_format"u8.ToArray(), "response_format"),
    ];

    // The reader is on a top-level property name; `seen` has a bit per entry of ReadFields met so far.
    private static bool TryMarkFirstSight(ref Utf8JsonReader reader, ref int seen, [NotNullWhen(false)] out OpenAIError? error)
    {
        error = null;
        for (var i = 0; i < ReadFields.Length; i++)
        {
            if (!reader.ValueTextEquals(ReadFields[i].Utf8)) continue;
            var bit = 1 << i;
            if ((seen & bit) != 0)
            {
                var name = ReadFields[i].Name;
                error = OpenAIError.InvalidRequest($"'{name}' appears more than once in the request body; send it once.", name);
                return false;
            }

            seen |= bit;
            return true;
        }

        return true;
    }
}
