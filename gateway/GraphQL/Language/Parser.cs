namespace MachCommerce.GraphQL.Language;

/// <summary>Limits a parse enforces before anything else looks at the document.</summary>
public sealed record ParseOptions
{
    public static readonly ParseOptions Default = new();

    /// <summary>Most tokens a document may have (graphql-js's maxTokens): a huge document fails fast, before it is parsed.</summary>
    public int MaxTokens { get; init; } = 15_000;

    /// <summary>Most characters a document may have.</summary>
    public int MaxLength { get; init; } = 1_000_000;

    /// <summary>How deeply selection sets, lists, objects and types may nest, so a hostile document cannot exhaust the stack.</summary>
    public int MaxNesting { get; init; } = 128;
}

/// <summary>
/// A recursive-descent parser for the whole GraphQL language: executable documents and the type system (SDL),
/// following the October 2021 specification and graphql-js 17's choices where the draft goes further
/// (descriptions on operations, fragments and variables). Errors are <see cref="GraphQLSyntaxException"/>s at the
/// offending token, worded as graphql-js words them.
/// </summary>
public sealed class Parser
{
    private readonly Lexer _lexer;
    private readonly ParseOptions _options;
    private int _nesting;

    private Parser(string source, ParseOptions options)
    {
        _options = options;
        _lexer = new Lexer(source, options.MaxTokens);
    }

    public static Document Parse(string source, ParseOptions? options = null)
    {
        options ??= ParseOptions.Default;
        if (source.Length > options.MaxLength)
        {
            throw new GraphQLSyntaxException($"Document is longer than {options.MaxLength} characters. Parsing aborted.", 0, 1, 1);
        }

        var parser = new Parser(source, options);
        try
        {
            return parser.ParseDocument();
        }
        finally
        {
            parser.ReturnStack();
        }
    }

    /// <summary>A single value (e.g. a default value in code-first schemas), with nothing around it.</summary>
    public static Value ParseValue(string source, bool isConst = false)
    {
        var parser = new Parser(source, ParseOptions.Default);
        parser.Expect(TokenKind.StartOfFile);
        var value = parser.ParseValueLiteral(isConst);
        parser.Expect(TokenKind.EndOfFile);
        return value;
    }

    /// <summary>A single type reference such as <c>[String!]!</c>.</summary>
    public static TypeNode ParseType(string source)
    {
        var parser = new Parser(source, ParseOptions.Default);
        parser.Expect(TokenKind.StartOfFile);
        var type = parser.ParseTypeReference();
        parser.Expect(TokenKind.EndOfFile);
        return type;
    }

    private Token Current => _lexer.Current;

    private Document ParseDocument()
    {
        var start = _lexer.Start;
        var definitions = Many(TokenKind.StartOfFile, ParseDefinition, TokenKind.EndOfFile);
        return new Document(definitions) { Location = At(start) };
    }

    private Definition ParseDefinition()
    {
        if (Peek(TokenKind.BraceLeft))
        {
            return ParseOperationDefinition();
        }

        var hasDescription = PeekDescription();
        var keyword = hasDescription ? _lexer.Peek() : Current;
        if (hasDescription && keyword.Kind == TokenKind.BraceLeft)
        {
            throw _lexer.Error(Current.Start, "Unexpected description, descriptions are not supported on shorthand queries.");
        }

        if (keyword.Kind == TokenKind.Name)
        {
            switch (keyword.Value)
            {
                case "schema": return ParseSchemaDefinition();
                case "scalar": return ParseScalarTypeDefinition();
                case "type": return ParseObjectTypeDefinition();
                case "interface": return ParseInterfaceTypeDefinition();
                case "union": return ParseUnionTypeDefinition();
                case "enum": return ParseEnumTypeDefinition();
                case "input": return ParseInputObjectTypeDefinition();
                case "directive": return ParseDirectiveDefinition();
                case "query" or "mutation" or "subscription": return ParseOperationDefinition();
                case "fragment": return ParseFragmentDefinition();
            }

            if (hasDescription)
            {
                throw _lexer.Error(Current.Start, "Unexpected description, only GraphQL definitions support descriptions.");
            }

            if (keyword.Value == "extend")
            {
                return ParseTypeSystemExtension();
            }
        }

        throw Unexpected(keyword);
    }

