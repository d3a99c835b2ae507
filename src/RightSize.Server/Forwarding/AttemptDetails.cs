using System.Globalization;
using Polly.CircuitBreaker;

namespace RightSize.Server.Forwarding;

/// <summary>
/// What log event 200 (<c>AttemptFailed</c>) says in its <c>Detail</c>, beside the failure's name:
/// the exception behind it, or the gateway's own words when there is none. A value the upstream
/// chose (a header) is cut to <see cref="MaxUpstreamValueLength"/> characters (<see cref="Cut"/>).
/// </summary>
internal static class AttemptDetails
{
    /// <summary>The most characters of an upstream's own value (a header) that a log line repeats.</summary>
    public const int MaxUpstreamValueLength = 64;

    /// <summary>The detail of an answer (a 503, say), which no exception explains.</summary>
    public const string None = "-";

    /// <summary>A context-window 400, in place of the upstream's own message.</summary>
    public const string ContextLength = "400: the request does not fit the model's context window";

    /// <summary>An unsupported-parameter 400, in place of the upstream's own message.</summary>
    public const string UnsupportedParameter = "400: the model does not take a parameter of the request, or its value";

    /// <summary>An upstream's 4xx that reached the client as the upstream sent it.</summary>
    public const string PassedOn = "answer passed on to the client";

    /// <summary>A stream that failed once bytes had reached the client: it was ended with an error event.</summary>
    public const string AfterFirstByte = "after the first byte reached the client; the stream was ended with an error event";

    /// <summary>An upstream's own error event in a stream that had started: passed on, and the stream counted as failed.</summary>
    public const string ErrorEventAfterFirstByte = "the upstream sent an error event after the first byte reached the client; the stream was ended there and the connection cut";

    private const string AfterFirstBytePrefix = "after the first byte reached the client: ";

    /// <summary>An upstream's value as a log line shows it: at most <see cref="MaxUpstreamValueLength"/> characters.</summary>
    public static string Cut(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= MaxUpstreamValueLength ? value : value[..MaxUpstreamValueLength];
    }

    /// <summary>An answer in a coding the gateway cannot decode; the coding, the upstream's own, is cut.</summary>
    public static string Undecodable(string encoding) => string.Concat("Content-Encoding: ", Cut(encoding), " cannot be decoded");

    /// <summary>
    /// The exception behind a failed attempt: for a call an open circuit skipped, the circuit's own
    /// meaning (and when it lets a trial call through, when Polly knows), never the failure that
    /// opened it, which the exception carries inside; else the innermost exception's message (a
    /// refused connection's); <see cref="None"/> without one.
    /// </summary>
    public static string OfException(Exception? exception)
    {
        if (exception is null) return None;
        if (AttemptFailures.Find<BrokenCircuitException>(exception) is { } broken) return OfBrokenCircuit(broken);
        return exception.GetBaseException().Message;
    }

    /// <summary>A failure once the answer had started (YARP ended the response), with the exception behind it.</summary>
    public static string AfterFirstByteOf(Exception? exception) => string.Concat(AfterFirstBytePrefix, OfException(exception));

    private static string OfBrokenCircuit(BrokenCircuitException broken)
    {
        if (broken is IsolatedCircuitException) return "circuit isolated; upstream skipped";
        if (broken.RetryAfter is not { } retryAfter) return "circuit open; upstream skipped";
        var seconds = Math.Max(0, retryAfter.TotalSeconds).ToString("0.#", CultureInfo.InvariantCulture);
        return string.Concat("circuit open; upstream skipped, next trial in ", seconds, " s");
    }
}
