using System.Collections;
using System.Reflection;
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Execution;

/// <summary>The response of one operation: data (null when a request error stopped it, or a non-null root field failed) and errors.</summary>
public sealed record ExecutionResult(ResponseObject? Data, IReadOnlyList<GraphQLError> Errors, bool DataPresent);

public sealed record ExecutionRequest(Schema Schema, Document Document, string? OperationName = null, JsonElement? Variables = null, object? RootValue = null, object? Context = null);

/// <summary>
/// Executes an operation (spec section 6): the operation and its variables, field collection with
/// <c>@skip</c>/<c>@include</c> and fragments, query fields resolved in parallel and mutation fields one after
/// another, values completed by their types (lists, leaves, abstract types), field errors with path and location,
/// and null propagation to the nearest nullable field as the specification says. A resolver's exception becomes a
/// field error with its message only; no stack trace reaches the client.
/// </summary>
public static class Executor
{
    private static readonly IReadOnlyDictionary<string, object?> NoArguments = new Dictionary<string, object?>();

    public static async Task<ExecutionResult> ExecuteAsync(ExecutionRequest request, CancellationToken cancellationToken = default)
    {
        var (operation, problem) = FindOperation(request.Document, request.OperationName);
        if (operation is null)
        {
            return RequestError(problem!);
        }

        var root = operation.Operation switch
        {
            OperationType.Query => request.Schema.Query,
            OperationType.Mutation => request.Schema.Mutation,
            _ => request.Schema.Subscription,
        };
        if (root is null || operation.Operation == OperationType.Subscription)
        {
            var name = operation.Operation.ToString().ToLowerInvariant();
            return RequestError(root is null ? $"Schema is not configured to execute {name} operation." : "Subscriptions are executed by the subscription transport, not as a single response.",
                operation);
        }

        var (variables, variableErrors) = CoerceVariables(request.Schema, operation, request.Variables);
        if (variableErrors.Count > 0)
        {
            return new ExecutionResult(null, variableErrors, false);
        }

        var context = new Context(request, variables,
            request.Document.Definitions.OfType<FragmentDefinition>().GroupBy(f => f.Name.Value).ToDictionary(g => g.Key, g => g.First()), cancellationToken);
        var rootValue = request.RootValue is JsonElement json ? JsonValues.ToObject(json) : request.RootValue;
        var fields = Plan(context, root, CollectFields(context, root, operation.SelectionSet));
        ResponseObject? data;
        try
        {
            // The outermost await drives the data loaders: it dispatches their keys when nothing else can go on.
            var work = operation.Operation == OperationType.Mutation
                ? ExecuteFieldsSeriallyAsync(context, root, rootValue, fields)
                : ExecuteFields(context, root, rootValue, fields, ResponsePath.Root);
            data = (ResponseObject?)await context.Loaders.DriveAsync(work, cancellationToken);
        }
        catch (FieldException e)
        {
            context.Errors.Add(e.Error);
            data = null;
        }

        return new ExecutionResult(data, context.Errors, true);
    }

    /// <summary>GetOperation (spec 6.1): the named operation, or the only one; otherwise why there is none to run.</summary>
    public static (OperationDefinition? Operation, string? Problem) FindOperation(Document document, string? operationName)
    {
        var operations = document.Definitions.OfType<OperationDefinition>().ToList();
        if (operationName is not null)
        {
            return operations.Find(o => o.Name?.Value == operationName) is { } named ? (named, null) : (null, $"Unknown operation named \"{operationName}\".");
        }

        return operations.Count switch
        {
            1 => (operations[0], null),
            0 => (null, "Must provide an operation."),
            _ => (null, "Must provide operation name if query contains multiple operations."),
        };
    }

    private static ExecutionResult RequestError(string message, Node? at = null) =>
        new(null, [new GraphQLError(message, at is null ? null : [new ErrorLocation(at.Location.Line, at.Location.Column)])], false);

