using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using RightSize.OpenAI.Errors;
using RightSize.OpenAI.Json;
using RightSize.OpenAI.Streaming;
using RightSize.OpenAI.Usage;
using RightSize.Server.Buffers;
using RightSize.Server.Observability;
using RightSize.Server.Resilience;

namespace RightSize.Server.Forwarding;

/// <summary>
/// Stands in for the client's response body while YARP copies an upstream response. A stream (an
/// answer the upstream declares <c>text/event-stream</c>, whatever the request asked for, or one
/// to a stream request that opens as events do: <see cref="IsStream"/>) is passed on whole SSE
/// event by whole event (so a failure can end it cleanly), its usage chunk is read and, when the
/// gateway asked for it on the client's behalf, hidden. Any other answer is held until it is
/// complete, so a body cut short can still become a 502 instead of a truncated 200, and written
/// to the client in pieces. Either way the client's <c>Content-Length</c> is the one of the bytes it actually gets. What is
/// held is bounded by <see cref="MaxHeldBytes"/>: a longer non-streaming body is passed on as it
/// arrives from there on (it can no longer be retried), and a stream event longer than that fails
/// the stream as a cut upstream does: <paramref name="guard"/> records <c>response-cut</c>, which
/// ends the upstream read, and the rest is dropped. A 2xx that is no OpenAI answer is caught while
/// nothing of it has reached the client (<see cref="InvalidAnswer"/>).
/// </summary>
/// <param name="requestedStream">Whether the request asked for a stream (<c>"stream": true</c>).</param>
/// <param name="budget">What all held non-streaming bodies may take together: a body that finds it spent is passed on as it arrives, as a longer one is.</param>
internal sealed class ObservedResponseBody(HttpResponse response, bool requestedStream, bool hideUsageChunk, RequestRecord record, StreamGuard guard, HeldResponseBudget budget) : Stream
{
    /// <summary>The most held for the client at once: a non-streaming body, or one stream event (as <see cref="SseReader"/> allows).</summary>
    public const int MaxHeldBytes = SseReader.DefaultMaxBufferedBytes;

    private static readonly byte[] UsageMarker = "\"usage\""u8.ToArray();
    private static readonly byte[] DoneMarker = "[DONE]"u8.ToArray();
    private static readonly byte[][] FieldOpenings = ["data:"u8.ToArray(), "event:"u8.ToArray(), "id:"u8.ToArray(), "retry:"u8.ToArray(), ":"u8.ToArray()];
    private readonly Stream _inner = response.Body;
    private readonly PooledBuffer _pending = new(requestedStream ? 4096 : 16 * 1024);
    private bool? _streaming;
    private SseReader? _events;
    private bool _passingThrough; // a non-streaming body over MaxHeldBytes: the rest goes straight on
    private bool _dropping;       // a stream event over MaxHeldBytes, or an error event first: the rest is dropped
    private bool _dataSeen;       // a stream event with data has been read: only the first is judged
    private PooledBuffer? _tail;  // while passing through, the body's last bytes, where its usage is
    private long _taken;          // the bytes of the held body taken from the budget

    // Where the scan for the held event's end resumes, so that each write reads only new bytes
    // (rescanning the whole held event on every write was quadratic in its length).
    private int _lineStart; // the start of the line being read, in _pending
    private int _searched;  // no line ends between _lineStart and here

    /// <summary>The size of the array kept for held bytes: small again once a body passes through or a stream fails.</summary>
    internal int HeldCapacity => _pending.Array.Length;

    /// <summary>
    /// Whether the answer is read as an event stream, decided at its first bytes (<see cref="IsStream"/>);
    /// before any, as the <c>Content-Type</c> or the request says.
    /// </summary>
    private bool Streaming => _streaming ?? (IsEventStream(response.ContentType) || requestedStream);

    /// <summary>
    /// Why the upstream's 2xx is no OpenAI answer, when that was found before any byte reached the
    /// client (so the next tier may answer): a held body that is not one JSON object or is an error
    /// object, a stream whose first event is an error object, or a stream with no event at all.
    /// The attempt's failure is <c>invalid-answer</c>; this says which, for the log.
    /// </summary>
    public string? InvalidAnswer { get; private set; }

