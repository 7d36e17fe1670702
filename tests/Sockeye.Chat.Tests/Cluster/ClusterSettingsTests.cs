using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Sockeye.Chat.Cluster;
using Sockeye.Chat.Configuration;
using StackExchange.Redis;

namespace Sockeye.Chat.Tests.Cluster;

public sealed class ClusterSettingsTests
{
    [Fact]
    public void Without_REDIS_URL_there_is_no_cluster()
    {
        Assert.Null(Read(new() { ["REDIS_URL"] = "" }));
    }

    [Fact]
    public void The_instance_timeout_defaults_to_10_seconds_with_a_heartbeat_every_2()
    {
        var settings = Read(new() { ["REDIS_URL"] = "redis://cache:6379" })!;

        Assert.Equal(TimeSpan.FromSeconds(10), settings.InstanceTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromHours(24), settings.DeduplicationWindow);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100")]
    [InlineData("ten")]
    public void An_instance_timeout_below_half_a_second_or_not_a_number_is_refused(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(new() { ["REDIS_URL"] = "redis://cache", ["CLUSTER_INSTANCE_TIMEOUT_MS"] = value }));
        Assert.Contains("CLUSTER_INSTANCE_TIMEOUT_MS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_redis_url_gives_host_port_credentials_and_database()
    {
        var options = RedisUrl.Parse("redis://app:s%3Acret@cache.internal:6380/2");

        var endpoint = Assert.IsType<DnsEndPoint>(Assert.Single(options.EndPoints));
        Assert.Equal(("cache.internal", 6380), (endpoint.Host, endpoint.Port));
        Assert.Equal("app", options.User);
        Assert.Equal("s:cret", options.Password);
        Assert.Equal(2, options.DefaultDatabase);
        Assert.False(options.Ssl);
    }

    [Fact]
    public void A_rediss_url_with_only_a_password_uses_tls_and_the_default_port()
    {
        var options = RedisUrl.Parse("rediss://:secret@cache");

        Assert.True(options.Ssl);
        Assert.Null(options.User);
        Assert.Equal("secret", options.Password);
        Assert.Equal(6379, Assert.IsType<DnsEndPoint>(Assert.Single(options.EndPoints)).Port);
    }

    [Fact]
    public void A_configuration_string_is_read_as_StackExchange_Redis_reads_it_and_never_waits_for_Redis()
    {
        var options = RedisUrl.Parse("cache:7000,password=pw");

        Assert.Equal("pw", options.Password);
        Assert.False(options.AbortOnConnectFail);
        Assert.Equal(BacklogPolicy.FailFast, options.BacklogPolicy);
    }

    private static ClusterSettings? Read(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var environment = new HostingEnvironment { EnvironmentName = Environments.Production };
        return ClusterSettings.From(configuration, ChatSettings.From(configuration, environment));
    }
}
