using RightSize.Server.Buffers;

namespace RightSize.Server.Endpoints;

/// <summary>
/// The bytes that request bodies being routed may take together (<c>Gateway:MaxBufferedRequestBytes</c>).
/// A body is held whole from its read until its request ends (a fallback sends it again), and
/// costs about four times its size while routed; without a shared bound, a few dozen bodies near
/// <c>MaxRequestBodyBytes</c> at once take the pod past its memory limit. Each request draws on it
/// through one <see cref="Lease"/>, by the bytes that have arrived (not by a declared length, which
/// a slow client would hold without sending), and gives them back when its handler ends. A
/// request whose body finds no room gets a 503 that the SDKs retry. Read at start-up only.
/// </summary>
internal sealed class RequestBodyBudget(long capacity) : ByteBudget(capacity)
{
    /// <summary>A lease for one request's body, holding nothing yet.</summary>
    public Lease Open() => new(this);

    /// <summary>What one request's body holds of the budget; disposing it gives all of it back.</summary>
    public sealed class Lease(RequestBodyBudget budget) : IDisposable
    {
        private long _taken;

        /// <summary>The size of the budget this lease draws on (<see cref="ByteBudget.Capacity"/>).</summary>
        public long Capacity => budget.Capacity;

        /// <summary>Holds <paramref name="bytes"/> in all, taking what is missing; false, taking nothing more, when that is not left.</summary>
        public bool TryHold(long bytes)
        {
            if (bytes <= _taken) return true;
            if (!budget.TryTake(bytes - _taken)) return false;
            _taken = bytes;
            return true;
        }

        public void Dispose()
        {
            budget.Return(_taken);
            _taken = 0;
        }
    }
}