    /// <summary>
    /// Whether the stream's <c>data: [DONE]</c> has been passed on: the answer is whole, so what the
    /// upstream does after it (cuts the connection, sends less than its <c>Content-Length</c>) is no
    /// failure, and whatever it sends is not passed on (a usage chunk among it is still read).
    /// </summary>
    public bool SentDone { get; private set; }

    /// <summary>Whether any byte has gone to the client.</summary>
    public bool HasSentBytes { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_dropping) return;
        if (SentDone)
        {
            ReadUsageAfterDone(buffer.Span);
            return;
        }

        _streaming ??= IsStream(buffer.Span);
        if (_passingThrough)
        {
            KeepTail(buffer.Span);
            await SendAsync(buffer, cancellationToken);
            return;
        }

        if (!Streaming && (_pending.Count + buffer.Length > MaxHeldBytes || !Take(buffer.Length)))
        {
            // Too long to hold, or the budget is spent: what arrived so far goes on, and so does the
            // rest as it comes. The held array goes back to the pool and its bytes to the budget
            // now, not when a slow client has read the rest.
            _passingThrough = true;
            KeepTail(_pending.WrittenSpan);
            await SendAsync(_pending.WrittenMemory, cancellationToken);
            _pending.Release();
            GiveBack();
            KeepTail(buffer.Span);
            await SendAsync(buffer, cancellationToken);
            return;
        }

