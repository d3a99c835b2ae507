using System.Text.Json;

namespace RightSize.Upstream.Simulator.Protocol;

/// <summary>
/// Renders chat completions (<c>chat.completion</c>, <c>chat.completion.chunk</c>) and legacy text
/// completions (<c>text_completion</c>), whole or as stream chunks.
/// </summary>
internal sealed class CompletionRenderer
{
    public static CompletionRenderer Chat { get; } = new(isChat: true);

    public static CompletionRenderer Text { get; } = new(isChat: false);

    private readonly bool _isChat;

    private CompletionRenderer(bool isChat) => _isChat = isChat;

    public string IdPrefix => _isChat ? "chatcmpl-sim-" : "cmpl-sim-";

    /// <summary>The whole, non-streamed answer.</summary>
    public byte[] Whole(ResponseInfo info, Answer answer) => JsonRendering.Render((this, info, answer), static (w, s) =>
    {
        var (self, info, answer) = s;
        self.WriteHeader(w, info, chunk: false);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        if (self._isChat)
        {
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            w.WriteString("content", answer.Content);
            w.WriteNull("refusal");
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("text", answer.Content);
        }

        w.WriteNull("logprobs");
        w.WriteString("finish_reason", "stop");
        w.WriteEndObject();
        w.WriteEndArray();
        JsonRendering.WriteUsage(w, answer.Usage);
        w.WriteEndObject();
    });

    /// <summary>A content chunk; the first one of a chat stream also carries the assistant role.</summary>
    public byte[] Delta(ResponseInfo info, int index, string piece)
        => Chunk(info, index == 0, piece, finishReason: null);

    /// <summary>The chunk that ends the choice with <c>finish_reason: stop</c>.</summary>
    public byte[] Finish(ResponseInfo info) => Chunk(info, first: false, piece: null, finishReason: "stop");

    /// <summary>The final usage chunk sent when <c>stream_options.include_usage</c> is true: <c>choices: []</c>.</summary>
    public byte[] UsageChunk(ResponseInfo info, TokenUsage usage) => JsonRendering.Render((this, info, usage), static (w, s) =>
    {
        var (self, info, usage) = s;
        self.WriteHeader(w, info, chunk: true);
        w.WriteStartArray("choices");
        w.WriteEndArray();
        JsonRendering.WriteUsage(w, usage);
        w.WriteEndObject();
    });

    private byte[] Chunk(ResponseInfo info, bool first, string? piece, string? finishReason)
        => JsonRendering.Render((this, info, first, piece, finishReason), static (w, s) =>
        {
            var (self, info, first, piece, finishReason) = s;
            self.WriteHeader(w, info, chunk: true);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            if (self._isChat)
            {
                w.WriteStartObject("delta");
                if (first)
                {
                    w.WriteString("role", "assistant");
                }

                if (piece is not null)
                {
                    w.WriteString("content", piece);
                }

                w.WriteEndObject();
            }
            else
            {
                w.WriteString("text", piece ?? string.Empty);
            }

            w.WriteNull("logprobs");
            if (finishReason is null)
            {
                w.WriteNull("finish_reason");
            }
            else
            {
                w.WriteString("finish_reason", finishReason);
            }

            w.WriteEndObject();
            w.WriteEndArray();
            if (info.IncludeUsage)
            {
                w.WriteNull("usage");
            }

            w.WriteEndObject();
        });

    private void WriteHeader(Utf8JsonWriter writer, ResponseInfo info, bool chunk)
    {
        writer.WriteStartObject();
        writer.WriteString("id", info.Id);
        writer.WriteString("object", _isChat ? (chunk ? "chat.completion.chunk" : "chat.completion") : "text_completion");
        writer.WriteNumber("created", info.Created);
        writer.WriteString("model", info.Model);
        writer.WriteString("system_fingerprint", SimulatorConstants.SystemFingerprint);
    }
}
