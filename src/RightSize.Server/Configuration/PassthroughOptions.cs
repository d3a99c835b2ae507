namespace RightSize.Server.Configuration;

/// <summary><c>RightSize:Passthrough</c>: requests for concrete models that no route claims.</summary>
public sealed class PassthroughOptions
{
    /// <summary>Forward requests for a tier's concrete model unchanged to that tier's upstream.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Upstream for any other unclaimed model; when not set such requests get a 404.</summary>
    public string? Upstream { get; set; }

    /// <summary>Longest a pass-through request may take.</summary>
    public TimeSpan Deadline { get; set; } = ResilienceDefaults.Deadline;
}
