using System.Text;
using System.Text.Json;

namespace RightSize.Upstream.Simulator.Protocol;

/// <summary>Reads the few fields the simulator needs from a request body.</summary>
internal static class RequestParser
{
    public static SimulatedRequest Parse(SimulatorOperation operation, ReadOnlyMemory<byte> body)
    {
        if (operation is not (SimulatorOperation.ChatCompletions or SimulatorOperation.Completions or SimulatorOperation.Embeddings))
        {
            return SimulatedRequest.Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return JsonStringValidator.FindInvalidString(body.Span) is { } reason
                ? Unparsable(reason)
                : Read(operation, document.RootElement);
        }
        catch (JsonException ex)
        {
            return Unparsable(ex.Message);
        }
    }

    private static SimulatedRequest Unparsable(string reason) => new()
    {
        Error = ApiError.BadRequest($"We could not parse the JSON body of your request ({reason}). The simulator expects a JSON object."),
    };

    private static SimulatedRequest Read(SimulatorOperation operation, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new SimulatedRequest { Error = ApiError.BadRequest("The request body must be a JSON object.") };
        }

        var model = root.TryGetProperty("model", out var modelElement) && modelElement.ValueKind == JsonValueKind.String
            ? modelElement.GetString()
            : null;
        var stream = root.TryGetProperty("stream", out var streamElement) && streamElement.ValueKind == JsonValueKind.True;
        var includeUsage = root.TryGetProperty("stream_options", out var options)
            && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("include_usage", out var include)
            && include.ValueKind == JsonValueKind.True;
        var request = new SimulatedRequest { Model = model, Stream = stream, IncludeUsage = includeUsage };

        if (string.IsNullOrEmpty(model))
        {
            return request with { Error = ApiError.BadRequest("You must provide a model parameter.", "model") };
        }

        return operation switch
        {
            SimulatorOperation.ChatCompletions => ReadChat(root, request),
            SimulatorOperation.Completions => ReadCompletion(root, request),
            _ => ReadEmbeddings(root, request with { Stream = false }),
        };
    }

    private static SimulatedRequest ReadChat(JsonElement root, SimulatedRequest request)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            return request with { Error = ApiError.BadRequest("'messages' must be a non-empty array.", "messages") };
        }

        string? lastUser = null;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object
                && message.TryGetProperty("role", out var role)
                && role.ValueKind == JsonValueKind.String
                && role.ValueEquals("user")
                && message.TryGetProperty("content", out var content))
            {
                lastUser = ContentText(content);
            }
        }

        return request with { PromptText = lastUser };
    }

    private static SimulatedRequest ReadCompletion(JsonElement root, SimulatedRequest request)
    {
        if (!root.TryGetProperty("prompt", out var prompt))
        {
            return request with { Error = ApiError.BadRequest("'prompt' is required.", "prompt") };
        }

        var text = prompt.ValueKind switch
        {
            JsonValueKind.String => prompt.GetString(),
            JsonValueKind.Array => prompt.EnumerateArray().Select(p => p.ValueKind == JsonValueKind.String ? p.GetString() : null).LastOrDefault(p => p is not null),
            _ => null,
        };
        return request with { PromptText = text };
    }

    private static SimulatedRequest ReadEmbeddings(JsonElement root, SimulatedRequest request)
    {
        if (!root.TryGetProperty("input", out var input))
        {
            return request with { Error = ApiError.BadRequest("'input' is required.", "input") };
        }

        if (EmbeddingInputs(input) is not { } inputs)
        {
            return request with
            {
                Error = ApiError.BadRequest(
                    "'input' must be a string, an array of tokens, or a non-empty array of strings or of token arrays.",
                    "input"),
            };
        }

        var base64 = root.TryGetProperty("encoding_format", out var format) && format.ValueKind == JsonValueKind.String && format.ValueEquals("base64");
        int? dimensions = root.TryGetProperty("dimensions", out var dims) && dims.ValueKind == JsonValueKind.Number && dims.TryGetInt32(out var d) ? d : null;
        if (dimensions is < 1 or > SimulatorConstants.MaxEmbeddingDimensions)
        {
            return request with { Error = ApiError.BadRequest($"'dimensions' must be from 1 to {SimulatorConstants.MaxEmbeddingDimensions}.", "dimensions") };
        }

        return request with { Inputs = inputs, Base64Embeddings = base64, Dimensions = dimensions };
    }

    /// <summary>
    /// The texts to embed, as OpenAI reads <c>input</c>: a string or an array of tokens is one input;
    /// an array of strings or of token arrays is one input each. Null when it is none of these.
    /// </summary>
    private static List<string>? EmbeddingInputs(JsonElement input)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            return [input.GetString()!];
        }

        if (input.ValueKind != JsonValueKind.Array || input.GetArrayLength() == 0)
        {
            return null;
        }

        if (IsTokenArray(input))
        {
            return [input.GetRawText()];
        }

        var inputs = new List<string>(input.GetArrayLength());
        foreach (var item in input.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                inputs.Add(item.GetString()!);
            }
            else if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() > 0 && IsTokenArray(item))
            {
                inputs.Add(item.GetRawText());
            }
            else
            {
                return null;
            }
        }

        return inputs;
    }

    private static bool IsTokenArray(JsonElement array)
        => array.EnumerateArray().All(static token => token.ValueKind == JsonValueKind.Number && token.TryGetInt32(out var id) && id >= 0);

    private static string? ContentText(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object
                && part.TryGetProperty("text", out var text)
                && text.ValueKind == JsonValueKind.String)
            {
                builder.Append(builder.Length == 0 ? string.Empty : " ").Append(text.GetString());
            }
        }

        return builder.ToString();
    }
}
