using RightSize.Server.Buffers;

namespace RightSize.Server.Forwarding;

/// <summary>
/// The held side of <see cref="ObservedResponseBody"/>: what a non-streaming body takes from the
/// shared budget, the tail kept of one passed on for its usage, and sending what was held in pieces.
/// </summary>
internal sealed partial class ObservedResponseBody
{
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

    /// <summary>
    /// Sends a held body in pieces: the server copies one write whole into its own buffers before
    /// the client has read any of it, which for a large body held for a slow client would take its
    /// size twice.
    /// </summary>
    private async ValueTask SendInPiecesAsync(ReadOnlyMemory<byte> held, CancellationToken cancellationToken)
    {
        for (var sent = 0; sent < held.Length; sent += SendPieceBytes)
        {
            await SendAsync(held.Slice(sent, Math.Min(SendPieceBytes, held.Length - sent)), cancellationToken);
        }
    }

    /// <summary>The most of a held body written to the client at once.</summary>
    private const int SendPieceBytes = 64 * 1024;
}
