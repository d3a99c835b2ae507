namespace RightSize.OpenAI.Requests;

/// <summary>
/// The prompt tokens the parser estimates for an image, audio or file content part, whose bytes it
/// never decodes. Rough figures for token budgets (<c>Rules:LongPromptTokens</c>); where a figure
/// must guess, it guesses high, since a prompt estimated short may go to a tier whose context it
/// does not fit, and that tier's 400 is passed to the client rather than escalated.
/// </summary>
public static class MediaTokens
{
    /// <summary>An image at <c>"detail": "low"</c>: OpenAI's fixed 85 tokens.</summary>
    public const int LowDetailImage = 85;

    /// <summary>
    /// An image at <c>"detail": "high"</c>, <c>"auto"</c> or without a detail. OpenAI counts 85
    /// tokens plus 170 for each 512-pixel tile of the image scaled to fit 2048 × 2048 and then to a
    /// shortest side of 768 (GPT-4o's published rule); the gateway does not know the pixel size,
    /// so it takes OpenAI's own worked example, a 1024 × 1024 image: four tiles, 765 tokens, as for
    /// any square image of 768 pixels or more. A wide or tall image counts more (up to 1,445), a
    /// small one less. <c>auto</c> is counted as high: the provider chooses by size, and photos
    /// are large.
    /// </summary>
    public const int HighDetailImage = 765;

    /// <summary>
    /// Base64 characters of <c>input_audio.data</c> per token. OpenAI counts input audio at one
    /// token per 100 ms (its realtime cost guide); 128 kbit/s (an MP3 at a usual rate) is 1,600 bytes, 2,133 base64 characters,
    /// per 100 ms, rounded down to 2,000 so that the estimate errs high. PCM WAV is denser in bytes
    /// (16-bit mono at 24 kHz is 48,000 bytes a second), so a WAV clip is estimated up to three times
    /// its real count, the safe side.
    /// </summary>
    public const int AudioBase64CharsPerToken = 2_000;

    /// <summary>
    /// Base64 characters of <c>file.file_data</c> (a PDF) per token. OpenAI puts both the text and
    /// an image of each page into the context: about 1,000 tokens of text plus a page image
    /// (<see cref="HighDetailImage"/>), some 1,800 tokens, for a typical page of a paper of about
    /// 70 KB (93,000 base64 characters), which is about 50 characters a token. A scanned PDF (large
    /// page images, little text) is estimated high, a plain-text one (15 to 30 KB a page) up to
    /// twice low. A file sent by <c>file_id</c> has no size in the request and adds nothing.
    /// </summary>
    public const int FileBase64CharsPerToken = 50;
}
