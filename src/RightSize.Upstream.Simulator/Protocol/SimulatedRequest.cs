namespace RightSize.Upstream.Simulator.Protocol;

/// <summary>What the simulator read from a request body.</summary>
internal sealed record SimulatedRequest
{
    public static SimulatedRequest Empty { get; } = new();

    public string? Model { get; init; }

    public bool Stream { get; init; }

    public bool IncludeUsage { get; init; }

    /// <summary>The text the answer echoes: the last user message, or the completion prompt.</summary>
    public string? PromptText { get; init; }

    /// <summary>The inputs of an embeddings request.</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    public bool Base64Embeddings { get; init; }

    public int? Dimensions { get; init; }

    /// <summary>Set when the body is malformed; the request is answered with this error.</summary>
    public ApiError? Error { get; init; }
}
