namespace MachCommerce.GraphQL.Language;

/// <summary>Where in the document an error points: line and column, both from 1.</summary>
public readonly record struct ErrorLocation(int Line, int Column);

/// <summary>An error in a response: a request error (no path) or a field error (with the path of the field).</summary>
public sealed record GraphQLError(string Message, IReadOnlyList<ErrorLocation>? Locations = null, IReadOnlyList<object>? Path = null);
