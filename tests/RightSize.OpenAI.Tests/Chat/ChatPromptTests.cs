using RightSize.OpenAI.Chat;

namespace RightSize.OpenAI.Tests.Chat;

public class ChatPromptTests
{
    [Fact]
    public void FromUserText_SingleMessage_HasOneUserTurn()
    {
        var prompt = ChatPrompt.FromUserText("hi");
        Assert.Equal(new ChatTurn("user", "hi"), Assert.Single(prompt.Turns));
    }
}
