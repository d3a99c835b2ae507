using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>
/// Reads the block-style YAML that kustomize emits and that deploy/k8s is written in (mappings,
/// sequences, plain and quoted scalars, <c>|</c> literal blocks, comments, <c>---</c> documents)
/// into JSON nodes. Not a general YAML parser: anchors, tags and flow collections beyond
/// <c>[]</c>, <c>{}</c> and <c>[a, b]</c> are rejected.
/// </summary>
public static class MiniYaml
{
    public static IReadOnlyList<JsonNode> ParseDocuments(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var documents = new List<JsonNode>();
        var current = new List<string>();
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.TrimEnd() == "---")
            {
                Add(documents, current);
                current = [];
            }
            else
            {
                current.Add(line);
            }
        }

        Add(documents, current);
        return documents;
    }

    private static void Add(List<JsonNode> documents, List<string> lines)
    {
        var node = new Parser(lines).ParseDocument();
        if (node is not null) documents.Add(node);
    }

    private sealed class Parser(List<string> lines)
    {
        private int _position;

        public JsonNode? ParseDocument()
        {
            if (!SkipTrivia()) return null;
            var node = ParseBlock(Indent(lines[_position]));
            if (SkipTrivia()) throw new FormatException($"Unexpected YAML at line {_position + 1}: '{lines[_position]}'.");
            return node;
        }

        private JsonNode ParseBlock(int indent) => IsItem(Content(lines[_position])) ? ParseSequence(indent) : ParseMapping(indent);

        private JsonArray ParseSequence(int indent)
        {
            var array = new JsonArray();
            while (SkipTrivia() && Indent(lines[_position]) == indent && IsItem(Content(lines[_position])))
            {
                var rest = Content(lines[_position])[1..];
                var offset = rest.Length - rest.TrimStart().Length + 1;
                rest = rest.TrimStart();
                if (rest.Length == 0)
                {
                    _position++;
                    array.Add(SkipTrivia() && Indent(lines[_position]) > indent ? ParseBlock(Indent(lines[_position])) : null);
                }
                else if (IsItem(rest) || FindKeySeparator(rest) >= 0)
                {
                    // "- key: value" opens a mapping whose further keys sit under "key".
                    lines[_position] = new string(' ', indent + offset) + rest;
                    array.Add(ParseBlock(indent + offset));
                }
                else
                {
                    _position++;
                    array.Add(Scalar(rest));
                }
            }

            return array;
        }

        private JsonObject ParseMapping(int indent)
        {
            var map = new JsonObject();
            while (SkipTrivia() && Indent(lines[_position]) == indent && !IsItem(Content(lines[_position])))
            {
                var content = Content(lines[_position]);
                var separator = FindKeySeparator(content);
                if (separator < 0) throw new FormatException($"Expected 'key: value' at line {_position + 1}: '{content}'.");
                var key = Unquote(content[..separator].Trim());
                var value = content[(separator + 1)..].Trim();
                _position++;
                if (value.StartsWith('|') || value.StartsWith('>'))
                {
                    map[key] = BlockScalar(indent, value);
                }
                else if (value.Length == 0 || value.StartsWith('#'))
                {
                    var nested = SkipTrivia() && (Indent(lines[_position]) > indent || (Indent(lines[_position]) == indent && IsItem(Content(lines[_position]))));
                    map[key] = nested ? ParseBlock(Indent(lines[_position])) : null;
                }
                else
                {
                    map[key] = Scalar(value);
                }
            }

            return map;
        }

        private JsonValue BlockScalar(int parentIndent, string header)
        {
            var block = new List<string>();
            while (_position < lines.Count && (lines[_position].Trim().Length == 0 || Indent(lines[_position]) > parentIndent))
            {
                block.Add(lines[_position]);
                _position++;
            }

            while (block.Count > 0 && block[^1].Trim().Length == 0) block.RemoveAt(block.Count - 1);
            var blockIndent = block.Where(l => l.Trim().Length > 0).Select(Indent).DefaultIfEmpty(0).Min();
            var text = new StringBuilder();
            foreach (var line in block) text.Append(line.Length >= blockIndent ? line[blockIndent..] : string.Empty).Append('\n');
            var result = text.ToString();
            if (header.StartsWith('>')) throw new FormatException("Folded block scalars are not supported.");
            if (header.Contains('-', StringComparison.Ordinal)) result = result.TrimEnd('\n');
            return JsonValue.Create(result);
        }

        private bool SkipTrivia()
        {
            while (_position < lines.Count && (lines[_position].Trim().Length == 0 || lines[_position].TrimStart().StartsWith('#'))) _position++;
            return _position < lines.Count;
        }

        private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

        private static string Content(string line) => line.Trim();

        private static bool IsItem(string content) => content == "-" || content.StartsWith("- ", StringComparison.Ordinal);

        private static int FindKeySeparator(string content)
        {
            var quote = '\0';
            for (var i = 0; i < content.Length; i++)
            {
                var c = content[i];
                if (quote != '\0')
                {
                    if (c == quote) quote = '\0';
                }
                else if (i == 0 && c is '"' or '\'')
                {
                    quote = c;
                }
                else if (c == ':' && (i + 1 == content.Length || content[i + 1] == ' '))
                {
                    return i;
                }
                else if (c == '#' && i > 0 && content[i - 1] == ' ')
                {
                    return -1;
                }
            }

            return -1;
        }

        private static JsonNode? Scalar(string text)
        {
            if (text.StartsWith('"') || text.StartsWith('\'')) return JsonValue.Create(Unquote(text));
            var comment = text.IndexOf(" #", StringComparison.Ordinal);
            if (comment >= 0) text = text[..comment].TrimEnd();
            if (text.StartsWith('[') && text.EndsWith(']'))
            {
                var array = new JsonArray();
                foreach (var item in text[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) array.Add(Scalar(item));
                return array;
            }

            if (text == "{}") return new JsonObject();
            if (text.StartsWith('{') || text.StartsWith('&') || text.StartsWith('*') || text.StartsWith('!')) throw new FormatException($"Unsupported YAML scalar '{text}'.");
            return text switch
            {
                "null" or "~" => null,
                "true" => JsonValue.Create(true),
                "false" => JsonValue.Create(false),
                _ when int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
                _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
                _ => JsonValue.Create(text),
            };
        }

        private static string Unquote(string text)
        {
            if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'') return text[1..^1].Replace("''", "'", StringComparison.Ordinal);
            if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
            {
                var inner = text[1..^1];
                var result = new StringBuilder(inner.Length);
                for (var i = 0; i < inner.Length; i++)
                {
                    if (inner[i] == '\\' && i + 1 < inner.Length)
                    {
                        i++;
                        result.Append(inner[i] switch { 'n' => '\n', 't' => '\t', _ => inner[i] });
                    }
                    else
                    {
                        result.Append(inner[i]);
                    }
                }

                return result.ToString();
            }

            return text;
        }
    }
}
