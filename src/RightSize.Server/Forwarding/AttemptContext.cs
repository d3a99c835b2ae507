using Microsoft.AspNetCore.Http;
using RightSize.Server.Buffers;
using RightSize.Server.Observability;

namespace RightSize.Server.Forwarding;

/// <summary>The state one request's attempts share.</summary>
internal sealed class AttemptContext(HttpContext context, ForwardPlan plan, RequestRecord record, PooledBuffer buffer, CancellationTokenSource stop, long startedAt, CancellationToken shutdown, CancellationToken token)
{
    public HttpContext Context { get; } = context;

    public ForwardPlan Plan { get; } = plan;

    public RequestRecord Record { get; } = record;

    /// <summary>Fires when the route's deadline passes or the gateway's shutdown cutoff arrives.</summary>
    public CancellationTokenSource Stop { get; } = stop;

    /// <summary>The gateway's shutdown cutoff alone.</summary>
    public CancellationToken Shutdown { get; } = shutdown;

    /// <summary>When the request's attempts began (a <see cref="TimeProvider.GetTimestamp"/>), the start of the route's deadline.</summary>
    public long StartedAt { get; } = startedAt;

    /// <summary>The failure to record once <see cref="Stop"/> has fired: <c>shutdown</c> or <c>deadline</c>.</summary>
    public string StopFailure => AttemptFailures.OfStop(Shutdown);

    /// <summary>The stop token and the client's cancellation together.</summary>
    public CancellationToken Token { get; } = token;

    /// <summary>Holds the body of the current attempt when it is rewritten for its model.</summary>
    public PooledBuffer Buffer { get; } = buffer;

    /// <summary>The bytes the current attempt sends: the client's body, or its rewrite in <see cref="Buffer"/>.</summary>
    public ArraySegment<byte> Body { get; private set; }

    public void SetBody(ArraySegment<byte> body) => Body = body;
}
