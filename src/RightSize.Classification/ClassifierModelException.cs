namespace RightSize.Classification;

/// <summary>
/// A model directory that cannot be used: a missing or malformed file, a feature schema that
/// does not match the gateway's, or a graph that does not honour the input/output contract.
/// The message names the file and the fix.
/// </summary>
public sealed class ClassifierModelException : Exception
{
    public ClassifierModelException()
    {
    }

    public ClassifierModelException(string message)
        : base(message)
    {
    }

    public ClassifierModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
