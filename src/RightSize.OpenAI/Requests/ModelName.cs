namespace RightSize.OpenAI.Requests;

/// <summary>What a request's <c>model</c> may be: short, visible ASCII, safe to repeat in a header or a log line.</summary>
public static class ModelName
{
    /// <summary>The longest model name accepted (provider model and deployment names are far shorter).</summary>
    public const int MaxLength = 256;

    /// <summary>Whether <paramref name="model"/> has 1 to <see cref="MaxLength"/> characters, each from '!' to '~'.</summary>
    public static bool IsValid(ReadOnlySpan<char> model) =>
        model.Length is > 0 and <= MaxLength && !model.ContainsAnyExceptInRange('!', '~');

    /// <summary>
    /// Whether <paramref name="name"/> can name a route: a model name that is also one path segment
    /// of <c>/routes/{name}</c>, so no '/', and not '.' or '..', which clients and Kestrel remove from
    /// a path before the gateway sees it.
    /// </summary>
    public static bool IsRouteName(string name) =>
        IsValid(name) && !name.Contains('/', StringComparison.Ordinal) && name is not ("." or "..");

    /// <summary>The rule of <see cref="IsRouteName"/>, for error messages.</summary>
    public static readonly string RouteNameRule =
        $"a route name is a model name: 1 to {MaxLength} visible ASCII characters, without '/' or spaces, and not '.' or '..'";
}