    private sealed class Context(ExecutionRequest request, IReadOnlyDictionary<string, object?> variables, Dictionary<string, FragmentDefinition> fragments,
        CancellationToken cancellationToken)
    {
        public ExecutionRequest Request { get; } = request;
        public IReadOnlyDictionary<string, object?> Variables { get; } = variables;
        public CancellationToken CancellationToken { get; } = cancellationToken;
        public Dictionary<string, FragmentDefinition> Fragments { get; } = fragments;

        public DataLoaders Loaders { get; } = new();

        /// <summary>
        /// The sub-selection of an object type under the same field nodes is the same for every item of a list:
        /// collected once per request (as graphql-js memoises collectSubfields), not once per item.
        /// </summary>
        public Dictionary<(ObjectType, List<Field>), SelectionPlan> SubFields { get; } = [];

        // Errors are added from concurrently running resolvers.
        public List<GraphQLError> Errors => _errors;

        private readonly List<GraphQLError> _errors = [];

        public void Add(GraphQLError error)
        {
            lock (_errors)
            {
                _errors.Add(error);
            }
        }
    }

    /// <summary>A field error travelling up to the nearest field whose type allows null.</summary>
    private sealed class FieldException(GraphQLError error) : Exception(error.Message)
    {
        public GraphQLError Error { get; } = error;
    }

    private static (IReadOnlyDictionary<string, object?>, List<GraphQLError>) CoerceVariables(Schema schema, OperationDefinition operation, JsonElement? given)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var errors = new List<GraphQLError>();
        foreach (var definition in operation.VariableDefinitions)
        {
            var name = definition.Variable.Name.Value;
            var location = new[] { new ErrorLocation(definition.Location.Line, definition.Location.Column) };
            var type = schema.TypeFromAst(definition.Type);
            if (type is null || type.Named is not (ScalarType or EnumType or InputObjectType))
            {
                errors.Add(new GraphQLError($"Variable \"${name}\" expected value of type \"{ValuePrinter.Print(definition.Type)}\" which cannot be used as an input type.", location));
                continue;
            }

            var provided = given is { ValueKind: JsonValueKind.Object } map && map.TryGetProperty(name, out var value) ? value : (JsonElement?)null;
            if (provided is null && definition.DefaultValue is { } defaultValue)
            {
                values[name] = InputCoercion.FromLiteral(defaultValue, type, null);
                continue;
            }

            if (provided is null && type is not NonNull)
            {
                continue;
            }

            var problems = new List<(string Path, string Message)>();
            var coerced = InputCoercion.FromJson(provided, type, problems);
            if (problems.Count == 0)
            {
                values[name] = coerced;
            }

            foreach (var (path, message) in problems)
            {
                errors.Add(new GraphQLError($"Variable \"${name}\" has invalid value{(path.Length == 0 ? "" : " at " + path)}: {message}", location));
            }
        }

