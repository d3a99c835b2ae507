using System.Text.Json;
using RightSize.OpenAI.Errors;

namespace RightSize.OpenAI.Requests;

public static partial class OpenAIRequestParser
{
    /// <summary>
    /// The top-level fields the gateway reads, for one kind of request or another. These lists
    /// decide what is read: a property whose name is in none of them is skipped unread.
    /// </summary>
    private static readonly ReadNames RequestNames = new(
        "model", "messages", "prompt", "input", "stream", "stream_options", "max_tokens",
        "max_completion_tokens", "tools", "functions", "response_format");

    /// <summary>The fields the gateway reads in a message.</summary>
    private static readonly ReadNames MessageNames = new("role", "content", "tool_calls");

    /// <summary>The fields the gateway reads in a content part.</summary>
    private static readonly ReadNames ContentPartNames = new("type", "text", "image_url", "input_audio", "file");

    private static readonly ReadNames ImageNames = new("detail");

    private static readonly ReadNames AudioNames = new("data");

    private static readonly ReadNames FileNames = new("file_data");

    private static readonly ReadNames ResponseFormatNames = new("type", "json_schema");

    private static readonly ReadNames StreamOptionsNames = new("include_usage");

    /// <summary>
    /// Null when the property name the reader is on may be read; otherwise the error that refuses
    /// the body: a read name given twice in one object, or in another case (see <see cref="ReadNames"/>).
    /// <paramref name="read"/> says whether it is one of <paramref name="names"/>: only such a
    /// property is compared again, to read it; any other is skipped at once.
    /// <paramref name="where"/> gives the object's path with its dot (<c>messages[2].</c>), built only for an error.
    /// </summary>
    private static OpenAIError? CheckName<TState>(ref Utf8JsonReader reader, ReadNames names, ref int seen, TState state, Func<TState, string> where, out bool read)
    {
        var match = names.Match(ref reader, ref seen, out var name);
        read = match == NameMatch.First;
        if (match is NameMatch.Other or NameMatch.First) return null;
        var path = where(state);
        if (match == NameMatch.Repeated)
        {
            return OpenAIError.InvalidRequest($"'{path}{name}' appears more than once in the request body; send it once.", path + name);
        }

        var spelt = path + reader.GetString();
        return OpenAIError.InvalidRequest($"'{spelt}' is '{name}' in another case; field names are case-sensitive: send '{path}{name}'.", spelt);
    }

    private static OpenAIError? CheckName(ref Utf8JsonReader reader, ReadNames names, ref int seen, string where, out bool read) =>
        CheckName(ref reader, names, ref seen, where, static path => path, out read);
}
