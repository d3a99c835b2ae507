namespace RightSize.Upstream.Simulator.Protocol;

/// <summary>The per-response values every rendered object carries.</summary>
internal sealed record ResponseInfo(string Id, long Created, string Model, bool IncludeUsage);