        return (values, errors);
    }

    /// <summary>CollectFields (spec 6.3.2): response keys in order, each with every field node that answers it.</summary>
    private static OrderedDictionary<string, List<Field>> CollectFields(Context context, ObjectType type, SelectionSet selectionSet,
        OrderedDictionary<string, List<Field>>? fields = null, HashSet<string>? visited = null)
    {
        fields ??= new OrderedDictionary<string, List<Field>>(StringComparer.Ordinal);
        visited ??= new HashSet<string>(StringComparer.Ordinal);
        foreach (var selection in selectionSet.Selections)
        {
            var directives = selection switch
            {
                Field f => f.Directives,
                FragmentSpread s => s.Directives,
                InlineFragment i => i.Directives,
                _ => [],
            };
            if (!ShouldInclude(context, directives))
            {
                continue;
            }

            switch (selection)
            {
                case Field field:
                    if (!fields.TryGetValue(field.ResponseKey, out var list))
                    {
                        fields[field.ResponseKey] = list = [];
                    }

                    list.Add(field);
                    break;
                case FragmentSpread spread:
                    if (visited.Add(spread.Name.Value) && context.Fragments.TryGetValue(spread.Name.Value, out var fragment) && Applies(context, type, fragment.TypeCondition.Name.Value))
                    {
                        CollectFields(context, type, fragment.SelectionSet, fields, visited);
                    }

                    break;
                case InlineFragment inline:
                    if (inline.TypeCondition is null || Applies(context, type, inline.TypeCondition.Name.Value))
                    {
                        CollectFields(context, type, inline.SelectionSet, fields, visited);
                    }

                    break;
            }
        }

        return fields;
    }

    private static bool ShouldInclude(Context context, IReadOnlyList<Directive> directives)
    {
        foreach (var directive in directives)
        {
            if (directive.Name.Value is not ("skip" or "include"))
            {
                continue;
            }

            var argument = directive.Arguments.FirstOrDefault(a => a.Name.Value == "if");
            var value = argument is null ? null : InputCoercion.FromLiteral(argument.Value, new NonNull(SpecifiedScalars.Boolean), context.Variables);
            if (value is bool condition && condition == (directive.Name.Value == "skip"))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Applies(Context context, ObjectType type, string condition) =>
        context.Request.Schema.Type(condition) is { } conditionType && context.Request.Schema.PossibleTypes(conditionType).Contains(type);

#pragma warning disable CA2012 // ValueTasks are kept in locals and lists below, and each is consumed exactly once.

    // Execution completes synchronously wherever it can: a field whose resolver answers at once (the default
    // resolver always does) is completed on the spot, and only a resolver that really waits costs an async state
    // machine. Every method below returns a ValueTask that is either already completed or pending; a field error
    // on the synchronous path is thrown directly, so callers catch FieldException around the call as well as
    // around the await.

    /// <summary>ExecuteSelectionSet for queries: every field starts before any pending one is awaited, so independent resolvers run at the same time.</summary>
    private static ValueTask<object?> ExecuteFields(Context context, ObjectType type, object? source, SelectionPlan plan, ResponsePath path)
    {
        var result = new ResponseObject(plan.Keys);
        List<(int Index, ValueTask<object?> Value)>? pending = null;
        FieldException? failure = null;
        var fields = plan.Fields;
        for (var i = 0; i < fields.Length; i++)
        {
            var (key, nodes, field) = fields[i];
            try
            {
                var value = ExecuteField(context, type, source, field, nodes, new PathRef(path, key));
                if (value.IsCompletedSuccessfully)
                {
                    result.SetAt(i, value.Result);
                }
                else
                {
                    // The value is filled in when it arrives.
                    (pending ??= []).Add((i, value));
                }
            }
            catch (FieldException e)
            {
                // A non-null field failed: this object becomes null, but its siblings still finish first.
                failure ??= e;
            }
        }

        if (pending is null)
        {
            return failure is null ? new ValueTask<object?>(result) : throw failure;
        }

        return FinishFieldsAsync(result, pending, failure);
    }

    private static async ValueTask<object?> FinishFieldsAsync(ResponseObject result, List<(int Index, ValueTask<object?> Value)> pending,
        FieldException? failure)
    {
        // Each pending ValueTask is awaited exactly once.
        foreach (var (index, value) in pending)
        {
            try
            {
                result.SetAt(index, await value);
            }
            catch (FieldException e)
            {
                failure ??= e;
            }
        }

        return failure is null ? result : throw failure;
    }

    /// <summary>ExecuteSelectionSet for mutations: each top-level field finishes before the next one starts.</summary>
    private static async ValueTask<object?> ExecuteFieldsSeriallyAsync(Context context, ObjectType type, object? source, SelectionPlan plan)
    {
        var result = new ResponseObject(plan.Keys);
        for (var i = 0; i < plan.Fields.Length; i++)
        {
            var (key, nodes, field) = plan.Fields[i];
            result.SetAt(i, await ExecuteField(context, type, source, field, nodes, new PathRef(ResponsePath.Root, key)));
        }

        return result;
    }

    /// <summary>A response key with its field nodes and the field they select: what executing an object needs, worked out once per request.</summary>
    private sealed record FieldPlan(string Key, List<Field> Nodes, OutputField Field);

    /// <summary>The fields to execute for one object type under one set of field nodes, and their response keys (shared by every object).</summary>
    private sealed record SelectionPlan(FieldPlan[] Fields, string[] Keys);

    /// <summary>The plan for collected fields: fields the type does not have (validation reports them) are left out.</summary>
    private static SelectionPlan Plan(Context context, ObjectType type, OrderedDictionary<string, List<Field>> fields)
    {
        var plan = new List<FieldPlan>(fields.Count);
        foreach (var (key, nodes) in fields)
        {
            if (Introspection.FieldOf(context.Request.Schema, type, nodes[0].Name.Value) is { } field)
            {
                plan.Add(new FieldPlan(key, nodes, field));
            }
        }

        return new SelectionPlan([.. plan], [.. plan.Select(f => f.Key)]);
    }

    /// <summary>ExecuteField (spec 6.4): arguments, the resolver, then completion; an error in a nullable field makes it null.</summary>
    private static ValueTask<object?> ExecuteField(Context context, ObjectType parentType, object? source, OutputField field, List<Field> nodes, PathRef path)
    {
        try
        {
            object? resolved;
            if (ReferenceEquals(field, Introspection.TypeNameField))
            {
                resolved = parentType.Name;
            }
            else
            {
                var arguments = CoerceArguments(context, parentType, field, nodes[0], path);
                if (field.Resolve is { } resolve)
                {
                    var fullPath = path.Materialize();
                    path = new PathRef(fullPath, null);
                    ValueTask<object?> resolving;
                    try
                    {
                        // The introspection root fields answer about the schema, whatever the root value is.
                        var parent = ReferenceEquals(field, Introspection.SchemaField) || ReferenceEquals(field, Introspection.TypeField) ? context.Request.Schema : source;
                        resolving = resolve(new ResolveContext(parent, arguments, field, parentType, fullPath, nodes, context.Request.Schema, context.Request.Context,
                            context.Loaders, context.CancellationToken));
                    }
                    catch (Exception e) when (IsResolverFailure(context, e))
                    {
                        throw Error(e.Message, nodes, path);
                    }

                    if (!resolving.IsCompletedSuccessfully)
                    {
                        return ResolveAndCompleteAsync(context, parentType, field, nodes, path, resolving);
                    }

                    resolved = resolving.Result;
                }
                else if (field.ResolveFromParent is { } read)
                {
                    try
                    {
                        resolved = source is null ? null : read(source);
                    }
                    catch (Exception e) when (IsResolverFailure(context, e))
                    {
                        throw Error(e.Message, nodes, path);
                    }
                }
                else
                {
                    resolved = DefaultResolve(source, field.Name);
                }
            }

            var completed = Complete(context, parentType, field, field.Type, nodes, path, resolved);
            return completed.IsCompletedSuccessfully || field.Type is NonNull ? completed : NullOnErrorAsync(context, completed);
        }
        catch (FieldException e) when (field.Type is not NonNull)
        {
            context.Add(e.Error);
            return default;
        }
    }

    private static async ValueTask<object?> ResolveAndCompleteAsync(Context context, ObjectType parentType, OutputField field, List<Field> nodes, PathRef path,
        ValueTask<object?> resolving)
    {
        try
        {
            object? resolved;
            try
            {
                resolved = await resolving;
            }
            catch (Exception e) when (IsResolverFailure(context, e))
            {
                throw Error(e.Message, nodes, path);
            }

            return await Complete(context, parentType, field, field.Type, nodes, path, resolved);
        }
        catch (FieldException e) when (field.Type is not NonNull)
        {
            context.Add(e.Error);
            return null;
        }
    }

    /// <summary>A pending nullable value: an error in it is recorded and the value becomes null.</summary>
    private static async ValueTask<object?> NullOnErrorAsync(Context context, ValueTask<object?> pending)
    {
        try
        {
            return await pending;
        }
        catch (FieldException e)
        {
            context.Add(e.Error);
            return null;
        }
    }

    /// <summary>A resolver's exception is a field error, except the cancellation of the request itself.</summary>
    private static bool IsResolverFailure(Context context, Exception e) =>
        e is not (FieldException or OperationCanceledException) || e is OperationCanceledException && !context.CancellationToken.IsCancellationRequested;

    private static IReadOnlyDictionary<string, object?> CoerceArguments(Context context, ObjectType parentType, OutputField field, Field node, PathRef path)
    {
        if (field.Arguments.Count == 0)
        {
            return NoArguments;
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var definition in field.Arguments)
        {
            var given = node.Arguments.FirstOrDefault(a => a.Name.Value == definition.Name);
            object? value;
            try
            {
                value = given is null ? InputCoercion.Absent : InputCoercion.FromLiteral(given.Value, definition.Type, context.Variables);
            }
            catch (CoercionException e)
            {
                throw Error($"Argument \"{parentType.Name}.{field.Name}({definition.Name}:)\" has invalid value: {e.Message}", [node], path);
            }

            if (!ReferenceEquals(value, InputCoercion.Absent))
            {
                values[definition.Name] = value;
            }
            else if (definition.DefaultValue is { } defaultValue)
            {
                values[definition.Name] = InputCoercion.FromLiteral(defaultValue, definition.Type, null);
            }
            else if (definition.Type is NonNull)
            {
                throw Error($"Argument \"{parentType.Name}.{field.Name}({definition.Name}:)\" of required type \"{definition.Type}\" was not provided.", [node], path);
            }
        }

        return values;
    }

    /// <summary>graphql-js's default: the parent's property (or key) of the field's name.</summary>
    private static object? DefaultResolve(object? source, string name) => source switch
    {
        null => null,
        OrderedDictionary<string, object?> map => map.GetValueOrDefault(name),
        Dictionary<string, object?> map => map.GetValueOrDefault(name),
        IReadOnlyDictionary<string, object?> map => map.GetValueOrDefault(name),
        IDictionary<string, object?> map => map.TryGetValue(name, out var value) ? value : null,
        JsonElement { ValueKind: JsonValueKind.Object } json => json.TryGetProperty(name, out var property) ? JsonValues.ToObject(property) : null,
        _ => source.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.GetValue(source),
    };

    /// <summary>CompleteValue (spec 6.4.3): non-null checks, lists item by item, leaves serialized, objects executed.</summary>
    private static ValueTask<object?> Complete(Context context, ObjectType parentType, OutputField field, TypeReference type, List<Field> nodes,
        PathRef path, object? value)
    {
        if (type is NonNull nonNull)
        {
            var inner = Complete(context, parentType, field, nonNull.OfType, nodes, path, value);
            if (!inner.IsCompletedSuccessfully)
            {
                return NonNullAsync(inner, parentType, field, nodes, path);
            }

            return inner.Result is not null ? inner : throw NullError(parentType, field, nodes, path);
        }

        if (value is null || value is JsonElement { ValueKind: JsonValueKind.Null })
        {
            return default;
        }

        switch (type)
        {
            case ListOf list:
                return CompleteList(context, parentType, field, list.OfType, nodes, path, value);
            case ScalarType scalar:
                try
                {
                    return new ValueTask<object?>(scalar.Serialize(value is JsonElement json ? JsonValues.ToObject(json)! : value));
                }
                catch (CoercionException e)
                {
                    throw Error(e.Message, nodes, path);
                }

            case EnumType @enum:
                var name = value is JsonElement element ? element.ToString() : value.ToString();
                return @enum.HasValue(name)
                    ? new ValueTask<object?>(name)
                    : throw Error($"Enum \"{@enum.Name}\" cannot represent value: {JsonValues.Inspect(value)}", nodes, path);
            case ObjectType objectType:
                return ExecuteFields(context, objectType, value, SubFields(context, objectType, nodes), path.Materialize());
            case IAbstractType abstractType:
                var runtime = ResolveRuntimeType(context, abstractType, parentType, field, nodes, path, value);
                return ExecuteFields(context, runtime, value, SubFields(context, runtime, nodes), path.Materialize());
            default:
                throw Error($"Unexpected type {type}.", nodes, path);
        }
    }

    private static async ValueTask<object?> NonNullAsync(ValueTask<object?> inner, ObjectType parentType, OutputField field, List<Field> nodes, PathRef path) =>
        await inner ?? throw NullError(parentType, field, nodes, path);

    private static FieldException NullError(ObjectType parentType, OutputField field, List<Field> nodes, PathRef path) =>
        Error($"Cannot return null for non-nullable field {parentType.Name}.{field.Name}.", nodes, path);

    /// <summary>A list, item by item: an error in a nullable item makes only that item null, in a non-null item the whole list.</summary>
    private static ValueTask<object?> CompleteList(Context context, ObjectType parentType, OutputField field, TypeReference itemType, List<Field> nodes,
        PathRef path, object value)
    {
        if (value is string || value is IDictionary || value is not IEnumerable items)
        {
            throw Error($"Expected Iterable, but did not find one for field \"{parentType.Name}.{field.Name}\".", nodes, path);
        }

        var listPath = path.Materialize();
        var results = new List<object?>(items is ICollection collection ? collection.Count : 4);
        List<(int Index, ValueTask<object?> Value)>? pending = null;
        FieldException? failure = null;
        var itemsNullable = itemType is not NonNull;
        foreach (var item in items)
        {
            var index = results.Count;
            results.Add(null);
            try
            {
                var completed = Complete(context, parentType, field, itemType, nodes, new PathRef(listPath, ResponsePath.Index(index)), item);
                if (completed.IsCompletedSuccessfully)
                {
                    results[index] = completed.Result;
                }
                else
                {
                    (pending ??= []).Add((index, itemsNullable ? NullOnErrorAsync(context, completed) : completed));
                }
            }
            catch (FieldException e)
            {
                if (itemsNullable)
                {
                    context.Add(e.Error);
                }
                else
                {
                    failure ??= e;
                }
            }
        }

        if (pending is null)
        {
            return failure is null ? new ValueTask<object?>(results) : throw failure;
        }

        return FinishListAsync(results, pending, failure);
    }

    private static async ValueTask<object?> FinishListAsync(List<object?> results, List<(int Index, ValueTask<object?> Value)> pending, FieldException? failure)
    {
        foreach (var (index, value) in pending)
        {
            try
            {
                results[index] = await value;
            }
            catch (FieldException e)
            {
                failure ??= e;
            }
        }

        return failure is null ? results : throw failure;
    }

#pragma warning restore CA2012

    private static ObjectType ResolveRuntimeType(Context context, IAbstractType abstractType, ObjectType parentType, OutputField field, List<Field> nodes,
        PathRef path, object value)
    {
        var name = abstractType.ResolveType is { } resolve ? resolve(value) : DefaultResolve(value, "__typename") as string;
        if (name is null)
        {
            throw Error($"Abstract type \"{abstractType.Name}\" must resolve to an Object type at runtime for field \"{parentType.Name}.{field.Name}\". " +
                        $"Either the \"{abstractType.Name}\" type should provide a \"resolveType\" function or each possible type should provide an \"isTypeOf\" function.", nodes, path);
        }

        var schema = context.Request.Schema;
        return schema.Type(name) switch
        {
            null => throw Error($"Abstract type \"{abstractType.Name}\" was resolved to a type \"{name}\" that does not exist inside the schema.", nodes, path),
            ObjectType runtime when schema.PossibleTypes((Types.NamedType)abstractType).Contains(runtime) => runtime,
            ObjectType runtime => throw Error($"Runtime Object type \"{runtime.Name}\" is not a possible type for \"{abstractType.Name}\".", nodes, path),
            _ => throw Error($"Abstract type \"{abstractType.Name}\" was resolved to a non-object type \"{name}\".", nodes, path),
        };
    }

    private static SelectionPlan SubFields(Context context, ObjectType type, List<Field> nodes)
    {
        lock (context.SubFields)
        {
            if (context.SubFields.TryGetValue((type, nodes), out var cached))
            {
                return cached;
            }
        }

        var fields = new OrderedDictionary<string, List<Field>>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (node.SelectionSet is { } selectionSet)
            {
                CollectFields(context, type, selectionSet, fields, visited);
            }
        }

        var plan = Plan(context, type, fields);
        lock (context.SubFields)
        {
            context.SubFields[(type, nodes)] = plan;
        }

        return plan;
    }

    private static FieldException Error(string message, IReadOnlyList<Field> nodes, PathRef path) =>
        new(new GraphQLError(message, [.. nodes.Select(n => new ErrorLocation(n.Location.Line, n.Location.Column))], path.Materialize() is { Count: > 0 } full ? [.. full] : null));

    /// <summary>
    /// Where a value is going: its parent's path and its own key, made into a <see cref="ResponsePath"/> only when
    /// something needs it (a resolver, an error, children), so a leaf costs no path object. A null key means the
    /// parent is already the full path.
    /// </summary>
    private readonly record struct PathRef(ResponsePath Parent, object? Key)
    {
        public ResponsePath Materialize() => Key is null ? Parent : Parent.Append(Key);
    }
}
