using System.Buffers;
using System.Text;
using System.Text.Json;
using RightSize.OpenAI.Errors;

namespace RightSize.OpenAI.Tests.Errors;

public class OpenAIErrorWriterTests
{
    private static byte[] Written(OpenAIError error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        OpenAIErrorWriter.Write(error, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Write_InvalidRequestWithParam_HasOpenAIShape()
    {
        var error = OpenAIError.InvalidRequest("'messages[2].role' must be a string.", "messages[2].role");

        var json = Encoding.UTF8.GetString(Written(error));

        Assert.Equal("""{"error":{"message":"'messages[2].role' must be a string.","type":"invalid_request_error","param":"messages[2].role","code":null}}""", json);
    }

    [Fact]
    public void Write_MessageNeedingEscapes_ParsesBackToSameFields()
    {
        var error = OpenAIError.ModelNotFound("we\"ird\\\n</script>é");

        using var document = JsonDocument.Parse(Written(error));

        var body = document.RootElement.GetProperty("error");
        Assert.Single(document.RootElement.EnumerateObject());
        Assert.Equal(error.Message, body.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", body.GetProperty("type").GetString());
        Assert.Equal("model", body.GetProperty("param").GetString());
        Assert.Equal("model_not_found", body.GetProperty("code").GetString());
    }

    [Fact]
    public void WriteSseEvent_UpstreamError_IsOneDataEventCarryingTheErrorObject()
    {
        var buffer = new ArrayBufferWriter<byte>();

        OpenAIErrorWriter.WriteSseEvent(OpenAIError.UpstreamError(), buffer);

        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.StartsWith("data: {\"error\":{", text);
        Assert.EndsWith("}}\n\n", text);
        using var document = JsonDocument.Parse(text["data: ".Length..^2]);
        var body = document.RootElement.GetProperty("error");
        Assert.Equal("server_error", body.GetProperty("type").GetString());
        Assert.Equal("upstream_error", body.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("param").ValueKind);
        Assert.Equal(text, Encoding.UTF8.GetString(OpenAIErrorWriter.ToSseEventBytes(OpenAIError.UpstreamError())));
    }

    public static TheoryData<OpenAIError, int, string, string?> Factories => new()
    {
        { OpenAIError.InvalidJson("bad"), 400, "invalid_request_error", "invalid_json" },
        { OpenAIError.ModelNotFound("m"), 404, "invalid_request_error", "model_not_found" },
        { OpenAIError.RouteNotFound("r"), 404, "invalid_request_error", "route_not_found" },
        { OpenAIError.UnknownUrl("GET", "/v1/nope"), 404, "invalid_request_error", "unknown_url" },
        { OpenAIError.RequestTooLarge(1_048_576), 413, "invalid_request_error", "request_too_large" },
        { OpenAIError.MethodNotAllowed("GET", "POST"), 405, "invalid_request_error", "method_not_allowed" },
        { OpenAIError.OriginNotAllowed(), 403, "invalid_request_error", "origin_not_allowed" },
        { OpenAIError.UnsupportedMediaType(), 415, "invalid_request_error", "unsupported_media_type" },
        { OpenAIError.UnsupportedContentEncoding(), 415, "invalid_request_error", "unsupported_media_type" },
        { OpenAIError.UpstreamError(), 502, "server_error", "upstream_error" },
        { OpenAIError.UpstreamUnavailable(), 503, "server_error", "upstream_unavailable" },
        { OpenAIError.UpstreamTimeout(), 504, "server_error", "upstream_timeout" },
        { OpenAIError.InternalError(), 500, "server_error", "internal_error" },
    };

    [Theory]
    [MemberData(nameof(Factories))]
    public void Factory_EachCase_HasStatusTypeAndCode(OpenAIError error, int status, string type, string? code)
    {
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(type, error.Type);
        Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Factory_LongEchoedValue_IsTruncated()
    {
        var error = OpenAIError.ModelNotFound(new string('m', 10_000));

        Assert.True(error.Message.Length < OpenAIError.MaxEchoLength + 64);
        Assert.Contains("1048576", OpenAIError.RequestTooLarge(1_048_576).Message);
    }
}
