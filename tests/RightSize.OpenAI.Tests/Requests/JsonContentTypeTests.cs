using RightSize.OpenAI.Requests;

namespace RightSize.OpenAI.Tests.Requests;

public sealed class JsonContentTypeTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json;charset=UTF-8")]
    [InlineData("APPLICATION/JSON")]
    [InlineData("application/json ")]
    [InlineData("text/json")]
    [InlineData("application/vnd.api+json")]
    public void IsAcceptable_JsonOrUndeclared_True(string? contentType) => Assert.True(JsonContentType.IsAcceptable(contentType));

    [Theory]
    [InlineData("application/jsonl")]
    [InlineData("application/json-seq")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("text/vnd+json")]
    [InlineData("not a media type")]
    public void IsAcceptable_AnythingElse_False(string contentType) => Assert.False(JsonContentType.IsAcceptable(contentType));
}
