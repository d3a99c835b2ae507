using Microsoft.AspNetCore.Http;
using RightSize.OpenAI.Errors;
using RightSize.Server.Buffers;

namespace RightSize.Server.Forwarding;

/// <summary>Writes an OpenAI-shaped error as the whole response.</summary>
public static class ErrorResponses
{
    public static async Task WriteAsync(HttpContext context, OpenAIError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        var response = context.Response;
        if (response.HasStarted) return;
        response.StatusCode = error.StatusCode;
        response.ContentType = OpenAIErrorWriter.ContentType;
        response.Headers.ContentLength = null;
        using var buffer = new PooledBuffer(512);
        OpenAIErrorWriter.Write(error, buffer);
        response.ContentLength = buffer.Count;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }
}
