namespace RightSize.Server.Forwarding;

/// <summary>Whether the request is answered (well or not) or the next candidate should be tried.</summary>
internal enum AttemptResult
{
    Done,
    Failed,
}
