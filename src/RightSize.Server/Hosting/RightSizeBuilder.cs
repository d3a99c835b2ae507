using Microsoft.Extensions.DependencyInjection;

namespace RightSize.Server.Hosting;

/// <summary>Returned by <c>AddRightSize</c> for further configuration of the gateway's services.</summary>
public sealed class RightSizeBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;
}
