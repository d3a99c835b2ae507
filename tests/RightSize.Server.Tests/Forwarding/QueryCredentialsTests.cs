using Microsoft.AspNetCore.Http;
using RightSize.Server.Forwarding;

namespace RightSize.Server.Tests.Forwarding;

public class QueryCredentialsTests
{
    [Theory]
    [InlineData("?api-key=sk-1", "")]
    [InlineData("?api-version=2024-10-21&api-key=sk-1", "?api-version=2024-10-21")]
    [InlineData("?KEY=a&x=%20y&access_token=t&api%2Dkey=b", "?x=%20y")]
    [InlineData("?keyword=k&monkey=m&x", "?keyword=k&monkey=m&x")]
    [InlineData("?api_key", "")]
    [InlineData("?ApiKey=sk-1&v=1", "?v=1")]
    [InlineData("?subscription-key=apim&v=1", "?v=1")] // Azure API Management
    [InlineData("?CODE=func&v=1", "?v=1")] // Azure Functions
    public void Remove_DropsCredentialParametersAndKeepsTheRestAsSent(string query, string expected)
    {
        Assert.Equal(expected, QueryCredentials.Remove(new QueryString(query)).Value ?? string.Empty);
    }

    [Fact]
    public void Remove_EachNameAlone_IsRemovedAndMasked()
    {
        foreach (var name in QueryCredentials.Names)
        {
            Assert.Equal("?v=1", QueryCredentials.Remove(new QueryString($"?{name}=s3cret&v=1")).Value);
            Assert.Equal($"?{name}=***&v=1", QueryCredentials.Mask($"?{name}=s3cret&v=1", "***"));
        }
    }

    [Fact]
    public void Remove_NoQuery_StaysEmpty()
    {
        Assert.False(QueryCredentials.Remove(QueryString.Empty).HasValue);
    }

    [Theory]
    [InlineData("http://h/v1/chat/completions?api-key=sk-1&v=2", "http://h/v1/chat/completions?api-key=***&v=2")]
    [InlineData("?token=abc#frag", "?token=***#frag")]
    [InlineData("/v1/chat/completions?code=func&api-version=1", "/v1/chat/completions?code=***&api-version=1")]
    [InlineData("POST /v1/x?a=1&Key=s3cret HTTP/1.1", "POST /v1/x?a=1&Key=*** HTTP/1.1")]
    public void Mask_ReplacesCredentialValues(string text, string expected)
    {
        Assert.Equal(expected, QueryCredentials.Mask(text, "***"));
    }

    [Theory]
    [InlineData("/v1/chat/completions?api-version=1")]
    [InlineData("the key is not in a query")]
    [InlineData("?keyword=x")]
    public void Mask_NoCredential_ReturnsNull(string text)
    {
        Assert.Null(QueryCredentials.Mask(text, "***"));
    }
}
