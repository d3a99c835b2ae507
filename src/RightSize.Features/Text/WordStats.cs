using System.Runtime.CompilerServices;

namespace RightSize.Features.Text;

/// <summary>Counts gathered while hashing the words of the last user message.</summary>
internal struct WordStats
{
    public int Words;
    public int WordChars;
    public int LongWords;
    public int Numbers;
    public int Reasoning;
    public int Math;
    public int Code;
    public int Creative;
    public int Simple;
    public int StepByStep;
    public bool StartsWithQuestionWord;
    public bool SeenFirstWord;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Count(MarkerCategory category)
    {
        switch (category)
        {
            case MarkerCategory.Reasoning: Reasoning++; break;
            case MarkerCategory.Math: Math++; break;
            case MarkerCategory.Code: Code++; break;
            case MarkerCategory.Creative: Creative++; break;
            case MarkerCategory.Simple: Simple++; break;
            case MarkerCategory.StepByStep: StepByStep++; break;
            default: break;
        }
    }
}
