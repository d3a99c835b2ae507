namespace RightSize.Server.Configuration;

/// <summary><c>RightSize:Routes:{name}:Embeddings</c>: embeddings are not classified, only forwarded.</summary>
public sealed class EmbeddingsOptions
{
    /// <summary>The upstream for embeddings; the upstream of the route's highest tier (its MaxTier) when not set.</summary>
    public string? Upstream { get; set; }

    /// <summary>The embeddings model sent upstream; the client's model when not set.</summary>
    public string? Model { get; set; }
}
