using RightSize.OpenAI.Chat;
using RightSize.Server.Model;
using RightSize.Server.Policy;
using RightSize.Server.Tests.TestSupport;

namespace RightSize.Server.Tests.Policy;

/// <summary>The sample configuration's routes, and a decision that must succeed.</summary>
internal static class PolicyDecisions
{
    public static RouteModel Route(string name, params (string Key, string? Value)[] changes) =>
        SampleConfiguration.Snapshot(SampleConfiguration.With(changes)).RoutesByName[name];

    public static RoutingDecision Decide(RoutePolicy policy, RouteModel route, ChatPrompt prompt, string? tierOverride = null)
    {
        var error = policy.TryDecide(route, prompt, tierOverride, out var decision);
        Assert.Null(error);
        Assert.NotNull(decision);
        Assert.Same(route, decision.Route);
        return decision;
    }
}
