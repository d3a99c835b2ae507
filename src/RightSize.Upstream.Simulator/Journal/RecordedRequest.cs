using System.Text;

namespace RightSize.Upstream.Simulator.Journal;

/// <summary>
/// One request as the simulator received it. The request fields never change; <see cref="Outcome"/>,
/// <see cref="StatusCode"/> and <see cref="Fault"/> are filled in while it is answered.
/// </summary>
public sealed class RecordedRequest
{
    private int _outcome;
    private int _statusCode;
    private string? _fault;

    internal RecordedRequest(
        long sequence,
        string method,
        string path,
        string queryString,
        IReadOnlyDictionary<string, string> headers,
        ReadOnlyMemory<byte> body,
        string? model,
        bool stream,
        DateTimeOffset arrivedAt)
    {
        Sequence = sequence;
        Method = method;
        Path = path;
        QueryString = queryString;
        Headers = headers;
        Body = body;
        Model = model;
        Stream = stream;
        ArrivedAt = arrivedAt;
    }

    /// <summary>The arrival order on this simulator, starting at 1.</summary>
    public long Sequence { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The request path as received, including any mapping prefix.</summary>
    public string Path { get; }

    /// <summary>The query string, with its leading <c>?</c>, or empty.</summary>
    public string QueryString { get; }

    /// <summary>A copy of the request headers (case-insensitive names; repeated values joined by <c>,</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The request body, byte for byte.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    /// <summary>The <c>model</c> field of the body, or null when it has none or is not JSON.</summary>
    public string? Model { get; }

    /// <summary>Whether the body asked for a streamed answer (<c>"stream": true</c>).</summary>
    public bool Stream { get; }

    /// <summary>When the request arrived, by the simulator's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset ArrivedAt { get; }

    /// <summary>How the request ended so far.</summary>
    public RequestOutcome Outcome => (RequestOutcome)Volatile.Read(ref _outcome);

    /// <summary>Whether the client disconnected before the answer was complete.</summary>
    public bool ClientAborted => Outcome == RequestOutcome.ClientAborted;

    /// <summary>The status code answered, or null before response headers were sent (or when none were).</summary>
    public int? StatusCode => Volatile.Read(ref _statusCode) is var code and > 0 ? code : null;

    /// <summary>The text of the fault script applied to this request, or null.</summary>
    public string? Fault => Volatile.Read(ref _fault);

    /// <inheritdoc />
    public override string ToString() => $"#{Sequence} {Method} {Path} model={Model ?? "-"} {Outcome}";

    internal void SetStatusCode(int statusCode) => Volatile.Write(ref _statusCode, statusCode);

    internal void SetFault(string fault) => Volatile.Write(ref _fault, fault);

    internal bool TryEnd(RequestOutcome outcome)
        => Interlocked.CompareExchange(ref _outcome, (int)outcome, (int)RequestOutcome.Pending) == (int)RequestOutcome.Pending;
}
