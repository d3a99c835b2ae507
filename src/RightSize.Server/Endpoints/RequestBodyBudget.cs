using Microsoft.AspNetCore.Http;
using RightSize.Server.Buffers;

namespace RightSize.Server.Endpoints;

/// <summary>
/// The bytes that request bodies being routed may take together (<c>Gateway:MaxBufferedRequestBytes</c>).
/// A body is held whole from its read until its request ends (a fallback sends it again), and
/// costs about four times its size while routed; without a shared bound, a few dozen bodies near
/// <c>MaxRequestBodyBytes</c> at once take the pod past its memory limit. A request whose body
/// finds the budget spent gets a 503 that the SDKs retry. Read at start-up only.
/// </summary>
internal sealed class RequestBodyBudget(long capacity) : ByteBudget(capacity)
{
    /// <summary>
    /// Takes <paramref name="bytes"/> for the request of <paramref name="context"/> and gives them
    /// back when its response is done; false, taking nothing, when they are not left.
    /// </summary>
    public bool TryTakeFor(HttpContext context, long bytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (bytes <= 0) return true;
        if (!TryTake(bytes)) return false;
        context.Response.RegisterForDispose(new Taken(this, bytes));
        return true;
    }

    private sealed class Taken(RequestBodyBudget budget, long bytes) : IDisposable
    {
        public void Dispose() => budget.Return(bytes);
    }
}
