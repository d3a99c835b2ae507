using System.Text.Json.Serialization;

namespace RightSize.Classification.Models;

/// <summary>Compact, one object per line, for <c>golden.jsonl</c>.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(GoldenVector))]
internal sealed partial class GoldenVectorJsonContext : JsonSerializerContext;
