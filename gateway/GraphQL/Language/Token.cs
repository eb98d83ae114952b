namespace MachCommerce.GraphQL.Language;

/// <summary>The kinds of lexical token of the GraphQL language (spec section 2.1.6), as graphql-js names them.</summary>
public enum TokenKind
{
    StartOfFile,
    EndOfFile,
    Bang,
    Dollar,
    Amp,
    ParenLeft,
    ParenRight,
    Spread,
    Colon,
    Equals,
    At,
    BracketLeft,
    BracketRight,
    BraceLeft,
    Pipe,
    BraceRight,
    Name,
    Int,
    Float,
    String,
    BlockString,
}

/// <summary>
/// One token: its kind, where it starts and ends in the source (UTF-16 offsets), its line and column (1-based,
/// columns in UTF-16 code units, as graphql-js reports them), and for names, numbers and strings its value.
/// </summary>
public readonly record struct Token(TokenKind Kind, int Start, int End, int Line, int Column, string? Value)
{
    public static string Describe(TokenKind kind) => kind switch
    {
        TokenKind.StartOfFile => "<SOF>",
        TokenKind.EndOfFile => "<EOF>",
        TokenKind.Bang => "\"!\"",
        TokenKind.Dollar => "\"$\"",
        TokenKind.Amp => "\"&\"",
        TokenKind.ParenLeft => "\"(\"",
        TokenKind.ParenRight => "\")\"",
        TokenKind.Spread => "\"...\"",
        TokenKind.Colon => "\":\"",
        TokenKind.Equals => "\"=\"",
        TokenKind.At => "\"@\"",
        TokenKind.BracketLeft => "\"[\"",
        TokenKind.BracketRight => "\"]\"",
        TokenKind.BraceLeft => "\"{\"",
        TokenKind.Pipe => "\"|\"",
        TokenKind.BraceRight => "\"}\"",
        TokenKind.Name => "Name",
        TokenKind.Int => "Int",
        TokenKind.Float => "Float",
        TokenKind.String => "String",
        TokenKind.BlockString => "BlockString",
        _ => kind.ToString(),
    };

    /// <summary>How an error message names this token: its kind, and its value where it has one (Name "foo").</summary>
    public string Describe() => Value is not null ? $"{Describe(Kind)} \"{Value}\"" : Describe(Kind);
}

/// <summary>A syntax error with the position graphql-js would report.</summary>
public sealed class GraphQLSyntaxException(string message, int position, int line, int column)
    : Exception($"Syntax Error: {message}")
{
    public string Description { get; } = message;
    public int Position { get; } = position;
    public int Line { get; } = line;
    public int Column { get; } = column;
}
