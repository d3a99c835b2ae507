namespace RightSize.Server.Forwarding;

/// <summary>
/// An upstream stream event longer than the gateway holds (<see cref="ObservedResponseBody.MaxHeldBytes"/>).
/// It stops the copy like a cut connection, and is named <c>response-cut</c> like one.
/// </summary>
internal sealed class StreamEventTooLongException(int limit)
    : IOException($"The upstream sent a stream event longer than {limit} bytes.")
{
}
