using System.Text;
using RightSize.OpenAI.Errors;
using RightSize.OpenAI.Requests;

namespace RightSize.OpenAI.Tests.Requests;

internal static class ParserAssert
{
    public static ParsedRequest Chat(string json)
    {
        var ok = OpenAIRequestParser.TryParseChat(Encoding.UTF8.GetBytes(json), out var request, out var error);
        Assert.True(ok, error?.Message);
        Assert.Null(error);
        return request!;
    }

    public static OpenAIError ChatError(string json) => ChatError(Encoding.UTF8.GetBytes(json));

    public static OpenAIError ChatError(byte[] body)
    {
        var ok = OpenAIRequestParser.TryParseChat(body, out var request, out var error);
        Assert.False(ok);
        Assert.Null(request);
        Assert.NotNull(error);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(OpenAIErrorTypes.InvalidRequest, error.Type);
        return error;
    }
}
