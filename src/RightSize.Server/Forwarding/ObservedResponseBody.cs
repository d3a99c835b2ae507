using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using RightSize.OpenAI.Errors;
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
internal sealed partial class ObservedResponseBody(HttpResponse response, bool requestedStream, bool hideUsageChunk, RequestRecord record, StreamGuard guard, HeldResponseBudget budget) : Stream
{
    /// <summary>The most held for the client at once: a non-streaming body, or one stream event (as <see cref="SseReader"/> allows).</summary>
    public const int MaxHeldBytes = SseReader.DefaultMaxBufferedBytes;

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
    private bool Streaming => _streaming ?? (guard.EventStream || requestedStream);

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

    /// <summary>
    /// Whether the upstream sent an error object as an event after the stream's first data: the
    /// stream failed. The event is passed on and nothing after it is (the upstream read ends).
    /// </summary>
    public bool ErrorEventAfterFirst { get; private set; }

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

        if (_streaming is null && (_streaming = IsStream(buffer.Span)) is null)
        {
            // Only white space so far: held as a body is, until the first other byte decides.
            if (_pending.Count + buffer.Length <= MaxHeldBytes && Take(buffer.Length))
            {
                buffer.Span.CopyTo(_pending.GetSpan(buffer.Length));
                _pending.Advance(buffer.Length);
                return;
            }

            _streaming = false;
        }

        if (_passingThrough)
        {
            KeepTail(buffer.Span);
            await SendAsync(buffer, cancellationToken);
            return;
        }

        if (!Streaming && (_pending.Count + buffer.Length > MaxHeldBytes || !Take(buffer.Length)))
        {
            // Too long to hold, or the budget is spent: what arrived so far goes on, and so does the
            // rest as it comes. The held array goes back to the pool and its bytes to the budget once
            // the client has taken them, not when it has read the rest. In pieces, as CompleteAsync
            // sends: in one write the server would copy all of it a second time.
            _passingThrough = true;
            KeepTail(_pending.WrittenSpan);
            await SendInPiecesAsync(_pending.WrittenMemory, cancellationToken);
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

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        HasSentBytes && Streaming ? _inner.FlushAsync(cancellationToken) : Task.CompletedTask;

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
        else
        {
            var role = InspectUnclosed(_pending.WrittenSpan, out var closed);
            if (role == EventRole.HiddenUsage)
            {
                ClearPending();
                return;
            }

            if (role == EventRole.ErrorAfterFirst)
            {
                // Closed, so that the client's parser dispatches it; the forwarder then cuts the connection.
                ClearPending();
                await SendAsync(closed, cancellationToken);
                return;
            }
        }

        await SendInPiecesAsync(_pending.WrittenMemory, cancellationToken);
        ClearPending();
    }

    /// <summary>
    /// For an attempt that failed before anything reached the client: the usage its held,
    /// non-streaming answer reported, when the usage object arrived whole (a body cut after it, a
    /// 2xx error object that counted tokens), goes into the record, to be priced as billed
    /// (<see cref="AttemptRecord.BilledBeforeFailing"/>). A stream's usage chunk is read as it arrives.
    /// </summary>
    public void ReadBilledUsage()
    {
        if (Streaming || HasSentBytes || _pending.Count == 0) return;
        if (UsageParser.TryParseUsageInTail(_pending.WrittenSpan, out var usage)) record.Usage = usage;
    }

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

    /// <summary>Why a whole held body, or a stream that ended before any byte was sent, is no answer; null when it is one.</summary>
    private string? Judge()
    {
        var status = response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Bytes held at a stream's end are an event never closed by an empty line, which a client
        // drops: a stream with no data event before that had no answer in it (such bytes, an HTML
        // page or a JSON error labelled text/event-stream, must not pass as a 200).
        if (Streaming) return _dataSeen ? null : string.Concat("a ", status, " stream that ended before its first event");
        return AnswerBody.Judge(_pending.WrittenSpan) switch
        {
            AnswerKind.ErrorObject => string.Concat("a ", status, " with an error object in place of an answer"),
            AnswerKind.NotJson => string.Concat("a ", status, " whose body is no JSON answer (Content-Type: ", AttemptDetails.Cut(response.ContentType ?? "none"), ")"),
            _ => null,
        };
    }

    private static bool IsSuccess(int status) => status is >= 200 and < 300;

    private void ClearPending()
    {
        _pending.Clear();
        _lineStart = 0;
        _searched = 0;
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
}
