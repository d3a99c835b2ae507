using System.Net.Http;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RightSize.Server.Observability;
using Yarp.ReverseProxy.Forwarder;

namespace RightSize.Server.Forwarding;

/// <summary>Names a failed attempt the way <c>x-rightsize-reason</c> reports it after <c>fallback:</c>.</summary>
internal static class AttemptFailures
{
    public const string Timeout = "timeout";
    public const string ConnectRefused = "connect-refused";
    public const string ConnectionReset = "connection-reset";

    /// <summary>The TLS handshake with the upstream failed: a certificate it does not trust, or no TLS at that port.</summary>
    public const string TlsError = "tls-error";
    public const string CircuitOpen = "circuit-open";
    public const string ResponseCut = "response-cut";
    public const string Deadline = "deadline";
    public const string Shutdown = "shutdown";
    public const string ClientAbort = "client-abort";
    public const string UpstreamError = "upstream-error";

    /// <summary>The upstream answered 400: the request does not fit its model's context window.</summary>
    public const string ContextLength = "context-length";

    /// <summary>The upstream answered 400: its model does not take a parameter of the request, or a value of it.</summary>
    public const string UnsupportedParameter = "unsupported-parameter";

    /// <summary>Whether <paramref name="failure"/> is a limit of the model, which a retry of the same tier would meet again.</summary>
    public static bool IsModelLimit(string? failure) => failure is ContextLength or UnsupportedParameter;

    /// <summary>
    /// The upstream answered 2xx with something that is no OpenAI answer (an HTML or text page, an
    /// error object, an empty body or a stream with no event), or began its stream with an error event.
    /// </summary>
    public const string InvalidAnswer = "invalid-answer";

    /// <summary>The upstream compressed its answer in a coding the gateway cannot decode.</summary>
    public const string UnsupportedEncoding = "unsupported-encoding";

    /// <summary>The upstream answered 408: it timed out waiting for the gateway's request.</summary>
    public const string Upstream408 = "upstream-408";

    /// <summary>The upstream answered 429: rate limited or out of quota.</summary>
    public const string Upstream429 = "upstream-429";

    /// <summary>The upstream answered 503: overloaded or down.</summary>
    public const string Upstream503 = "upstream-503";

    /// <summary>The upstream answered 504: a gateway of the provider's own timed out.</summary>
    public const string Upstream504 = "upstream-504";

    /// <summary>
    /// An attempt's <c>error.type</c> (the attempts metric, the attempt span, log event 200): its
    /// <see cref="AttemptRecord.Failure"/>, or <c>upstream-&lt;status&gt;</c> for an upstream's answer
    /// with a status of 400 or more that was passed on to the client as it came (a 404 for a retired
    /// model, a 400 the client's request earned). Such an answer is still no
    /// <see cref="AttemptRecord.Failure"/>: it was the client's answer, so it neither moved the request
    /// to another tier nor counts as an escalation, and the circuit breaker never saw a 4xx as a
    /// failure. Null for a success.
    /// </summary>
    public static string? ErrorTypeOf(AttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return attempt.Failure ?? (attempt.StatusCode is >= 400 and var status ? ForStatus(status) : null);
    }

    /// <summary>The failure of an upstream's answer with this status (cached strings for the common ones, no allocation).</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => "upstream-400",
        401 => "upstream-401",
        403 => "upstream-403",
        404 => "upstream-404",
        408 => Upstream408,
        409 => "upstream-409",
        413 => "upstream-413",
        422 => "upstream-422",
        429 => Upstream429,
        500 => "upstream-500",
        502 => "upstream-502",
        503 => Upstream503,
        504 => Upstream504,
        _ => "upstream-" + status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Why a request's stop token fired: the gateway's shutdown cutoff, else the route's deadline.</summary>
    public static string OfStop(CancellationToken shutdown) => shutdown.IsCancellationRequested ? Shutdown : Deadline;

    public static string ForError(ForwarderError error, Exception? exception)
    {
        if (Find<BrokenCircuitException>(exception) is not null) return CircuitOpen;
        if (Find<TimeoutRejectedException>(exception) is not null || error == ForwarderError.RequestTimedOut) return Timeout;
        if (error is ForwarderError.ResponseBodyDestination or ForwarderError.ResponseBodyCanceled) return ResponseCut;
        if (Find<System.Net.Sockets.SocketException>(exception) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                // Could not connect: refused, unreachable, or the host name did not resolve (as
                // HttpRequestError.NameResolutionError below, which a socket error takes precedence over).
                System.Net.Sockets.SocketError.ConnectionRefused or System.Net.Sockets.SocketError.HostUnreachable or System.Net.Sockets.SocketError.NetworkUnreachable
                    or System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.TryAgain or System.Net.Sockets.SocketError.NoData => ConnectRefused,
                System.Net.Sockets.SocketError.ConnectionReset or System.Net.Sockets.SocketError.ConnectionAborted or System.Net.Sockets.SocketError.Shutdown => ConnectionReset,
                _ => UpstreamError,
            };
        }

        if (Find<HttpRequestException>(exception) is { } http)
        {
            return http.HttpRequestError switch
            {
                HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError => ConnectRefused,
                // Not connect-refused, which would send the operator to look for a down host.
                HttpRequestError.SecureConnectionError => TlsError,
                // A status line or headers that are no HTTP are the upstream's error, not a reset.
                HttpRequestError.ResponseEnded => ConnectionReset,
                _ => UpstreamError,
            };
        }

        return UpstreamError;
    }

    /// <summary>Whether the client should see 503 (try later) rather than 502 for this failure.</summary>
    public static bool IsUnavailable(string failure) => failure is CircuitOpen or Upstream429 or Upstream503;

    /// <summary>
    /// The first <typeparamref name="T"/> in <paramref name="exception"/>'s chain, looking into every
    /// exception an <see cref="AggregateException"/> holds: when the headers timeout fires while the
    /// body is still being sent, YARP reports both the write's failure and the timeout in one.
    /// </summary>
    internal static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T match) return match;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Find<T>(inner) is { } found) return found;
                }

                return null;
            }
        }

        return null;
    }
}
