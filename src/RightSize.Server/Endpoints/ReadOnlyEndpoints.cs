using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RightSize.OpenAI.Errors;
using RightSize.Server.Forwarding;

namespace RightSize.Server.Endpoints;

/// <summary>The gateway's read-only endpoints (health, stats, dashboard, models): GET and HEAD, as for any GET resource (RFC 9110).</summary>
internal static class ReadOnlyEndpoints
{
    /// <summary>
    /// Maps <paramref name="pattern"/> for every method: GET and HEAD (which probes use) run
    /// <paramref name="handler"/>, any other method gets an OpenAI-shaped 405 rather than the
    /// fallback's 404, since the endpoint exists.
    /// </summary>
    public static IEndpointConventionBuilder MapGetOrHead(this IEndpointRouteBuilder endpoints, string pattern, RequestDelegate handler) =>
        endpoints.Map(pattern, context => IsRead(context) ? handler(context) : MethodNotAllowedAsync(context));

    public static bool IsRead(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);

    public static Task MethodNotAllowedAsync(HttpContext context) =>
        ErrorResponses.WriteAsync(context, OpenAIError.MethodNotAllowed(context.Request.Method, "GET, HEAD"));
}
