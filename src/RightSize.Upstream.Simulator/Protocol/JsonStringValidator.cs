using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace RightSize.Upstream.Simulator.Protocol;

/// <summary>
/// Checks every string value and property name of a JSON document once. <see cref="JsonDocument"/>
/// checks strings lazily, only when one is read, so bytes that are not UTF-8 or a lone surrogate
/// escape such as <c>"\ud800"</c> in a field the simulator ignores would otherwise pass; OpenAI
/// answers such a body with a 400.
/// </summary>
internal static class JsonStringValidator
{
    /// <summary>Null when every string is valid text; otherwise why not. The document must be well-formed JSON.</summary>
    public static string? FindInvalidString(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && !IsValidText(ref reader))
            {
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"the {(reader.TokenType == JsonTokenType.String ? "string" : "property name")} at byte {reader.TokenStartIndex} is not valid UTF-8 or holds a lone surrogate escape");
            }
        }

        return null;
    }

    private static bool IsValidText(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }

        try
        {
            reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
