using RightSize.Server.Model;

namespace RightSize.Server.Forwarding;

/// <summary>One attempt's destination: the upstream, the API path under its base URL, and the body to send.</summary>
/// <param name="Upstream">Where to send.</param>
/// <param name="ApiPath">The path under the upstream base, such as <c>/chat/completions</c>.</param>
/// <param name="Body">The (rewritten) JSON body.</param>
/// <param name="Headers">The decision headers to put on the response.</param>
public readonly record struct ForwardTarget(UpstreamEndpoint Upstream, string ApiPath, ArraySegment<byte> Body, DecisionHeaderValues Headers);