        buffer.Span.CopyTo(_pending.GetSpan(buffer.Length));
        _pending.Advance(buffer.Length);
        if (Streaming)
        {
            await ForwardCompleteEventsAsync(cancellationToken);
            if (_pending.Count > MaxHeldBytes)
            {
                // Ended as a cut upstream ends a stream: the upstream read ends, and the forwarder
                // sends the error event and cuts the connection after the event's grace (or, before
                // any event went out, lets the next tier answer).
                Drop(AttemptFailures.ResponseCut);
            }
        }
    }

    private bool Take(int bytes)
    {
        if (!budget.TryTake(bytes)) return false;
        _taken += bytes;
        return true;
    }

    private void GiveBack()
    {
        budget.Return(_taken);
        _taken = 0;
    }

    /// <summary>The most of a passed-on body's end kept for its usage: far more than a usage object takes.</summary>
    private const int TailBytes = 64 * 1024;

    private void KeepTail(ReadOnlySpan<byte> bytes)
    {
        _tail ??= new PooledBuffer(2 * TailBytes);
        if (bytes.Length >= TailBytes)
        {
            _tail.Clear();
            bytes = bytes[^TailBytes..];
        }
        else if (_tail.Count + bytes.Length > 2 * TailBytes)
        {
            _tail.DiscardPrefix(_tail.Count - (TailBytes - bytes.Length));
        }

        bytes.CopyTo(_tail.GetSpan(bytes.Length));
        _tail.Advance(bytes.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        Streaming && HasSentBytes ? _inner.FlushAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// The upstream response ended well: pass on what is held, unless it is a 2xx that is no OpenAI
    /// answer and nothing has been sent (<see cref="InvalidAnswer"/>), when nothing is.
    /// </summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_tail is not null && UsageParser.TryParseUsageInTail(_tail.WrittenSpan, out var passedOnUsage)) record.Usage = passedOnUsage;
        if (!HasSentBytes && IsSuccess(response.StatusCode) && Judge() is { } invalid)
        {
            InvalidAnswer = invalid;
            return;
        }

        if (_pending.Count == 0) return;
        if (!Streaming)
        {
            if (UsageParser.TryParseResponse(_pending.WrittenSpan, out var usage)) record.Usage = usage;
            response.ContentLength = _pending.Count;
        }

        // In pieces: the server copies one write whole into its own buffers before the client has
        // read any of it, which for a large body held for a slow client would take its size twice.
        var held = _pending.WrittenMemory;
        for (var sent = 0; sent < held.Length; sent += SendPieceBytes)
        {
            await SendAsync(held.Slice(sent, Math.Min(SendPieceBytes, held.Length - sent)), cancellationToken);
        }

        ClearPending();
    }

    /// <summary>The most of a held body written to the client at once.</summary>
    private const int SendPieceBytes = 64 * 1024;

    /// <summary>The upstream stream failed after events reached the client: drop any partial event and end with <paramref name="errorEvent"/>.</summary>
    public async Task FailAsync(byte[] errorEvent, CancellationToken cancellationToken)
    {
        ClearPending();
        try
        {
            await SendAsync(errorEvent, cancellationToken);
            await _inner.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client left while the stream was being ended.
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The response body is written asynchronously.");

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pending.Dispose();
            GiveBack();
            _tail?.Dispose();
            _events?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Whether the answer that begins with <paramref name="first"/> is an event stream. An upstream
    /// may answer one JSON body to a stream request, or events to one that is not, and some servers
    /// label their events <c>text/plain</c> or <c>application/json</c>: <c>text/event-stream</c>
    /// (whose <c>Content-Type</c> YARP has copied before the first write) is always a stream, and
    /// for a stream request so is an answer that opens as events do. Anything else (one JSON body,
    /// an HTML page) is held whole, and judged when complete.
    /// </summary>
    private bool IsStream(ReadOnlySpan<byte> first) =>
        IsEventStream(response.ContentType) || (requestedStream && OpensAsEvents(first));

    private static bool IsEventStream(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type) && string.Equals(type.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether the bytes after a byte order mark and white space open an SSE field or comment (or,
    /// when the read is that short, the first letters of one).
    /// </summary>
    private static bool OpensAsEvents(ReadOnlySpan<byte> first)
    {
        var start = Utf8Bom.Trim(first).TrimStart(" \t\r\n"u8);
        if (start.IsEmpty) return true;
        foreach (var opening in FieldOpenings)
        {
            var length = Math.Min(start.Length, opening.Length);
            if (start[..length].SequenceEqual(opening.AsSpan(0, length))) return true;
        }

        return false;
    }

    /// <summary>
    /// After <c>[DONE]</c> nothing more goes to the client, but a usage chunk that some servers send
    /// after it is still read. What cannot be read (an event past the reader's bound) is dropped.
    /// </summary>
    private void ReadUsageAfterDone(ReadOnlySpan<byte> bytes)
    {
        var events = _events ??= new SseReader();
        try
        {
            events.Append(bytes);
            while (events.TryRead(out var sseEvent))
            {
                if (UsageParser.TryParseChunk(sseEvent.Data.Span, out var usage, out _)) record.Usage = usage;
            }
        }
        catch (InvalidDataException)
        {
            _dropping = true;
        }
    }

    /// <summary>Why a whole held body, or a stream that ended before any byte was sent, is no answer; null when it is one.</summary>
    private string? Judge()
    {
        var status = response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Streaming) return _pending.Count == 0 ? string.Concat("a ", status, " stream that ended before its first event") : null;
        return AnswerBody.Judge(_pending.WrittenSpan) switch
        {
            AnswerKind.ErrorObject => string.Concat("a ", status, " with an error object in place of an answer"),
            AnswerKind.NotJson => string.Concat("a ", status, " whose body is no JSON answer (Content-Type: ", Cut(response.ContentType ?? "none"), ")"),
            _ => null,
        };
    }

    private static bool IsSuccess(int status) => status is >= 200 and < 300;

    /// <summary>An upstream's header value as the log shows it: at most 64 characters.</summary>
    private static string Cut(string value) => value.Length <= 64 ? value : value[..64];

    /// <summary>Ends the stream with <paramref name="failure"/>: the upstream read ends, and what is held or still comes is dropped.</summary>
    private void Drop(string failure)
    {
        guard.Failure ??= failure;
        _dropping = true;
        ClearPending();
        _pending.Release();
    }

    private async ValueTask ForwardCompleteEventsAsync(CancellationToken cancellationToken)
    {
        var data = _pending.WrittenMemory;
        var runStart = 0;
        var position = 0;
        while (TryFindEventEnd(data.Span, position, ref _lineStart, ref _searched, out var end))
        {
            var role = Inspect(data.Span[position..end]);
            if (role == EventRole.ErrorFirst && !HasSentBytes && IsSuccess(response.StatusCode))
            {
                // Nothing has reached the client: the next tier may still answer.
                InvalidAnswer = string.Concat("a ", response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), " stream whose first event is an error object");
                Drop(AttemptFailures.InvalidAnswer);
                return;
            }

            if (role == EventRole.HiddenUsage)
            {
                if (position > runStart) await SendAsync(data[runStart..position], cancellationToken);
                runStart = end;
            }
            else if (role == EventRole.Done)
            {
                await SendAsync(data[runStart..end], cancellationToken);
                SentDone = true;
                ReadUsageAfterDone(data.Span[end..]); // what came in the same read, a usage chunk perhaps
                ClearPending();
                return;
            }

            position = end;
        }

        if (position > runStart) await SendAsync(data[runStart..position], cancellationToken);
        if (position > 0)
        {
            _pending.DiscardPrefix(position);
            _lineStart -= position;
            _searched -= position;
        }
    }

    private void ClearPending()
    {
        _pending.Clear();
        _lineStart = 0;
        _searched = 0;
    }

    private enum EventRole
    {
        PassOn,
        HiddenUsage, // the usage chunk the gateway asked for on the client's behalf
        Done,        // data: [DONE], the stream's last event
        ErrorFirst,  // the stream's first data is an error object
    }

    /// <summary>
    /// Reads a whole event's data (its <c>data:</c> lines joined, comments and other fields left
    /// out) when it may carry usage, may be <c>[DONE]</c>, or is the stream's first data: records its
    /// usage, and says whether it is the usage chunk to hide, the end, or an error object where the
    /// first chunk should be.
    /// </summary>
    private EventRole Inspect(ReadOnlySpan<byte> eventBytes)
    {
        var mayCarryUsage = eventBytes.IndexOf(UsageMarker) >= 0;
        if (!mayCarryUsage && _dataSeen && eventBytes.IndexOf(DoneMarker) < 0) return EventRole.PassOn;
        var events = _events ??= new SseReader();
        events.Append(eventBytes);
        var role = EventRole.PassOn;
        while (events.TryRead(out var sseEvent))
        {
            var data = sseEvent.Data.Span;
            if (data.SequenceEqual(DoneMarker)) return EventRole.Done;
            if (!_dataSeen && !data.Trim(" \t\r\n"u8).IsEmpty)
            {
                // The first event with data is judged; an empty one (a keep-alive's `data:`) is not it.
                _dataSeen = true;
                if (AnswerBody.Judge(data) == AnswerKind.ErrorObject) return EventRole.ErrorFirst;
            }

            if (!mayCarryUsage || !UsageParser.TryParseChunk(data, out var usage, out var usageOnly)) continue;
            record.Usage = usage;
            if (usageOnly && hideUsageChunk) role = EventRole.HiddenUsage;
        }

        return role;
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (!HasSentBytes)
        {
            HasSentBytes = true;

            // A stream's length is the gateway's own: a usage chunk hidden, a partial event dropped
            // or what follows [DONE] left out makes it shorter than the upstream said it would be.
            if (Streaming) response.ContentLength = null;
            record.TimeToFirstChunk = Stopwatch.GetElapsedTime(record.StartTimestamp);
        }

        await _inner.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>
    /// Finds the end (exclusive) of the next event, which starts at <paramref name="start"/>: the
    /// empty line after it. Lines end in CRLF, LF or CR, mixed as they come; a CR that ends the
    /// bytes held may be the first half of a CRLF, so it waits for the next byte. The scan resumes
    /// at <paramref name="lineStart"/> and <paramref name="searched"/>, and leaves them where the
    /// next call should resume, so no byte is searched twice.
    /// </summary>
    internal static bool TryFindEventEnd(ReadOnlySpan<byte> data, int start, ref int lineStart, ref int searched, out int end)
    {
        end = 0;
        while (true)
        {
            var from = Math.Max(lineStart, searched);
            var offset = data[from..].IndexOfAny((byte)'\r', (byte)'\n');
            if (offset < 0)
            {
                searched = data.Length;
                return false;
            }

            var terminator = from + offset;
            var next = terminator + 1;
            if (data[terminator] == '\r')
            {
                if (next == data.Length)
                {
                    searched = terminator;
                    return false;
                }

                if (data[next] == '\n') next++;
            }

            var emptyLine = terminator == lineStart;
            lineStart = next;
            searched = next;
            if (emptyLine && terminator > start)
            {
                end = next;
                return true;
            }
        }
    }
}
