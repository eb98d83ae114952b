using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace MachCommerce.GraphQL.Execution;

/// <summary>
/// An object in a response: its response keys, in the order the selection set asked for them, and their values.
/// The keys are shared by every object completed from the same selection (fifty products share one key array),
/// so an object costs one small array of values, not a dictionary. Written to JSON directly, value by value.
/// </summary>
[JsonConverter(typeof(ResponseObjectJsonConverter))]
[SuppressMessage("Naming", "CA1710", Justification = "It is a GraphQL response object; that it can be read as a dictionary is secondary.")]
public sealed class ResponseObject : IReadOnlyDictionary<string, object?>
{
    private readonly string[] _keys;
    private readonly object?[] _values;

    internal ResponseObject(string[] keys)
    {
        _keys = keys;
        _values = new object?[keys.Length];
    }

    public int Count => _keys.Length;

    public IEnumerable<string> Keys => _keys;

    public IEnumerable<object?> Values => _values;

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No response key \"{key}\".");

    internal string KeyAt(int index) => _keys[index];

    internal object? ValueAt(int index) => _values[index];

    internal void SetAt(int index, object? value) => _values[index] = value;

    public bool ContainsKey(string key) => Array.IndexOf(_keys, key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var index = Array.IndexOf(_keys, key);
        value = index >= 0 ? _values[index] : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            yield return new KeyValuePair<string, object?>(_keys[i], _values[i]);
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Writes a response object and what it holds (objects, lists, leaves) straight to the JSON writer.</summary>
public sealed class ResponseObjectJsonConverter : JsonConverter<ResponseObject>
{
    public override ResponseObject Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Response objects are written, not read.");

    public override void Write(Utf8JsonWriter writer, ResponseObject value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        for (var i = 0; i < value.Count; i++)
        {
            writer.WritePropertyName(value.KeyAt(i));
            WriteValue(writer, value.ValueAt(i), options);
        }

        writer.WriteEndObject();
    }

    private void WriteValue(Utf8JsonWriter writer, object? value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case ResponseObject child:
                Write(writer, child, options);
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, item, options);
                }

                writer.WriteEndArray();
                break;
            default:
                // Custom scalars (decimal, DateTimeOffset, JSON values) as the serializer writes them.
                JsonSerializer.Serialize(writer, value, value.GetType(), options);
                break;
        }
    }
}
