using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace RightSize.Upstream.Simulator.Protocol;

/// <summary>
/// Renders an embeddings list. Each vector is derived from SHA-256 of the input text, scaled to
/// unit length: the same input always gives the same vector, different inputs almost surely differ.
/// </summary>
internal static class EmbeddingRenderer
{
    public static byte[] Render(string model, SimulatedRequest request, int bodyBytes)
        => JsonRendering.Render((model, request, bodyBytes), static (w, s) =>
        {
            var (model, request, bodyBytes) = s;
            var dimensions = request.Dimensions ?? SimulatorConstants.DefaultEmbeddingDimensions;
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            for (var i = 0; i < request.Inputs.Count; i++)
            {
                var vector = Vector(request.Inputs[i], dimensions);
                w.WriteStartObject();
                w.WriteString("object", "embedding");
                w.WriteNumber("index", i);
                if (request.Base64Embeddings)
                {
                    var bytes = new byte[vector.Length * sizeof(float)];
                    for (var j = 0; j < vector.Length; j++)
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(j * sizeof(float)), vector[j]);
                    }

                    w.WriteBase64String("embedding", bytes);
                }
                else
                {
                    w.WriteStartArray("embedding");
                    foreach (var value in vector)
                    {
                        w.WriteNumberValue(value);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("model", model);
            JsonRendering.WriteUsage(w, new TokenUsage(TokenUsage.EstimatePromptTokens(bodyBytes), 0), includeCompletion: false);
            w.WriteEndObject();
        });

    /// <summary>The deterministic unit vector for a text.</summary>
    public static float[] Vector(string text, int dimensions)
    {
        var input = Encoding.UTF8.GetBytes(text);
        var seed = new byte[input.Length + sizeof(int)];
        input.CopyTo(seed, 0);
        var vector = new float[dimensions];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        const int PerBlock = SHA256.HashSizeInBytes / sizeof(int);
        for (var block = 0; block * PerBlock < dimensions; block++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(seed.AsSpan(input.Length), block);
            SHA256.HashData(seed, hash);
            for (var k = 0; k < PerBlock && block * PerBlock + k < dimensions; k++)
            {
                var raw = BinaryPrimitives.ReadInt32LittleEndian(hash[(k * sizeof(int))..]);
                vector[block * PerBlock + k] = raw / (float)int.MaxValue;
            }
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm > 0)
        {
            for (var j = 0; j < vector.Length; j++)
            {
                vector[j] /= norm;
            }
        }

        return vector;
    }
}
