using RightSize.Upstream.Simulator;
using RightSize.Upstream.Simulator.Faults;

namespace RightSize.FunctionalTests.Resilience;

internal static class FaultHelpers
{
    /// <summary>Scripts a fault for every request to this simulator's model.</summary>
    public static void Fail(this UpstreamSimulator simulator, string script)
    {
        foreach (var model in simulator.Service.Options.Models) simulator.Faults.Set(model, FaultScript.Parse(script));
    }
}
