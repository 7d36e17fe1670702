using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sockeye.Chat.Operations;
using Sockeye.Chat.Tests.Infrastructure;

namespace Sockeye.Chat.Tests.Operations;

public sealed class RequestLogScopeTests
{
    [Fact]
    public async Task Every_log_line_of_a_request_carries_its_request_id()
    {
        var logger = new ScopeRecordingLogger();
        var context = new DefaultHttpContext { TraceIdentifier = "0HN-trace:1" };
        object? scopeInside = null;
        var middleware = new RequestLogScopeMiddleware(_ => { scopeInside = logger.CurrentScope; return Task.CompletedTask; }, logger);

        await middleware.InvokeAsync(context);

        var scope = Assert.IsAssignableFrom<IEnumerable<KeyValuePair<string, object>>>(scopeInside);
        Assert.Equal("0HN-trace:1", Assert.Single(scope, p => p.Key == "request_id").Value);
        Assert.Null(logger.CurrentScope);
        Assert.Equal("0HN-trace:1", context.Response.Headers["X-Request-Id"].ToString());
    }

    [Fact]
    public async Task A_plausible_caller_request_id_is_kept_and_echoed()
    {
        await using var server = await ChatServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Add("X-Request-Id", "lb-4f2a9c");

        using var response = await server.Http.SendAsync(request);

        Assert.Equal("lb-4f2a9c", Assert.Single(response.Headers.GetValues("X-Request-Id")));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("quote\"d")]
    [InlineData("")]
    public void An_implausible_caller_request_id_is_replaced(string id)
    {
        Assert.False(RequestLogScopeMiddleware.IsPlausible(id));
        Assert.False(RequestLogScopeMiddleware.IsPlausible(new string('a', RequestLogScopeMiddleware.MaxLength + 1)));
        Assert.True(RequestLogScopeMiddleware.IsPlausible("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    }

    private sealed class ScopeRecordingLogger : ILogger<RequestLogScopeMiddleware>
    {
        public object? CurrentScope { get; private set; }

        public IDisposable BeginScope<TState>(TState state)
            where TState : notnull
        {
            var outer = CurrentScope;
            CurrentScope = state;
            return new Scope(() => CurrentScope = outer);
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }

        private sealed class Scope(Action end) : IDisposable
        {
            public void Dispose() => end();
        }
    }
}
