using System.Collections.Immutable;

namespace RightSize.Server.Forwarding;

/// <summary>
/// Headers in which clients of other providers send their key instead of <c>Authorization</c>
/// (Azure OpenAI, Anthropic-style clients, Google, Azure API Management, Azure Functions, a proxy's). Like
/// <c>Authorization</c> and <see cref="QueryCredentials"/>, such a key belongs to the client and
/// never goes upstream (each upstream has its own), and logs mask its value.
/// </summary>
internal static class CredentialHeaders
{
    /// <summary>The header names (header names are matched without regard to case).</summary>
    public static readonly ImmutableArray<string> Names = ["api-key", "x-api-key", "x-goog-api-key", "Ocp-Apim-Subscription-Key", "x-functions-key", "Proxy-Authorization"];
}
