using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sockeye.Tests.Infrastructure;

/// <summary>A real Kestrel server on a free loopback port, started for one test and stopped after it.</summary>
public sealed class TestHost : IAsyncDisposable
{
    private TestHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<TestHost> StartAsync(Action<IServiceCollection> services, Action<WebApplication> map, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        services(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestHost(app, new Uri(address));
    }

    public Uri Url(string relative) => new(BaseAddress, relative);

    public Uri WebSocketUrl(string relative)
    {
        var builder = new UriBuilder(Url(relative)) { Scheme = "ws" };
        return builder.Uri;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
    }
}