    // Executable definitions.

    private OperationDefinition ParseOperationDefinition()
    {
        var start = _lexer.Start;
        if (Peek(TokenKind.BraceLeft))
        {
            return new OperationDefinition(OperationType.Query, null, [], [], ParseSelectionSet()) { Location = At(start) };
        }

        var description = ParseDescription();
        var operation = ParseOperationType();
        Name? name = Peek(TokenKind.Name) ? ParseName() : null;
        return new OperationDefinition(operation, name, ParseVariableDefinitions(), ParseDirectives(isConst: false), ParseSelectionSet())
        {
            Description = description,
            Location = At(start),
        };
    }

    private OperationType ParseOperationType()
    {
        var token = Expect(TokenKind.Name);
        return token.Value switch
        {
            "query" => OperationType.Query,
            "mutation" => OperationType.Mutation,
            "subscription" => OperationType.Subscription,
            _ => throw Unexpected(token),
        };
    }

    private List<VariableDefinition> ParseVariableDefinitions() => OptionalMany(TokenKind.ParenLeft, ParseVariableDefinition, TokenKind.ParenRight);

    private VariableDefinition ParseVariableDefinition()
    {
        var start = _lexer.Start;
        var description = ParseDescription();
        var variable = ParseVariable();
        Skip(TokenKind.Colon);
        var type = ParseTypeReference();
        var defaultValue = ExpectOptional(TokenKind.Equals) ? ParseValueLiteral(isConst: true) : null;
        return new VariableDefinition(variable, type, defaultValue, ParseDirectives(isConst: true)) { Description = description, Location = At(start) };
    }

    private Variable ParseVariable()
    {
        var start = _lexer.Start;
        Skip(TokenKind.Dollar);
        return new Variable(ParseName()) { Location = At(start) };
    }

    private SelectionSet ParseSelectionSet()
    {
        var start = _lexer.Start;
        Enter(start);
        Skip(TokenKind.BraceLeft);

        // Selections are gathered on a stack shared by all nesting levels and copied into an array of the exact
        // size: no list and no regrowing per selection set.
        var first = _pendingCount;
        do
        {
            var selection = ParseSelection();
            if (_pendingCount == _pending.Length)
            {
                Array.Resize(ref _pending, _pending.Length * 2);
            }

            _pending[_pendingCount++].Selection = selection;
            _pendingHigh = Math.Max(_pendingHigh, _pendingCount);
        }
        while (!ExpectOptional(TokenKind.BraceRight));
        _nesting--;
        var selections = new Selection[_pendingCount - first];
        for (var i = 0; i < selections.Length; i++)
        {
            selections[i] = _pending[first + i].Selection;
        }

        _pendingCount = first;
        return new SelectionSet(selections) { Location = At(start) };
    }

    /// <summary>A slot of the selection stack (a struct, so storing into it needs no array type check).</summary>
    private struct PendingSelection
    {
        public Selection Selection;
    }

    // The stack is kept per thread between parses (a parse never runs inside another on the same thread), so a
    // small document does not pay for it; a huge one that grew it gives it back.
    [ThreadStatic]
    private static PendingSelection[]? _spareStack;

    private PendingSelection[] _pending = TakeSpareStack();
    private int _pendingCount;
    private int _pendingHigh;

    private static PendingSelection[] TakeSpareStack()
    {
        var stack = _spareStack ?? new PendingSelection[64];
        _spareStack = null;
        return stack;
    }

    private void ReturnStack()
    {
        if (_pending.Length <= 1024)
        {
            Array.Clear(_pending, 0, _pendingHigh);
            _spareStack = _pending;
        }
    }

