namespace RightSize.OpenAI.Requests;

/// <summary>The endpoint whose body is being parsed; it decides which fields are read and required.</summary>
internal enum RequestKind
{
    Chat,
    Completion,
    Embeddings,
}
