using RightSize.Features.Text;
using RightSize.OpenAI.Chat;

namespace RightSize.Features;

/// <summary>The named structural slots (see <see cref="StructuralSlot"/>).</summary>
public sealed partial class FeatureExtractor
{
    private const float LogScale = 0.1f; // ln(1 + x) * 0.1: 1.0 at about 22,000

    private static float Log(int x) => MathF.Log(1f + Math.Max(0, x)) * LogScale;

    private static float Share(int part, int whole) => whole <= 0 ? 0f : Math.Min(1f, (float)part / whole);

    private static void FillStructural(ChatPrompt prompt, int lastUser, string lastText, int tailChars, in WordStats words, in TextStats text, Span<float> s)
    {
        var turns = prompt.Turns;
        s[(int)StructuralSlot.Bias] = 1f;

        var length = lastText.Length;
        s[(int)StructuralSlot.LastUserLogChars] = Log(length);
        s[(int)LengthBucket(length)] = 1f;
        s[(int)StructuralSlot.LastUserLogWords] = Log(words.Words);

        long total = 0;
        int users = 0, assistants = 0, tools = 0, systemChars = 0;
        var hasSystem = false;
        for (var i = 0; i < turns.Count; i++)
        {
            var turn = turns[i];
            var chars = turn.Text?.Length ?? 0;
            total += chars;
            if (IsSystem(turn.Role))
            {
                hasSystem = true;
                systemChars += chars;
            }
            else if (string.Equals(turn.Role, ChatRoles.User, StringComparison.OrdinalIgnoreCase)) users++;
            else if (string.Equals(turn.Role, ChatRoles.Assistant, StringComparison.OrdinalIgnoreCase)) assistants++;
            else tools++;
        }

        s[(int)StructuralSlot.ConversationLogChars] = Log((int)Math.Min(int.MaxValue, total));
        var count = turns.Count;
        s[(int)StructuralSlot.TurnsLog] = Log(count);
        if (count > 0)
        {
            s[(int)(count switch { 1 => StructuralSlot.Turns1, 2 => StructuralSlot.Turns2, <= 4 => StructuralSlot.Turns3To4, _ => StructuralSlot.Turns5Plus })] = 1f;
        }

        s[(int)StructuralSlot.UserTurnsLog] = Log(users);
        s[(int)StructuralSlot.AssistantTurnsLog] = Log(assistants);
        s[(int)StructuralSlot.HasToolTurns] = tools > 0 ? 1f : 0f;
        s[(int)StructuralSlot.HasHistory] = users + assistants + tools > 1 ? 1f : 0f;
        s[(int)StructuralSlot.EndsWithUserTurn] = count > 0 && lastUser == count - 1 ? 1f : 0f;
        s[(int)StructuralSlot.HasSystem] = hasSystem ? 1f : 0f;
        s[(int)StructuralSlot.SystemLogChars] = Log(systemChars);

        var scanned = text.Chars;
        s[(int)StructuralSlot.DigitShare] = Share(text.Digits, scanned);
        s[(int)StructuralSlot.UpperShare] = Share(text.Upper, scanned);
        s[(int)StructuralSlot.NonAsciiShare] = Share(text.NonAscii, scanned);
        s[(int)StructuralSlot.PunctuationShare] = Share(text.Punctuation, scanned);
        s[(int)StructuralSlot.LinesLog] = Log(text.Lines);
        s[(int)StructuralSlot.NumbersLog] = Log(words.Numbers);
        s[(int)StructuralSlot.AvgWordLength] = words.Words == 0 ? 0f : Math.Min(2f, (float)words.WordChars / words.Words * 0.1f);
        s[(int)StructuralSlot.LongWordShare] = Share(words.LongWords, words.Words);

        s[(int)StructuralSlot.MathSymbolShare] = Math.Min(1f, Share(text.MathSymbols, scanned) * 10f);
        s[(int)StructuralSlot.LatexCommandsLog] = Log(text.LatexCommands);
        s[(int)StructuralSlot.HasDollar] = text.Dollars > 0 ? 1f : 0f;
        s[(int)StructuralSlot.HasCodeFence] = text.CodeFences > 0 ? 1f : 0f;
        s[(int)StructuralSlot.CodeFencesLog] = Log(text.CodeFences);
        s[(int)StructuralSlot.InlineCodeLog] = Log(text.InlineCode);
        s[(int)StructuralSlot.CodeCharShare] = Math.Min(1f, Share(text.CodeChars, scanned) * 10f);
        s[(int)StructuralSlot.HasIndentedCode] = text.IndentedLines >= 2 ? 1f : 0f;

        s[(int)StructuralSlot.ListItemsLog] = Log(text.ListItems);
        var options = text.OptionCount;
        s[(int)StructuralSlot.HasOptions] = options >= 2 ? 1f : 0f;
        s[(int)StructuralSlot.ManyOptions] = options >= 5 ? 1f : 0f;
        s[(int)StructuralSlot.OptionCount] = options * 0.1f;

        s[(int)StructuralSlot.QuestionMarksLog] = Log(text.QuestionMarks);
        var last = LastVisibleChar(lastText, tailChars);
        s[(int)StructuralSlot.EndsWithQuestion] = last == '?' ? 1f : 0f;
        s[(int)StructuralSlot.StartsWithQuestionWord] = words.StartsWithQuestionWord ? 1f : 0f;
        s[(int)StructuralSlot.EndsWithAnswerCue] = last == ':' ? 1f : 0f;

        s[(int)StructuralSlot.ReasoningMarkersLog] = Log(words.Reasoning);
        s[(int)StructuralSlot.MathMarkersLog] = Log(words.Math);
        s[(int)StructuralSlot.CodeMarkersLog] = Log(words.Code);
        s[(int)StructuralSlot.CreativeMarkersLog] = Log(words.Creative);
        s[(int)StructuralSlot.SimpleMarkersLog] = Log(words.Simple);
        s[(int)StructuralSlot.StepByStep] = words.StepByStep > 0 ? 1f : 0f;
        s[(int)StructuralSlot.HasUrl] = text.Urls > 0 ? 1f : 0f;

        s[(int)StructuralSlot.HasTools] = prompt.ToolCount > 0 ? 1f : 0f;
        s[(int)StructuralSlot.ToolsLog] = Log(prompt.ToolCount);
        FillResponseFormat(prompt.ResponseFormatType, s);
        FillMaxTokens(prompt.MaxTokens, s);
    }

