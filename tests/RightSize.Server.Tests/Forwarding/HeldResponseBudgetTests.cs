using RightSize.Server.Forwarding;

namespace RightSize.Server.Tests.Forwarding;

public class HeldResponseBudgetTests
{
    [Fact]
    public void TryTake_AllOrNothing_AndReturnedBytesCanBeTakenAgain()
    {
        var budget = new HeldResponseBudget(100);

        Assert.True(budget.TryTake(60));
        Assert.False(budget.TryTake(50)); // 40 left: nothing is taken
        Assert.Equal(40, budget.Available);
        budget.Return(60);

        Assert.True(budget.TryTake(100));
        Assert.Equal(0, budget.Available);
    }

    [Fact]
    public void TryTake_FromManyThreads_NeverTakesMoreThanTheBudget()
    {
        var budget = new HeldResponseBudget(10_000);
        var taken = 0;

        Parallel.For(0, 40_000, _ =>
        {
            if (budget.TryTake(1)) Interlocked.Increment(ref taken);
        });

        Assert.Equal(10_000, taken);
        Assert.Equal(0, budget.Available);
    }
}
