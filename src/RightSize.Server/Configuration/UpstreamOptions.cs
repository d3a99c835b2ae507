namespace RightSize.Server.Configuration;

/// <summary><c>RightSize:Upstreams:{name}</c>: an OpenAI-compatible provider.</summary>
public sealed class UpstreamOptions
{
    /// <summary>The provider's API base, including <c>/v1</c> where the provider has it (for example <c>https://api.openai.com/v1</c>).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Name of the environment variable holding the provider's API key.</summary>
    public string? ApiKeyEnv { get; set; }

    /// <summary>Path of a file holding the provider's API key (for example a mounted Kubernetes Secret).</summary>
    public string? ApiKeyFile { get; set; }

    /// <summary>Time allowed until the upstream's response headers arrive; past it the attempt fails as a timeout.</summary>
    public TimeSpan HeadersTimeout { get; set; } = ResilienceDefaults.HeadersTimeout;

    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();
}
