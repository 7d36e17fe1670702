using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Hosting;

public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task Handshake_address_honours_forwarded_headers_when_the_middleware_is_enabled()
    {
        var address = new TaskCompletionSource<IPAddress?>();
        await using var host = await TestHost.StartAsync(
            services =>
            {
                services.AddSocketIO();
                services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedFor);
            },
            app =>
            {
                app.UseForwardedHeaders();
                app.MapSocketIO(io => io.OnConnection(s => address.TrySetResult(s.Handshake.Address)));
            });
        using var client = new EngineTestClient(host, "/socket.io/");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/socket.io/?EIO=4&transport=polling");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var handshake = await client.Http.SendAsync(request);
        var sid = System.Text.Json.JsonDocument.Parse((await handshake.Content.ReadAsStringAsync())[1..]).RootElement.GetProperty("sid").GetString()!;

        await client.PostOkAsync(sid, "40");

        Assert.Equal(IPAddress.Parse("203.0.113.7"), await address.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
