using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RightSize.OpenAI.Errors;
using RightSize.Server.Forwarding;

namespace RightSize.Server.Hosting;

public static class RightSizeApplicationBuilderExtensions
{
    /// <summary>
    /// The last line of defence: an exception nothing else handled becomes OpenAI's 500
    /// <c>internal_error</c> (no exception text reaches the client), not an empty 500 the SDKs
    /// cannot read. ASP.NET Core's exception handler logs the exception; a response that had
    /// already started is aborted as before. Add it before <see cref="RightSizeEndpointRouteBuilderExtensions.MapRightSize"/>.
    /// </summary>
    public static IApplicationBuilder UseRightSizeErrors(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => ErrorResponses.WriteAsync(context, OpenAIError.InternalError()),
        });
    }
}
