using System.Buffers;
using RightSize.OpenAI.Json;

namespace RightSize.OpenAI.Streaming;

/// <summary>
/// An incremental Server-Sent Events parser (the WHATWG <c>text/event-stream</c> rules) for upstream
/// response streams. <see cref="Append(ReadOnlySpan{byte})"/> chunks as they arrive, cut anywhere,
/// then call <see cref="TryRead"/> until it returns false. Lines may end in <c>\n</c>, <c>\r\n</c>
/// or <c>\r</c>; a leading UTF-8 byte order mark is ignored; comment lines (<c>:</c>), <c>id</c>,
/// <c>retry</c> and unknown fields are ignored; several <c>data:</c> lines are joined by <c>\n</c>;
/// an event without data is not dispatched. Buffers come from <see cref="ArrayPool{T}.Shared"/> and
/// only grow; reading allocates nothing. Not thread-safe.
/// </summary>
public sealed class SseReader : IDisposable
{
    /// <summary>The default cap on bytes held for one unfinished line plus one event's data.</summary>
    public const int DefaultMaxBufferedBytes = 16 * 1024 * 1024;

    private const int InitialBufferSize = 4096;

    private readonly int _maxBufferedBytes;
    private byte[] _input;
    private int _inputStart;
    private int _inputEnd;
    private byte[] _data;
    private int _dataLength;
    private bool _hasData;
    private byte[] _eventType;
    private int _eventTypeLength;
    private bool _dispatched;
    private bool _bomChecked;
    private bool _skipLineFeed;
    private bool _disposed;

    /// <summary>Creates a reader that refuses to buffer more than <paramref name="maxBufferedBytes"/>.</summary>
    public SseReader(int maxBufferedBytes = DefaultMaxBufferedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBufferedBytes, 16);
        _maxBufferedBytes = maxBufferedBytes;
        _input = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        _data = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        _eventType = ArrayPool<byte>.Shared.Rent(64);
    }

    /// <summary>True when bytes of an unfinished line or event are held (the stream ended early if it stops here).</summary>
    public bool HasPendingData => _inputEnd > _inputStart || (!_dispatched && (_hasData || _eventTypeLength > 0));

    /// <summary>Adds the next bytes of the stream.</summary>
    /// <exception cref="InvalidDataException">A single line or event would exceed the buffering cap.</exception>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (chunk.IsEmpty)
        {
            return;
        }

        var unread = _inputEnd - _inputStart;
        if (_input.Length - _inputEnd < chunk.Length)
        {
            var needed = unread + chunk.Length;
            if (needed <= _input.Length)
            {
                _input.AsSpan(_inputStart, unread).CopyTo(_input);
            }
            else
            {
                EnsureWithinCap(needed);
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _input.Length * 2));
                _input.AsSpan(_inputStart, unread).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_input);
                _input = larger;
            }

            _inputStart = 0;
            _inputEnd = unread;
        }

        chunk.CopyTo(_input.AsSpan(_inputEnd));
        _inputEnd += chunk.Length;
    }

    /// <summary>Adds the next bytes of the stream, in segments.</summary>
    public void Append(in ReadOnlySequence<byte> chunks)
    {
        foreach (var segment in chunks)
        {
            Append(segment.Span);
        }
    }

    /// <summary>Returns the next complete event, or false when more bytes are needed.</summary>
    public bool TryRead(out SseEvent sseEvent)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_dispatched)
        {
            _dispatched = false;
            _dataLength = 0;
            _hasData = false;
            _eventTypeLength = 0;
        }

        while (true)
        {
            var available = _input.AsSpan(_inputStart, _inputEnd - _inputStart);
            if (!_bomChecked)
            {
                if (available.Length < Utf8Bom.Bytes.Length && Utf8Bom.Bytes.StartsWith(available))
                {
                    break;
                }

                _bomChecked = true;
                if (available.StartsWith(Utf8Bom.Bytes))
                {
                    _inputStart += Utf8Bom.Bytes.Length;
                    continue;
                }
            }

            if (available.IsEmpty)
            {
                break;
            }

            if (_skipLineFeed)
            {
                // The previous chunk ended in '\r': a '\n' opening this one belongs to that line end.
                _skipLineFeed = false;
                if (available[0] == (byte)'\n')
                {
                    _inputStart++;
                    continue;
                }
            }

            var end = available.IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0)
            {
                EnsureWithinCap(available.Length + _dataLength);
                break;
            }

            var consumed = end + 1;
            if (available[end] == (byte)'\r')
            {
                if (end + 1 == available.Length)
                {
                    _skipLineFeed = true;
                }
                else if (available[end + 1] == (byte)'\n')
                {
                    consumed++;
                }
            }

            var dispatch = ProcessLine(available[..end]);
            _inputStart += consumed;
            if (dispatch)
            {
                _dispatched = true;
                sseEvent = new SseEvent(_eventType.AsMemory(0, _eventTypeLength), _data.AsMemory(0, _dataLength - 1));
                return true;
            }
        }

        if (_inputStart == _inputEnd)
        {
            _inputStart = _inputEnd = 0;
        }

        sseEvent = default;
        return false;
    }

    /// <summary>Returns the pooled buffers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ArrayPool<byte>.Shared.Return(_input);
        ArrayPool<byte>.Shared.Return(_data);
        ArrayPool<byte>.Shared.Return(_eventType);
        _input = _data = _eventType = [];
    }

    // Returns true when the line is blank and ends an event that has data.
    private bool ProcessLine(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
        {
            if (_hasData)
            {
                return true;
            }

            _eventTypeLength = 0;
            return false;
        }

        if (line[0] == (byte)':')
        {
            return false;
        }

        var colon = line.IndexOf((byte)':');
        var name = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? [] : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if (name.SequenceEqual("data"u8))
        {
            AppendTo(ref _data, ref _dataLength, value);
            AppendTo(ref _data, ref _dataLength, "\n"u8);
            _hasData = true;
        }
        else if (name.SequenceEqual("event"u8))
        {
            _eventTypeLength = 0;
            AppendTo(ref _eventType, ref _eventTypeLength, value);
        }

        return false;
    }

    private void AppendTo(ref byte[] buffer, ref int length, ReadOnlySpan<byte> bytes)
    {
        var needed = length + bytes.Length;
        if (needed > buffer.Length)
        {
            EnsureWithinCap(needed);
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
            buffer.AsSpan(0, length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }

        bytes.CopyTo(buffer.AsSpan(length));
        length = needed;
    }

    private void EnsureWithinCap(int bytes)
    {
        if (bytes > _maxBufferedBytes)
        {
            throw new InvalidDataException($"An event-stream line or event is larger than the {_maxBufferedBytes}-byte limit.");
        }
    }
}
