using Microsoft.AspNetCore.Http;

namespace RightSize.Server.Forwarding;

/// <summary>
/// The <c>x-rightsize-*</c> response headers of one decision. Written over whatever the upstream
/// sent: a header this decision has no value for (no route or tier on a pass-through) is removed,
/// so that an upstream that is itself a RightSize gateway cannot add its own.
/// </summary>
internal readonly record struct DecisionHeaderValues(string? Route, string? Tier, string Model, string Confidence, string Reason)
{
    /// <summary>
    /// What every header of the gateway's own begins with (matched without regard to case): such a
    /// header from a client is not forwarded.
    /// </summary>
    public const string Prefix = "x-rightsize-";

    public const string RouteHeader = "x-rightsize-route";
    public const string TierHeader = "x-rightsize-tier";
    public const string ModelHeader = "x-rightsize-model";
    public const string ConfidenceHeader = "x-rightsize-confidence";
    public const string ReasonHeader = "x-rightsize-reason";

    /// <summary>The confidence value when the classifier did not decide.</summary>
    public const string NotApplicable = "n/a";

    public void WriteTo(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        SetOrRemove(headers, RouteHeader, Route);
        SetOrRemove(headers, TierHeader, Tier);
        headers[ModelHeader] = Model;
        headers[ConfidenceHeader] = Confidence;
        headers[ReasonHeader] = Reason;
    }

    private static void SetOrRemove(IHeaderDictionary headers, string name, string? value)
    {
        if (value is null) headers.Remove(name);
        else headers[name] = value;
    }
}
