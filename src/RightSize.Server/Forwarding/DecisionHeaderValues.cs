using Microsoft.AspNetCore.Http;

namespace RightSize.Server.Forwarding;

/// <summary>
/// The <c>x-rightsize-*</c> response headers of one decision. Written over whatever the upstream
/// sent: every <c>x-rightsize-*</c> header already there, whatever its name, is removed first, so
/// that a header this decision has no value for (no route or tier on a pass-through) is absent, and
/// an upstream (one that is itself a RightSize gateway, or any other) cannot add one of its own.
/// </summary>
internal readonly record struct DecisionHeaderValues(string? Route, string? Tier, string Model, string Confidence, string Reason)
{
    /// <summary>
    /// What every header of the gateway's own begins with (matched without regard to case): such a
    /// header from a client is not forwarded, and one from an upstream is not returned.
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
        RemoveAll(headers);
        if (Route is not null) headers[RouteHeader] = Route;
        if (Tier is not null) headers[TierHeader] = Tier;
        headers[ModelHeader] = Model;
        headers[ConfidenceHeader] = Confidence;
        headers[ReasonHeader] = Reason;
    }

    /// <summary>Removes every header whose name begins with <see cref="Prefix"/>, in any case.</summary>
    private static void RemoveAll(IHeaderDictionary headers)
    {
        List<string>? names = null;
        foreach (var header in headers)
        {
            if (header.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) (names ??= []).Add(header.Key);
        }

        if (names is null) return;
        foreach (var name in names) headers.Remove(name);
    }
}
