namespace RightSize.OpenAI.Rewriting;

/// <summary>The top-level facts a rewrite needs before it can decide what to insert.</summary>
internal readonly record struct BodyShape(bool HasProperties, bool HasModel, bool StreamIsTrue, bool HasStreamOptions);
