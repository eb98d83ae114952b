using MachCommerce.GraphQL.Language;

namespace MachCommerce.GraphQL.Types;

/// <summary>What a resolver gets: the parent value, the coerced arguments, where it is, and the request's context and cancellation.</summary>
public sealed record ResolveContext(object? Parent, IReadOnlyDictionary<string, object?> Arguments, OutputField Field, ObjectType ParentType,
    IReadOnlyList<object> Path, IReadOnlyList<Field> FieldNodes, Schema Schema, object? Context, DataLoaders DataLoaders, CancellationToken CancellationToken);
