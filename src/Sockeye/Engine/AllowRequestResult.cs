namespace Sockeye.Engine;

/// <summary>The verdict of <see cref="EngineOptions.AllowRequest"/> on a handshake or upgrade request.</summary>
public readonly record struct AllowRequestResult
{
    private AllowRequestResult(bool allowed, string message)
    {
        IsAllowed = allowed;
        Message = message;
    }

    /// <summary>Whether the request may proceed.</summary>
    public bool IsAllowed { get; }

    /// <summary>The message sent to a refused client (<c>Forbidden</c> unless given).</summary>
    public string Message { get; }

    /// <summary>Lets the request proceed.</summary>
    public static AllowRequestResult Allow { get; } = new(true, string.Empty);

    /// <summary>Refuses the request: 403 with code 4 on polling, 400 before the upgrade on WebSocket.</summary>
    public static AllowRequestResult Deny(string message = "Forbidden") => new(false, message);
}
