using Microsoft.AspNetCore.Http;
using RightSize.OpenAI.Errors;
using RightSize.Server.Configuration;
using RightSize.Server.Forwarding;

namespace RightSize.Server.Endpoints;

/// <summary><c>GET /v1/models</c>: the virtual route models and the concrete models behind them, in OpenAI's list shape.</summary>
public sealed class ModelsEndpoint(GatewaySnapshotStore store)
{
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            await ErrorResponses.WriteAsync(context, OpenAIError.MethodNotAllowed(context.Request.Method, "GET"));
            return;
        }

        var body = store.Current.ModelListJson;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