    private Selection ParseSelection() => Peek(TokenKind.Spread) ? ParseFragment() : ParseField();

    private Field ParseField()
    {
        var start = _lexer.Start;
        var nameOrAlias = ParseName();
        Name? alias = null;
        var name = nameOrAlias;
        if (ExpectOptional(TokenKind.Colon))
        {
            alias = nameOrAlias;
            name = ParseName();
        }

        var arguments = ParseArguments(isConst: false);
        var directives = ParseDirectives(isConst: false);
        var selectionSet = Peek(TokenKind.BraceLeft) ? ParseSelectionSet() : null;
        return new Field(alias, name, arguments, directives, selectionSet) { Location = At(start) };
    }

    private IReadOnlyList<Argument> ParseArguments(bool isConst)
    {
        if (!Peek(TokenKind.ParenLeft))
        {
            return [];
        }

        Advance();
        var arguments = new List<Argument>();
        do
        {
            arguments.Add(ParseArgument(isConst));
        }
        while (!ExpectOptional(TokenKind.ParenRight));
        return arguments;
    }

    private Argument ParseArgument(bool isConst)
    {
        var start = _lexer.Start;
        var name = ParseName();
        Skip(TokenKind.Colon);
        return new Argument(name, ParseValueLiteral(isConst)) { Location = At(start) };
    }

    private Selection ParseFragment()
    {
        var start = _lexer.Start;
        Skip(TokenKind.Spread);
        var hasTypeCondition = ExpectOptionalKeyword("on");
        if (!hasTypeCondition && Peek(TokenKind.Name))
        {
            var name = ParseFragmentName();
            return new FragmentSpread(name, ParseDirectives(isConst: false)) { Location = At(start) };
        }

        var typeCondition = hasTypeCondition ? ParseNamedType() : null;
        return new InlineFragment(typeCondition, ParseDirectives(isConst: false), ParseSelectionSet()) { Location = At(start) };
    }

    private FragmentDefinition ParseFragmentDefinition()
    {
        var start = _lexer.Start;
        var description = ParseDescription();
        ExpectKeyword("fragment");
        var name = ParseFragmentName();
        ExpectKeyword("on");
        var typeCondition = ParseNamedType();
        return new FragmentDefinition(name, typeCondition, ParseDirectives(isConst: false), ParseSelectionSet()) { Description = description, Location = At(start) };
    }

    private Name ParseFragmentName() => Current.Value == "on" ? throw Unexpected(Current) : ParseName();

    // Values.

    private Value ParseValueLiteral(bool isConst)
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.BracketLeft:
                return ParseList(isConst);
            case TokenKind.BraceLeft:
                return ParseObject(isConst);
            case TokenKind.Int:
                Advance();
                return new IntValue(token.Value!) { Location = At(token) };
            case TokenKind.Float:
                Advance();
                return new FloatValue(token.Value!) { Location = At(token) };
            case TokenKind.String or TokenKind.BlockString:
                return ParseStringLiteral();
            case TokenKind.Name:
                Advance();
                return token.Value switch
                {
                    "true" => new BooleanValue(true) { Location = At(token) },
                    "false" => new BooleanValue(false) { Location = At(token) },
                    "null" => new NullValue { Location = At(token) },
                    _ => new EnumValue(token.Value!) { Location = At(token) },
                };
            case TokenKind.Dollar:
                if (isConst)
                {
                    Skip(TokenKind.Dollar);
                    if (Current.Kind == TokenKind.Name)
                    {
                        throw _lexer.Error(token.Start, $"Unexpected variable \"${Current.Value}\" in constant value.");
                    }

                    throw Unexpected(token);
                }

