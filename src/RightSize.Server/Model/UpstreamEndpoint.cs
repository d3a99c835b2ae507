namespace RightSize.Server.Model;

/// <summary>A configured upstream, resolved: its base URL without a trailing slash, its credentials and its resilience settings.</summary>
/// <param name="Name">The key under <c>RightSize:Upstreams</c>.</param>
/// <param name="BaseUrl">The API base, such as <c>https://api.openai.com/v1</c>.</param>
/// <param name="Authorization">The <c>Authorization</c> header value sent upstream, or null for none.</param>
/// <param name="Resilience">Timeout to headers and circuit breaker settings.</param>
internal sealed record UpstreamEndpoint(string Name, string BaseUrl, string? Authorization, UpstreamResilience Resilience)
{
    /// <summary>Never prints the credential.</summary>
    public override string ToString() => $"{Name} ({BaseUrl})";
}
