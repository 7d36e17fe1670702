using Microsoft.Extensions.Options;
using Sockeye.Tests.Infrastructure;

namespace Sockeye.Tests.Hosting;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("PingInterval")]
    [InlineData("MaxHttpBufferSize")]
    [InlineData("Transports")]
    [InlineData("ConnectTimeout")]
    [InlineData("MaxAttachments")]
    public async Task Invalid_options_fail_start_up_with_a_message_naming_the_option(string option)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SocketIOTestServer.StartAsync(_ => { }, o =>
        {
            switch (option)
            {
                case "PingInterval": o.PingInterval = TimeSpan.Zero; break;
                case "MaxHttpBufferSize": o.MaxHttpBufferSize = 0; break;
                case "Transports": o.Transports = Sockeye.Engine.EngineTransports.None; break;
                case "ConnectTimeout": o.ConnectTimeout = TimeSpan.FromSeconds(-1); break;
                case "MaxAttachments": o.MaxAttachments = -1; break;
            }
        }));

        Assert.Contains(option, error.Message);
    }
}
