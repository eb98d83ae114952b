namespace MachCommerce.GraphQL.Execution;

/// <summary>
/// Where a value is in the response: a key after its parent's path, shared rather than copied, so a field costs one
/// small object instead of a new array; it becomes a list only when an error or a resolver asks for it.
/// </summary>
public sealed class ResponsePath : IReadOnlyList<object>
{
    public static readonly ResponsePath Root = new(null, "");

    private readonly ResponsePath? _parent;
    private readonly object _key;

    private ResponsePath(ResponsePath? parent, object key)
    {
        _parent = parent;
        _key = key;
        Count = parent is null ? 0 : parent.Count + 1;
    }

    public int Count { get; }

    public ResponsePath Append(object key) => new(this, key);

    private static readonly object[] SmallIndexes = [.. Enumerable.Range(0, 1024).Select(i => (object)i)];

    /// <summary>A list index as a path key, boxed once for the first thousand items of every list.</summary>
    public static object Index(int index) => index < SmallIndexes.Length ? SmallIndexes[index] : index;

    public object this[int index] => index < 0 || index >= Count ? throw new ArgumentOutOfRangeException(nameof(index)) : this.ElementAt(index);

    public IEnumerator<object> GetEnumerator()
    {
        var keys = new object[Count];
        for (var (node, i) = (this, Count - 1); node is { Count: > 0 }; node = node._parent!, i--)
        {
            keys[i] = node._key;
        }

        return ((IEnumerable<object>)keys).GetEnumerator();
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
