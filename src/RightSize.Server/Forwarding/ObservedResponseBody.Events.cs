using RightSize.OpenAI.Errors;
using RightSize.OpenAI.Json;
using RightSize.OpenAI.Streaming;
using RightSize.OpenAI.Usage;

namespace RightSize.Server.Forwarding;

/// <summary>The event side of <see cref="ObservedResponseBody"/>: telling a stream, finding its events' ends, and reading each event for usage, <c>[DONE]</c> and a first error.</summary>
internal sealed partial class ObservedResponseBody
{
    private static readonly byte[] UsageMarker = "\"usage\""u8.ToArray();
    private static readonly byte[] DoneMarker = "[DONE]"u8.ToArray();
    private static readonly byte[] ErrorMarker = "\"error\""u8.ToArray();
    private static readonly byte[][] FieldOpenings = ["data:"u8.ToArray(), "event:"u8.ToArray(), "id:"u8.ToArray(), "retry:"u8.ToArray(), ":"u8.ToArray()];

    /// <summary>
    /// Whether the answer that begins with <paramref name="first"/> is an event stream. An upstream
    /// may answer one JSON body to a stream request, or events to one that is not, and some servers
    /// label their events <c>text/plain</c> or <c>application/json</c>: <c>text/event-stream</c>
    /// (<see cref="Resilience.StreamGuard.EventStream"/>, from the upstream's headers) is always a stream, and
    /// for a stream request so is an answer that opens as events do. Anything else (one JSON body,
    /// an HTML page) is held whole, and judged when complete.
    /// </summary>
    /// <returns>Null while the answer has been only a byte order mark and white space: undecided.</returns>
    private bool? IsStream(ReadOnlySpan<byte> first) =>
        guard.EventStream ? true : requestedStream ? OpensAsEvents(first) : false;

    /// <summary>
    /// Whether the bytes after a byte order mark and white space open an SSE field or comment (or,
    /// when the read is that short, the first letters of one); null when there are none yet. White
    /// space alone is no event: a JSON error or an HTML page whose first read is a line break must
    /// not pass as a stream, unjudged.
    /// </summary>
    private static bool? OpensAsEvents(ReadOnlySpan<byte> first)
    {
        var start = Utf8Bom.Trim(first).TrimStart(" \t\r\n"u8);
        if (start.IsEmpty) return null;
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
            var role = Settle(Inspect(data.Span[position..end]));
            if (role == EventRole.ErrorFirst)
            {
                // Nothing has reached the client: the next tier may still answer.
                InvalidAnswer = string.Concat("a ", response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), " stream whose first event is an error object");
                Drop(AttemptFailures.InvalidAnswer);
                return;
            }

            if (role == EventRole.ErrorAfterFirst)
            {
                // Passed on (a client that reads error events raises on it), and the stream ends
                // there: what the upstream sends after it, a clean [DONE] most often, is not (nor is
                // it read, so a usage chunk after the error is not counted): the .NET SDK, which
                // ignores error events, would take the cut answer for complete.
                await SendAsync(data[runStart..end], cancellationToken);
                Drop(AttemptFailures.UpstreamError);
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
                guard.EndReadsAfterDone();
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

    private enum EventRole
    {
        PassOn,
        HiddenUsage,     // the usage chunk the gateway asked for on the client's behalf
        Done,            // data: [DONE], the stream's last event
        ErrorFirst,      // the stream's first data is an error object
        ErrorAfterFirst, // an error object after the first data: the stream failed
    }

    /// <summary>
    /// The role of an inspected event in this answer. A non-2xx stream's error events are its
    /// answer, passed on as they come. In a 2xx, an error object as the first data is no answer
    /// while nothing has reached the client (<see cref="EventRole.ErrorFirst"/>), and a failed
    /// stream once something has (a comment, a keep-alive), as an error object after the first data
    /// is (<see cref="EventRole.ErrorAfterFirst"/>, which sets <see cref="ErrorEventAfterFirst"/>).
    /// </summary>
    private EventRole Settle(EventRole inspected)
    {
        if (inspected is not (EventRole.ErrorFirst or EventRole.ErrorAfterFirst)) return inspected;
        if (!IsSuccess(response.StatusCode)) return EventRole.PassOn;
        if (inspected == EventRole.ErrorFirst && !HasSentBytes) return EventRole.ErrorFirst;
        ErrorEventAfterFirst = true;
        return EventRole.ErrorAfterFirst;
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
        var mayBeError = _dataSeen && eventBytes.IndexOf(ErrorMarker) >= 0;
        if (!mayCarryUsage && !mayBeError && _dataSeen && eventBytes.IndexOf(DoneMarker) < 0) return EventRole.PassOn;
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
            else if (mayBeError && AnswerBody.Judge(data) == AnswerKind.ErrorObject)
            {
                // The stream failed, even if it then ends cleanly: it is not counted as served.
                return EventRole.ErrorAfterFirst;
            }

            if (!mayCarryUsage || !UsageParser.TryParseChunk(data, out var usage, out var usageOnly)) continue;
            record.Usage = usage;
            if (usageOnly && hideUsageChunk) role = EventRole.HiddenUsage;
        }

        return role;
    }

    /// <summary>
    /// Reads the bytes held when a stream ends, an event its upstream never closed with an empty
    /// line, as if it had been: for its usage, and whether it is the usage chunk to hide or an error
    /// (<see cref="Settle"/>); unread, a hidden usage chunk among them would reach the client and its
    /// usage be lost. Once a stream at most, so the copy costs nothing that
    /// matters. <paramref name="closed"/> is the event with its empty line: what a client's parser
    /// dispatches, where the bytes as held would be dropped.
    /// </summary>
    private EventRole InspectUnclosed(ReadOnlySpan<byte> held, out byte[] closed)
    {
        closed = new byte[held.Length + 2];
        held.CopyTo(closed);
        closed[^2] = (byte)'\n';
        closed[^1] = (byte)'\n';
        return Settle(Inspect(closed));
    }

    /// <summary>
    /// Finds the end (exclusive) of the next event, which starts at <paramref name="start"/>: the
    /// empty line after it. Lines end in CRLF, LF or CR, mixed as they come; a CR that ends the
    /// bytes held may be the first half of a CRLF, so a line with text waits for the next byte
    /// (an empty line does not: it would hold each event of a CR-only stream until the next one
    /// arrived). The scan resumes
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
            var emptyLine = terminator == lineStart;
            if (data[terminator] == '\r')
            {
                // A CR that ends the bytes held may be the first half of a CRLF: a line with text
                // waits for the next byte. An empty line does not, as the event ends there either
                // way; a LF that follows is then an empty line of its own, which ends nothing.
                if (next == data.Length && !(emptyLine && terminator > start))
                {
                    searched = terminator;
                    return false;
                }

                if (next < data.Length && data[next] == '\n') next++;
            }

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
