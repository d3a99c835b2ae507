using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RightSize.Upstream.Simulator.Faults;

/// <summary>
/// A scripted misbehaviour, written as <c>key=value</c> steps separated by <c>;</c>
/// (case-insensitive, spaces ignored). Chosen per request by the <c>x-simulator-fault</c> header
/// or per model by <see cref="SimulatorOptions.Faults"/>; the header wins, and the header value
/// <c>none</c> turns a model's fault off for that request.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>status=503</c></term><description>answer with this status (400-599) and an OpenAI-shaped error body.</description></item>
/// <item><term><c>retry-after=2</c></term><description>with <c>status</c>: add <c>Retry-After: 2</c> (seconds).</description></item>
/// <item><term><c>delay=1500</c></term><description>wait this many milliseconds before the response headers.</description></item>
/// <item><term><c>reset</c></term><description>abort the connection before any response header.</description></item>
/// <item><term><c>cut-after=3</c></term><description>streaming: send 3 <c>data:</c> events, then abort the connection;
/// non-streaming: declare the full <c>Content-Length</c>, send half the body, then abort.</description></item>
/// <item><term><c>drip=200</c></term><description>wait this many milliseconds between streamed events
/// (non-streaming: between pieces of the body).</description></item>
/// <item><term><c>times=1</c></term><description>apply the script only to the first N matching requests, then answer normally.</description></item>
/// </list>
/// Order of effect: <c>delay</c>, then <c>reset</c>, then <c>status</c>, then the answer with
/// <c>drip</c> and <c>cut-after</c>. Example: <c>status=429;retry-after=2;times=1</c>.
/// </remarks>
[TypeConverter(typeof(FaultScriptTypeConverter))]
public sealed record FaultScript
{
    /// <summary>The status to answer with, 400-599, or null to answer normally.</summary>
    public int? Status { get; init; }

    /// <summary>The <c>Retry-After</c> header value in seconds, sent with <see cref="Status"/>.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>The pause before response headers.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Abort the connection before sending any response header.</summary>
    public bool Reset { get; init; }

    /// <summary>Streaming: the number of events sent before the connection is aborted. Non-streaming: cut the body in half.</summary>
    public int? CutAfter { get; init; }

    /// <summary>The pause between streamed events, overriding <see cref="SimulatorOptions.ChunkDelay"/>.</summary>
    public TimeSpan? Drip { get; init; }

    /// <summary>Apply the fault only to the first N matching requests; null applies it to every one.</summary>
    public int? Times { get; init; }

    /// <summary>Parses a script; throws <see cref="FormatException"/> listing every error.</summary>
    public static FaultScript Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var script, out var error) ? script : throw new FormatException(error);
    }

    /// <summary>Parses a script, or returns false with a message naming each bad step.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out FaultScript? script, [NotNullWhen(false)] out string? error)
        => FaultScriptParser.TryParse(text, out script, out error);

    /// <summary>The canonical text of the script, which <see cref="Parse"/> reads back to an equal script.</summary>
    public override string ToString()
    {
        var steps = new List<string>(7);
        if (Delay > TimeSpan.Zero)
        {
            steps.Add(Step("delay", (long)Delay.TotalMilliseconds));
        }

        if (Reset)
        {
            steps.Add("reset");
        }

        if (Status is { } status)
        {
            steps.Add(Step("status", status));
        }

        if (RetryAfterSeconds is { } retryAfter)
        {
            steps.Add(Step("retry-after", retryAfter));
        }

        if (CutAfter is { } cutAfter)
        {
            steps.Add(Step("cut-after", cutAfter));
        }

        if (Drip is { } drip)
        {
            steps.Add(Step("drip", (long)drip.TotalMilliseconds));
        }

        if (Times is { } times)
        {
            steps.Add(Step("times", times));
        }

        return steps.Count == 0 ? SimulatorConstants.NoFault : string.Join(';', steps);
    }

    private static string Step(string key, long value) => key + "=" + value.ToString(CultureInfo.InvariantCulture);
}
