using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RightSize.Classification;
using RightSize.OpenAI.Errors;
using RightSize.OpenAI.Requests;
using RightSize.Server.Buffers;
using RightSize.Server.Configuration;
using RightSize.Server.Forwarding;
using RightSize.Server.Policy;
using RightSize.Server.Routing;

namespace RightSize.Server.Endpoints;

/// <summary>
/// <c>POST /rightsize/route</c>: takes a chat request and returns the decision the gateway would
/// make, as JSON, without forwarding. The route comes from <c>?route=</c> or from <c>model</c>.
/// </summary>
internal sealed class DryRunEndpoint(GatewaySnapshotStore store, RoutePolicy policy, IDifficultyClassifier classifier, RequestBodyBudget bodyBudget)
{
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var snapshot = store.Current;
        var routeQuery = context.Request.Query["route"];
        if (routeQuery.Count > 1)
        {
            await ErrorResponses.WriteAsync(context, OpenAIError.InvalidRequest("The query parameter 'route' is given more than once; name one route.", "route"));
            return;
        }

        var routeName = routeQuery.ToString();
        var pathRoute = routeName.Length == 0 ? null : snapshot.RoutesByName.GetValueOrDefault(routeName);
        if (routeName.Length > 0 && pathRoute is null)
        {
            // Like an unknown path: the resource does not exist, whatever the body says.
            await ErrorResponses.WriteAsync(context, OpenAIError.RouteNotFound(routeName));
            return;
        }

        using var lease = bodyBudget.Open();
        using var body = new PooledBuffer();
        var intake = await RequestIntake.ReadAsync(context, snapshot, OpenAIOperation.ChatCompletions, pathRoute, lease, body);
        var error = intake.Error;
        RoutingDecision? decision = null;
        if (error is null && intake.Selection.Route is { } route)
        {
            error = policy.TryDecide(route, intake.Request!.Prompt!, context.Request.Headers[DecisionHeaderValues.TierHeader], out decision);
        }

        if (error is not null)
        {
            await ErrorResponses.WriteAsync(context, error);
            return;
        }

        using var output = new PooledBuffer(1024);
        using (var json = new Utf8JsonWriter(output))
        {
            if (decision is not null) WriteDecision(json, decision, classifier.Model);
            else WritePassthrough(json, intake.Request!.Model!, intake.Selection.Passthrough!.Name);
        }

        await JsonResponses.WriteAsync(context, output.WrittenMemory);
    }

    private static void WriteDecision(Utf8JsonWriter json, RoutingDecision decision, ClassifierModelInfo? model)
    {
        json.WriteStartObject();
        json.WriteString("route", decision.Route.Name);
        json.WriteString("tier", decision.Target.TierName);
        json.WriteString("requested_tier", decision.RequestedTier.ToName());
        json.WriteString("model", decision.Target.Model);
        json.WriteString("upstream", decision.Target.Upstream.Name);
        json.WriteString("reason", decision.Reason);
        if (decision.Confidence is { } confidence) json.WriteNumber("confidence", Math.Round(confidence, 4));
        else json.WriteNull("confidence");
        if (decision.Probabilities is { } p)
        {
            json.WriteStartObject("probabilities");
            if (!float.IsNaN(p.Small)) json.WriteNumber(TierNames.Small, Math.Round(p.Small, 4));
            if (!float.IsNaN(p.Mid)) json.WriteNumber(TierNames.Mid, Math.Round(p.Mid, 4));
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("probabilities");
        }

        json.WriteNumber("threshold", decision.Route.Threshold);
        json.WriteNumber("min_confidence", decision.Route.MinConfidence);
        json.WriteNumber("estimated_prompt_tokens", decision.EstimatedPromptTokens);
        json.WriteNumber("decision_time_us", Math.Round(decision.ClassifierMicroseconds, 1));
        if (model is not null) json.WriteString("classifier_model", model.Name);
        else json.WriteNull("classifier_model");
        json.WriteEndObject();
    }

    private static void WritePassthrough(Utf8JsonWriter json, string model, string upstream)
    {
        json.WriteStartObject();
        json.WriteNull("route");
        json.WriteString("model", model);
        json.WriteString("upstream", upstream);
        json.WriteString("reason", DecisionReasons.Passthrough);
        json.WriteEndObject();
    }
}
