namespace RightSize.Server.Telemetry;

/// <summary>Marks that telemetry services were added, and makes mapping its endpoints idempotent.</summary>
internal sealed class TelemetryRegistration
{
    private int _mapped;

    /// <summary>True the first time only.</summary>
    public bool TryMarkMapped() => Interlocked.Exchange(ref _mapped, 1) == 0;
}
