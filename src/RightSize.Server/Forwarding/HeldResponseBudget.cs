using RightSize.Server.Buffers;

namespace RightSize.Server.Forwarding;

/// <summary>
/// The bytes that non-streaming answers held back from their clients may take together
/// (<c>Gateway:MaxHeldResponseBytes</c>). Each answer is held until it is complete, so that one
/// cut short can still go to the next tier; without a shared bound, a dozen large answers at once
/// (embedding batches, long completions read by slow clients) hold a dozen times 16 MiB and the
/// pod meets its memory limit. An answer that finds the budget spent is passed on as it arrives
/// instead, as one longer than <see cref="ObservedResponseBody.MaxHeldBytes"/> always is: it is
/// served, only no longer retried if the upstream cuts it. Read at start-up only.
/// </summary>
internal sealed class HeldResponseBudget(long capacity) : ByteBudget(capacity);
