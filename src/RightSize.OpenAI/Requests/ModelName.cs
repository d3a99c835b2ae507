namespace RightSize.OpenAI.Requests;

/// <summary>What a request's <c>model</c> may be: short, visible ASCII, safe to repeat in a header or a log line.</summary>
public static class ModelName
{
    /// <summary>The longest model name accepted (provider model and deployment names are far shorter).</summary>
    public const int MaxLength = 256;

    /// <summary>Whether <paramref name="model"/> has 1 to <see cref="MaxLength"/> characters, each from '!' to '~'.</summary>
    public static bool IsValid(ReadOnlySpan<char> model) =>
        model.Length is > 0 and <= MaxLength && !model.ContainsAnyExceptInRange('!', '~');
}
