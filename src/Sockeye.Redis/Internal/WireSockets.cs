using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Sockeye.Adapters;
using Sockeye.Redis.Internal.Wire;

namespace Sockeye.Redis.Internal;

/// <summary>
/// A socket as <c>fetchSockets</c> responses carry it: <c>{id, handshake:{headers, time, address, xdomain, secure,
/// issued, url, query, auth}, rooms, data}</c> (PROTOCOL.md §4.2).
/// </summary>
internal static class WireSockets
{
    public static Dictionary<string, object?> ToWire(RemoteSocket socket, JsonSerializerOptions options)
    {
        var handshake = socket.Handshake;
        var wire = new Dictionary<string, object?>(StringComparer.Ordinal) { ["id"] = socket.Id };
        if (handshake is not null)
        {
            var headers = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (name, values) in handshake.Headers)
            {
                headers[name.ToLowerInvariant()] = ToWire(values);
            }

            var query = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (name, values) in handshake.Query)
            {
                query[name] = ToWire(values);
            }

            wire["handshake"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["headers"] = headers,

                // Node sends Date.prototype.toString() here and the epoch milliseconds in "issued".
                ["time"] = handshake.Time.ToUniversalTime().ToString("ddd MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'", CultureInfo.InvariantCulture),
                ["address"] = handshake.Address?.ToString(),
                ["xdomain"] = handshake.XDomain,
                ["secure"] = handshake.Secure,
                ["issued"] = handshake.Time.ToUnixTimeMilliseconds(),
                ["url"] = handshake.Url,
                ["query"] = query,
                ["auth"] = handshake.Auth.ValueKind == JsonValueKind.Undefined
                    ? new Dictionary<string, object?>()
                    : WireValues.FromJson(handshake.Auth, []),
            };
        }

        wire["rooms"] = socket.Rooms.ToArray();
        wire["data"] = socket.Data.Count == 0 ? new Dictionary<string, object?>() : WireValues.FromObject(socket.Data, options);
        return wire;
    }

    public static RemoteSocket? FromWire(SocketNamespace nsp, object? value, JsonSerializerOptions options)
    {
        if (value is not IReadOnlyDictionary<string, object?> wire || wire.String("id") is not { } id)
        {
            return null;
        }

        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (wire.Map("data") is { } map)
        {
            foreach (var (key, item) in map)
            {
                data[key] = JsonSerializer.SerializeToElement(item, options);
            }
        }

        return new RemoteSocket(nsp, id, ReadHandshake(wire.Map("handshake"), options), wire.Strings("rooms"), data, local: null);
    }

    private static SocketHandshake? ReadHandshake(IReadOnlyDictionary<string, object?>? wire, JsonSerializerOptions options)
    {
        if (wire is null)
        {
            return null;
        }

        var headers = new HeaderDictionary();
        if (wire.Map("headers") is { } rawHeaders)
        {
            foreach (var (name, item) in rawHeaders)
            {
                headers[name] = ToStrings(item);
            }
        }

        var query = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        if (wire.Map("query") is { } rawQuery)
        {
            foreach (var (name, item) in rawQuery)
            {
                query[name] = ToStrings(item);
            }
        }

        var time = wire.Integer("issued") is { } issued
            ? DateTimeOffset.FromUnixTimeMilliseconds(issued)
            : DateTimeOffset.UnixEpoch;
        var address = IPAddress.TryParse(wire.String("address"), out var parsed) ? parsed : null;
        var auth = wire.Field("auth") is { } rawAuth ? JsonSerializer.SerializeToElement(rawAuth, options) : default;
        return new SocketHandshake(headers, new QueryCollection(query), address, wire.String("url") ?? string.Empty, wire.Flag("secure"), wire.Flag("xdomain"), time, auth);
    }

    private static object? ToWire(StringValues values) => values.Count == 1 ? values[0] : values.ToArray();

    private static StringValues ToStrings(object? value) => value switch
    {
        string text => new StringValues(text),
        object?[] items => new StringValues([.. items.Select(i => Convert.ToString(i, CultureInfo.InvariantCulture))]),
        null => StringValues.Empty,
        _ => new StringValues(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
