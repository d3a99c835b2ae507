using System.Buffers;
using RightSize.OpenAI.Rewriting;

namespace RightSize.OpenAI.Tests.Rewriting;

internal static class RewriterTestSupport
{
    /// <summary><see cref="RequestBodyRewriter.Rewrite(ReadOnlySpan{byte}, string, bool, IBufferWriter{byte})"/> into a new array.</summary>
    public static byte[] RewriteToArray(ReadOnlySpan<byte> body, string model, bool ensureIncludeUsage, out RewriteResult result)
    {
        var buffer = new ArrayBufferWriter<byte>(body.Length + 64);
        result = RequestBodyRewriter.Rewrite(body, model, ensureIncludeUsage, buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