    /// <summary>
    /// The last character that is not white space, looked for in the structural scan's tail only
    /// (the last <paramref name="tailChars"/> characters), so that a prompt padded with megabytes of
    /// white space costs no more than any other; '\0' when that tail is blank.
    /// </summary>
    private static char LastVisibleChar(string text, int tailChars)
    {
        var trimmed = text.AsSpan(Math.Max(0, text.Length - tailChars)).TrimEnd();
        return trimmed.Length > 0 ? trimmed[^1] : '\0';
    }

    private static StructuralSlot LengthBucket(int length) => length switch
    {
        < 64 => StructuralSlot.LastUserLen64,
        < 128 => StructuralSlot.LastUserLen128,
        < 256 => StructuralSlot.LastUserLen256,
        < 512 => StructuralSlot.LastUserLen512,
        < 1024 => StructuralSlot.LastUserLen1K,
        < 2048 => StructuralSlot.LastUserLen2K,
        < 4096 => StructuralSlot.LastUserLen4K,
        < 8192 => StructuralSlot.LastUserLen8K,
        _ => StructuralSlot.LastUserLenHuge,
    };

    private static void FillResponseFormat(string? type, Span<float> s)
    {
        if (string.IsNullOrEmpty(type)) return;
        var slot = type switch
        {
            _ when type.Equals("text", StringComparison.OrdinalIgnoreCase) => StructuralSlot.ResponseFormatText,
            _ when type.Equals("json_object", StringComparison.OrdinalIgnoreCase) => StructuralSlot.ResponseFormatJsonObject,
            _ when type.Equals("json_schema", StringComparison.OrdinalIgnoreCase) => StructuralSlot.ResponseFormatJsonSchema,
            _ => StructuralSlot.ResponseFormatOther,
        };
        s[(int)slot] = 1f;
    }

    private static void FillMaxTokens(int? maxTokens, Span<float> s)
    {
        if (maxTokens is not { } max || max <= 0) return;
        s[(int)StructuralSlot.HasMaxTokens] = 1f;
        s[(int)StructuralSlot.MaxTokensLog] = Log(max);
        s[(int)(max switch
        {
            <= 256 => StructuralSlot.MaxTokensUpTo256,
            <= 1024 => StructuralSlot.MaxTokensUpTo1K,
            <= 4096 => StructuralSlot.MaxTokensUpTo4K,
            _ => StructuralSlot.MaxTokensOver4K,
        })] = 1f;
    }
}
