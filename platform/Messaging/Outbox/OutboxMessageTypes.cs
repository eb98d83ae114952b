using System.Collections.Concurrent;
using System.Text.Json;

namespace MachCommerce.Messaging;

/// <summary>How an event is stored in the outbox: its CLR type's name and its JSON.</summary>
internal static class OutboxMessageTypes
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly ConcurrentDictionary<string, Type> Types = new(StringComparer.Ordinal);

    /// <summary>"Namespace.Type, Assembly": without a version, so a row written before a deployment still resolves after it.</summary>
    public static string NameOf(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    public static Type Resolve(string name) => Types.GetOrAdd(name, static n =>
        Type.GetType(n, throwOnError: false) ?? throw new InvalidOperationException($"The outbox holds an event of type {n}, which this build does not know."));
}
