using Microsoft.AspNetCore.Http;
using RightSize.OpenAI.Errors;
using RightSize.Server.Configuration;
using RightSize.Server.Forwarding;

namespace RightSize.Server.Endpoints;

/// <summary>
/// <c>GET /v1/models</c>: the virtual route models and the concrete models behind them, in
/// OpenAI's list shape (mapped with <see cref="ReadOnlyEndpoints.MapGetOrHead"/>); <c>GET
/// /v1/models/{model}</c>: one of them, or a 404 <c>model_not_found</c>. Both answer HEAD too.
/// </summary>
internal sealed class ModelsEndpoint(GatewaySnapshotStore store)
{
    public Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Mapped with MapGetOrHead at /v1/models, but the fallback calls it for /routes/{name}/v1/models too.
        if (!ReadOnlyEndpoints.IsRead(context)) return ReadOnlyEndpoints.MethodNotAllowedAsync(context);
        return JsonResponses.WriteAsync(context, store.Current.ModelListJson);
    }

    public Task HandleModelAsync(HttpContext context, string model)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(model);
        if (!ReadOnlyEndpoints.IsRead(context)) return ReadOnlyEndpoints.MethodNotAllowedAsync(context);
        return store.Current.ModelJson(model) is { } body ? JsonResponses.WriteAsync(context, body) : ErrorResponses.WriteAsync(context, OpenAIError.ModelNotFound(model));
    }
}
