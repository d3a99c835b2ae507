using RightSize.Server.Observability;

namespace RightSize.Server.Telemetry;

/// <summary>
/// The reasons of a request's escalations, in order (see <see cref="Escalation"/>):
/// <c>low-confidence</c> first when the policy sent the request up, then the failure of each
/// attempt after which the request moved on to another tier. A struct that is its own enumerable,
/// so a <c>foreach</c> over <see cref="Escalation.Reasons"/> allocates nothing.
/// </summary>
internal struct EscalationEnumerator
{
    private readonly RequestRecord? _request;
    private int _next;
    private bool _started;
    private string? _current;

    internal EscalationEnumerator(RequestRecord request)
    {
        _request = request;
        _next = 0;
        _started = false;
        _current = null;
    }

    /// <summary>The reason at the enumerator's position.</summary>
    public readonly string Current => _current ?? string.Empty;

    /// <summary>Returns the enumerator itself, for <c>foreach</c>.</summary>
    public readonly EscalationEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_request is null) return false;
        if (!_started)
        {
            _started = true;
            if (Escalation.IsLowConfidence(_request))
            {
                _current = Policy.DecisionReasons.LowConfidence;
                return true;
            }
        }

        var attempts = _request.Attempts;
        while (_next < attempts.Count - 1)
        {
            if (Escalation.FailureOf(attempts, _next++) is { } failure)
            {
                _current = failure;
                return true;
            }
        }

        _current = null;
        return false;
    }
}
