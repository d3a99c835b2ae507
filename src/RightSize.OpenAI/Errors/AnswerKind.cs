namespace RightSize.OpenAI.Errors;

/// <summary>What the body of an upstream's 2xx, or one stream event's data, turned out to be.</summary>
public enum AnswerKind
{
    /// <summary>A JSON object without an <c>error</c>: an answer as far as the gateway can tell.</summary>
    Answer,

    /// <summary>A JSON object with a non-null <c>error</c>: a failure reported with a success status.</summary>
    ErrorObject,

    /// <summary>Not one JSON object: an HTML or text page, nothing at all, or JSON cut short.</summary>
    NotJson,
}