                return ParseVariable();
            default:
                throw Unexpected(Current);
        }
    }

    private StringValue ParseStringLiteral()
    {
        var token = Current;
        Advance();
        return new StringValue(token.Value!, token.Kind == TokenKind.BlockString) { Location = At(token) };
    }

    private ListValue ParseList(bool isConst)
    {
        var start = _lexer.Start;
        Enter(start);
        var values = Any(TokenKind.BracketLeft, () => ParseValueLiteral(isConst), TokenKind.BracketRight);
        _nesting--;
        return new ListValue(values) { Location = At(start) };
    }

    private ObjectValue ParseObject(bool isConst)
    {
        var start = _lexer.Start;
        Enter(start);
        var fields = Any(TokenKind.BraceLeft, () =>
        {
            var fieldStart = Current;
            var name = ParseName();
            Skip(TokenKind.Colon);
            return new ObjectField(name, ParseValueLiteral(isConst)) { Location = At(fieldStart) };
        }, TokenKind.BraceRight);
        _nesting--;
        return new ObjectValue(fields) { Location = At(start) };
    }

    private IReadOnlyList<Directive> ParseDirectives(bool isConst)
    {
        // Most selections have no directives and no arguments: those share one empty list (no allocation).
        if (!Peek(TokenKind.At))
        {
            return [];
        }

        var directives = new List<Directive>();
        while (Peek(TokenKind.At))
        {
            var start = _lexer.Start;
            Skip(TokenKind.At);
            var name = ParseName();
            directives.Add(new Directive(name, ParseArguments(isConst)) { Location = At(start) });
        }

        return directives;
    }

    // Types.

    private TypeNode ParseTypeReference()
    {
        var start = _lexer.Start;
        TypeNode type;
        if (ExpectOptional(TokenKind.BracketLeft))
        {
            Enter(start);
            var inner = ParseTypeReference();
            _nesting--;
            Skip(TokenKind.BracketRight);
            type = new ListType(inner) { Location = At(start) };
        }
        else
        {
            type = ParseNamedType();
        }

        return ExpectOptional(TokenKind.Bang) ? new NonNullType(type) { Location = At(start) } : type;
    }

    private NamedType ParseNamedType()
    {
        var start = _lexer.Start;
        return new NamedType(ParseName()) { Location = At(start) };
    }

    private Name ParseName()
    {
        if (_lexer.Kind != TokenKind.Name)
        {
            throw ExpectedError(TokenKind.Name);
        }

        var name = new Name(_lexer.Value!) { Location = _lexer.TokenLocation };
        _lexer.Next();
        return name;
    }

    // The type system.

    private bool PeekDescription() => Peek(TokenKind.String) || Peek(TokenKind.BlockString);

    private StringValue? ParseDescription() => PeekDescription() ? ParseStringLiteral() : null;

    private SchemaDefinition ParseSchemaDefinition()
    {
        var start = _lexer.Start;
        var description = ParseDescription();
        ExpectKeyword("schema");
        var directives = ParseDirectives(isConst: true);
        var operationTypes = Many(TokenKind.BraceLeft, ParseOperationTypeDefinition, TokenKind.BraceRight);
        return new SchemaDefinition(description, directives, operationTypes) { Location = At(start) };
    }

    private OperationTypeDefinition ParseOperationTypeDefinition()
    {
        var start = _lexer.Start;
        var operation = ParseOperationType();
        Skip(TokenKind.Colon);
        return new OperationTypeDefinition(operation, ParseNamedType()) { Location = At(start) };
    }

    private ScalarTypeDefinition ParseScalarTypeDefinition()
    {
        var start = _lexer.Start;
        var description = ParseDescription();
        ExpectKeyword("scalar");
        var name = ParseName();
        return new ScalarTypeDefinition(description, name, ParseDirectives(isConst: true)) { Location = At(start) };
    }

    private ObjectTypeDefinition ParseObjectTypeDefinition()
    {
        var start = _lexer.Start;
        var description = ParseDescription();
        ExpectKeyword("type");
        var name = ParseName();
        var interfaces = ParseImplementsInterfaces();
        var directives = ParseDirectives(isConst: true);
        return new ObjectTypeDefinition(description, name, interfaces, directives, ParseFieldsDefinition()) { Location = At(start) };
    }

    private List<NamedType> ParseImplementsInterfaces() => ExpectOptionalKeyword("implements") ? DelimitedMany(TokenKind.Amp, ParseNamedType) : [];

    private List<FieldDefinition> ParseFieldsDefinition() => OptionalMany(TokenKind.BraceLeft, ParseFieldDefinition, TokenKind.BraceRight);

    private FieldDefinition ParseFieldDefinition()
    {
        var start = _lexer.Start;
        var description = ParseDescription();
        var name = ParseName();
        var arguments = OptionalMany(TokenKind.ParenLeft, ParseInputValueDefinition, TokenKind.ParenRight);
        Skip(TokenKind.Colon);
        var type = ParseTypeReference();
        return new FieldDefinition(description, name, arguments, type, ParseDirectives(isConst: true)) { Location = At(start) };
    }

    private InputValueDefinition ParseInputValueDefinition()
    {
        var start = _lexer.Start;
        var description = ParseDescription();
        var name = ParseName();
        Skip(TokenKind.Colon);
        var type = ParseTypeReference();
        var defaultValue = ExpectOptional(TokenKind.Equals) ? ParseValueLiteral(isConst: true) : null;
        return new InputValueDefinition(description, name, type, defaultValue, ParseDirectives(isConst: true)) { Location = At(start) };
    }

    private InterfaceTypeDefinition ParseInterfaceTypeDefinition()
    {
        var start = _lexer.Start;
        var description = ParseDescription();
        ExpectKeyword("interface");
        var name = ParseName();
        var interfaces = ParseImplementsInterfaces();
        var directives = ParseDirectives(isConst: true);
        return new InterfaceTypeDefinition(description, name, interfaces, directives, ParseFieldsDefinition()) { Location = At(start) };
    }

    private UnionTypeDefinition ParseUnionTypeDefinition()
    {
        var start = _lexer.Start;
        var description = ParseDescription();
        ExpectKeyword("union");
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        return new UnionTypeDefinition(description, name, directives, ParseUnionMemberTypes()) { Location = At(start) };
    }

    private List<NamedType> ParseUnionMemberTypes() => ExpectOptional(TokenKind.Equals) ? DelimitedMany(TokenKind.Pipe, ParseNamedType) : [];

    private EnumTypeDefinition ParseEnumTypeDefinition()
    {
        var start = _lexer.Start;
        var description = ParseDescription();
        ExpectKeyword("enum");
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        return new EnumTypeDefinition(description, name, directives, ParseEnumValuesDefinition()) { Location = At(start) };
    }

    private List<EnumValueDefinition> ParseEnumValuesDefinition() => OptionalMany(TokenKind.BraceLeft, ParseEnumValueDefinition, TokenKind.BraceRight);

    private EnumValueDefinition ParseEnumValueDefinition()
    {
        var start = _lexer.Start;
        var description = ParseDescription();
        if (Current.Value is "true" or "false" or "null")
        {
            throw _lexer.Error(Current.Start, $"{Current.Describe()} is reserved and cannot be used for an enum value.");
        }

        var name = ParseName();
        return new EnumValueDefinition(description, name, ParseDirectives(isConst: true)) { Location = At(start) };
    }

    private InputObjectTypeDefinition ParseInputObjectTypeDefinition()
    {
        var start = _lexer.Start;
        var description = ParseDescription();
        ExpectKeyword("input");
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        return new InputObjectTypeDefinition(description, name, directives, ParseInputFieldsDefinition()) { Location = At(start) };
    }

    private List<InputValueDefinition> ParseInputFieldsDefinition() => OptionalMany(TokenKind.BraceLeft, ParseInputValueDefinition, TokenKind.BraceRight);

    private DirectiveDefinition ParseDirectiveDefinition()
    {
        var start = _lexer.Start;
        var description = ParseDescription();
        ExpectKeyword("directive");
        Skip(TokenKind.At);
        var name = ParseName();
        var arguments = OptionalMany(TokenKind.ParenLeft, ParseInputValueDefinition, TokenKind.ParenRight);
        var repeatable = ExpectOptionalKeyword("repeatable");
        ExpectKeyword("on");
        var locations = DelimitedMany(TokenKind.Pipe, ParseDirectiveLocation);
        return new DirectiveDefinition(description, name, arguments, repeatable, locations) { Location = At(start) };
    }

    private static readonly HashSet<string> DirectiveLocations =
    [
        "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT", "VARIABLE_DEFINITION",
        "FRAGMENT_VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE",
        "INPUT_OBJECT", "INPUT_FIELD_DEFINITION", "DIRECTIVE_DEFINITION",
    ];

    private Name ParseDirectiveLocation()
    {
        var token = Current;
        var name = ParseName();
        return DirectiveLocations.Contains(name.Value) ? name : throw Unexpected(token);
    }

    private TypeSystemExtension ParseTypeSystemExtension()
    {
        var keyword = _lexer.Peek();
        if (keyword.Kind == TokenKind.Name)
        {
            switch (keyword.Value)
            {
                case "schema": return ParseSchemaExtension();
                case "scalar": return ParseScalarTypeExtension();
                case "type": return ParseObjectTypeExtension(isInterface: false);
                case "interface": return ParseObjectTypeExtension(isInterface: true);
                case "union": return ParseUnionTypeExtension();
                case "enum": return ParseEnumTypeExtension();
                case "input": return ParseInputObjectTypeExtension();
            }
        }

        throw Unexpected(keyword);
    }

    private SchemaExtension ParseSchemaExtension()
    {
        var start = _lexer.Start;
        ExpectKeyword("extend");
        ExpectKeyword("schema");
        var directives = ParseDirectives(isConst: true);
        var operationTypes = OptionalMany(TokenKind.BraceLeft, ParseOperationTypeDefinition, TokenKind.BraceRight);
        return directives.Count == 0 && operationTypes.Count == 0 ? throw Unexpected(Current) : new SchemaExtension(directives, operationTypes) { Location = At(start) };
    }

    private ScalarTypeExtension ParseScalarTypeExtension()
    {
        var start = _lexer.Start;
        ExpectKeyword("extend");
        ExpectKeyword("scalar");
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        return directives.Count == 0 ? throw Unexpected(Current) : new ScalarTypeExtension(name, directives) { Location = At(start) };
    }

    private TypeExtension ParseObjectTypeExtension(bool isInterface)
    {
        var start = _lexer.Start;
        ExpectKeyword("extend");
        ExpectKeyword(isInterface ? "interface" : "type");
        var name = ParseName();
        var interfaces = ParseImplementsInterfaces();
        var directives = ParseDirectives(isConst: true);
        var fields = ParseFieldsDefinition();
        if (interfaces.Count == 0 && directives.Count == 0 && fields.Count == 0)
        {
            throw Unexpected(Current);
        }

        return isInterface
            ? new InterfaceTypeExtension(name, interfaces, directives, fields) { Location = At(start) }
            : new ObjectTypeExtension(name, interfaces, directives, fields) { Location = At(start) };
    }

    private UnionTypeExtension ParseUnionTypeExtension()
    {
        var start = _lexer.Start;
        ExpectKeyword("extend");
        ExpectKeyword("union");
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        var types = ParseUnionMemberTypes();
        return directives.Count == 0 && types.Count == 0 ? throw Unexpected(Current) : new UnionTypeExtension(name, directives, types) { Location = At(start) };
    }

    private EnumTypeExtension ParseEnumTypeExtension()
    {
        var start = _lexer.Start;
        ExpectKeyword("extend");
        ExpectKeyword("enum");
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        var values = ParseEnumValuesDefinition();
        return directives.Count == 0 && values.Count == 0 ? throw Unexpected(Current) : new EnumTypeExtension(name, directives, values) { Location = At(start) };
    }

    private InputObjectTypeExtension ParseInputObjectTypeExtension()
    {
        var start = _lexer.Start;
        ExpectKeyword("extend");
        ExpectKeyword("input");
        var name = ParseName();
        var directives = ParseDirectives(isConst: true);
        var fields = ParseInputFieldsDefinition();
        return directives.Count == 0 && fields.Count == 0 ? throw Unexpected(Current) : new InputObjectTypeExtension(name, directives, fields) { Location = At(start) };
    }

    // Token helpers, with graphql-js's wording.

    private void Advance() => _lexer.Next();

    private bool Peek(TokenKind kind) => _lexer.Kind == kind;

    private Token Expect(TokenKind kind)
    {
        var token = Current;
        if (token.Kind != kind)
        {
            throw ExpectedError(kind);
        }

        Advance();
        return token;
    }

    private GraphQLSyntaxException ExpectedError(TokenKind kind) => _lexer.Error(Current.Start, $"Expected {Token.Describe(kind)}, found {Current.Describe()}.");

    /// <summary>Steps over a token of this kind, or fails; the common case builds no token.</summary>
    private void Skip(TokenKind kind)
    {
        if (_lexer.Kind != kind)
        {
            throw ExpectedError(kind);
        }

        Advance();
    }

    private bool ExpectOptional(TokenKind kind)
    {
        if (_lexer.Kind != kind)
        {
            return false;
        }

        Advance();
        return true;
    }

    private void ExpectKeyword(string value)
    {
        if (_lexer.Kind != TokenKind.Name || _lexer.Value != value)
        {
            throw _lexer.Error(Current.Start, $"Expected \"{value}\", found {Current.Describe()}.");
        }

        Advance();
    }

    private bool ExpectOptionalKeyword(string value)
    {
        if (_lexer.Kind != TokenKind.Name || _lexer.Value != value)
        {
            return false;
        }

        Advance();
        return true;
    }

    private GraphQLSyntaxException Unexpected(Token token) => _lexer.Error(token.Start, $"Unexpected {token.Describe()}.");

    /// <summary>open item* close (possibly empty).</summary>
    private List<T> Any<T>(TokenKind open, Func<T> item, TokenKind close)
    {
        Expect(open);
        var nodes = new List<T>();
        while (!ExpectOptional(close))
        {
            nodes.Add(item());
        }

        return nodes;
    }

    /// <summary>open item+ close.</summary>
    private List<T> Many<T>(TokenKind open, Func<T> item, TokenKind close)
    {
        Expect(open);
        var nodes = new List<T>();
        do
        {
            nodes.Add(item());
        }
        while (!ExpectOptional(close));
        return nodes;
    }

    /// <summary>Nothing when the next token is not <paramref name="open"/>, else open item+ close.</summary>
    private List<T> OptionalMany<T>(TokenKind open, Func<T> item, TokenKind close) => Peek(open) ? Many(open, item, close) : [];

    /// <summary>An optional leading delimiter, then items separated by it.</summary>
    private List<T> DelimitedMany<T>(TokenKind delimiter, Func<T> item)
    {
        ExpectOptional(delimiter);
        var nodes = new List<T>();
        do
        {
            nodes.Add(item());
        }
        while (ExpectOptional(delimiter));
        return nodes;
    }

    private void Enter(Location at)
    {
        if (++_nesting > _options.MaxNesting)
        {
            throw _lexer.Error(at.Start, $"Document nests more than {_options.MaxNesting} levels deep. Parsing aborted.");
        }
    }

    /// <summary>From the start of the first token to the end of the last token read.</summary>
    private Location At(Location start) => new(start.Start, _lexer.LastEnd, start.Line, start.Column);

    /// <summary>From the start token to the end of the last token read.</summary>
    private Location At(Token start) => new(start.Start, _lexer.LastEnd, start.Line, start.Column);
}
