using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RightSize.OpenAI.Errors;
using RightSize.Server.Forwarding;

namespace RightSize.Server.Endpoints;

/// <summary>Mapping for the gateway's read-only endpoints (health, stats, dashboard).</summary>
internal static class ReadOnlyEndpoints
{
    /// <summary>
    /// Maps <paramref name="pattern"/> for every method: GET and HEAD (which probes use) run
    /// <paramref name="handler"/>, any other method gets an OpenAI-shaped 405 rather than the
    /// fallback's 404, since the endpoint exists.
    /// </summary>
    public static IEndpointConventionBuilder MapGetOrHead(this IEndpointRouteBuilder endpoints, string pattern, RequestDelegate handler) =>
        endpoints.Map(pattern, context => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            ? handler(context)
            : ErrorResponses.WriteAsync(context, OpenAIError.MethodNotAllowed(context.Request.Method, "GET, HEAD")));
}
