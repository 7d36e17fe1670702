using System.Collections;

namespace Sockeye.Adapters;

/// <summary>
/// A set of room names or socket ids as the in-memory adapter indexes them. Most sets hold one entry (every socket's
/// own room has one member, and most sockets are in that room only), so the first entry is kept in a field and a
/// <see cref="HashSet{T}"/> is made only for a second: about 32 bytes per set instead of about 200, twice per
/// connected socket. Not thread-safe; the adapter guards it with its lock.
/// </summary>
internal sealed class RoomSet : IEnumerable<string>
{
    private string? _single;
    private HashSet<string>? _many;

    public int Count => _many?.Count ?? (_single is null ? 0 : 1);

    public bool Add(string item)
    {
        if (_many is not null)
        {
            return _many.Add(item);
        }

        if (_single is null)
        {
            _single = item;
            return true;
        }

        if (string.Equals(_single, item, StringComparison.Ordinal))
        {
            return false;
        }

        _many = new HashSet<string>(StringComparer.Ordinal) { _single, item };
        _single = null;
        return true;
    }

    public bool Remove(string item)
    {
        if (_many is not null)
        {
            return _many.Remove(item);
        }

        if (_single is not null && string.Equals(_single, item, StringComparison.Ordinal))
        {
            _single = null;
            return true;
        }

        return false;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<string> IEnumerable<string>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Enumerates without allocating, whichever form the set has.</summary>
    public struct Enumerator : IEnumerator<string>
    {
        private readonly bool _many;
        private HashSet<string>.Enumerator _inner;
        private string? _single;

        internal Enumerator(RoomSet set)
        {
            _many = set._many is not null;
            _inner = _many ? set._many!.GetEnumerator() : default;
            _single = set._single;
            Current = null!;
        }

        public string Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_many)
            {
                var moved = _inner.MoveNext();
                Current = moved ? _inner.Current : null!;
                return moved;
            }

            if (_single is null)
            {
                return false;
            }

            Current = _single;
            _single = null;
            return true;
        }

        public readonly void Reset() => throw new NotSupportedException();

        public readonly void Dispose()
        {
        }
    }
}
