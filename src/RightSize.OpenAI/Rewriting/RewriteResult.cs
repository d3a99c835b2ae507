namespace RightSize.OpenAI.Rewriting;

/// <summary>What <see cref="RequestBodyRewriter"/> did to a body.</summary>
/// <param name="BytesWritten">The length of the rewritten body.</param>
/// <param name="IncludeUsageAdded">
/// True when the gateway turned on <c>stream_options.include_usage</c> that the client had not asked
/// for: the final usage-only chunk of the stream must then be hidden from the client.
/// </param>
public readonly record struct RewriteResult(int BytesWritten, bool IncludeUsageAdded);
