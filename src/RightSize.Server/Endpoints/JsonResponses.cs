using Microsoft.AspNetCore.Http;

namespace RightSize.Server.Endpoints;

/// <summary>Writes the gateway's own JSON answers (models, health, dry run) with their exact length.</summary>
internal static class JsonResponses
{
    private static readonly byte[] Ok = """{"status":"ok"}"""u8.ToArray();

    /// <summary><c>{"status":"ok"}</c>, the answer of a process that runs.</summary>
    public static Task WriteOkAsync(HttpContext context) => WriteAsync(context, Ok);

    public static async Task WriteAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
