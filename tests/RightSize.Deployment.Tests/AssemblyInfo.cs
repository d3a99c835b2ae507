using RightSize.Deployment.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(PublishedGateway))]
