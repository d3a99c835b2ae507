namespace RightSize.Training.Data;

/// <summary>A routing data file that cannot be read; the message is one line naming the file and line.</summary>
public sealed class RoutingDataException : Exception
{
    public RoutingDataException()
    {
    }

    public RoutingDataException(string message)
        : base(message)
    {
    }

    public RoutingDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Builds the one-line message <c>FILE:LINE: what</c>.</summary>
    public static RoutingDataException At(string path, int line, string what, Exception? inner = null)
    {
        var message = line > 0 ? $"{path}:{line}: {what}" : $"{path}: {what}";
        return inner is null ? new RoutingDataException(message) : new RoutingDataException(message, inner);
    }
}
