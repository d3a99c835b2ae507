namespace RightSize.Upstream.Simulator;

public static class Program
{
    public static int Main() => 0;
}
