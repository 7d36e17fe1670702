namespace Sockeye.Chat.Tests.Cluster;

/// <summary>
/// The cluster suites each start PostgreSQL, Redis, three chat processes and nginx: they run one at a time, so that a
/// 2-core machine stays responsive and their timeouts stay meaningful.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollectionDefinition
{
    public const string Name = "Chat cluster";
}
