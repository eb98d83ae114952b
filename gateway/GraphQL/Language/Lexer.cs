namespace MachCommerce.GraphQL.Language;

/// <summary>
/// Turns a GraphQL source into tokens (spec section 2.1, October 2021, plus the draft's variable-width
/// <c>\u{...}</c> escapes): ignored tokens (BOM, white space, line terminators, commas, comments) are skipped,
/// line and column are tracked as graphql-js reports them, and malformed input fails with a syntax error at
/// the offending character.
/// </summary>
public sealed class Lexer(string source, int maxTokens = int.MaxValue)
{
    private int _position;
    private int _line = 1;
    private int _lineStart;
    private int _tokens;

    public string Source { get; } = source;

    // The current token is kept in fields rather than one Token struct: the parser asks for its kind many times
    // per token, and storing a whole struct with a reference in it on every step costs more than the lexing.
    private TokenKind _kind = TokenKind.StartOfFile;
    private int _start;
    private int _end;
    private int _tokenLine;
    private int _tokenColumn;
    private string? _value;

    public Token Current => new(_kind, _start, _end, _tokenLine, _tokenColumn, _value);

    public TokenKind Kind => _kind;

    /// <summary>The current token's value: a name, a number's text, a string's content (null for punctuators).</summary>
    public string? Value => _value;

    /// <summary>Where the current token starts, as a node's location begins.</summary>
    public Location Start => new(_start, _start, _tokenLine, _tokenColumn);

    /// <summary>Where the current token is, from its start to its end.</summary>
    public Location TokenLocation => new(_start, _end, _tokenLine, _tokenColumn);

    /// <summary>Where the token before <see cref="Current"/> ended: the end of a node that has just been read.</summary>
    public int LastEnd { get; private set; }

    /// <summary>Moves to the next token and returns it.</summary>
    public Token Advance()
    {
        Next();
        return Current;
    }

    /// <summary>Moves to the next token.</summary>
    public void Next()
    {
        LastEnd = _end;
        if (_kind != TokenKind.EndOfFile)
        {
            ReadToken();
            if (_kind != TokenKind.EndOfFile && ++_tokens > maxTokens)
            {
                throw Error(_start, $"Document contains more than {maxTokens} tokens. Parsing aborted.");
            }
        }
    }

    private void Set(in Token token)
    {
        _kind = token.Kind;
        _start = token.Start;
        _end = token.End;
        _tokenLine = token.Line;
        _tokenColumn = token.Column;
        _value = token.Value;
    }

    /// <summary>The token after the current one, without moving (the parser looks one ahead in a few places).</summary>
    public Token Peek()
    {
        var (position, line, lineStart, current, tokens) = (_position, _line, _lineStart, Current, _tokens);
        ReadToken();
        var next = Current;
        (_position, _line, _lineStart, _tokens) = (position, line, lineStart, tokens);
        Set(current);
        return next;
    }

    /// <summary>Makes a token current without building a Token: punctuators and names, most of any document.</summary>
    private void Set(TokenKind kind, int start, int end, string? value)
    {
        _kind = kind;
        _start = start;
        _end = end;
        _tokenLine = _line;
        _tokenColumn = start - _lineStart + 1;
        _value = value;
        _position = end;
    }

    public GraphQLSyntaxException Error(int position, string message)
    {
        var (line, column) = LocationOf(Source, position);
        return new GraphQLSyntaxException(message, position, line, column);
    }

    /// <summary>The 1-based line and column of an offset, counting \n, \r\n and \r as line ends.</summary>
    public static (int Line, int Column) LocationOf(string source, int position)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < position && i < source.Length; i++)
        {
            if (source[i] == '\n' || source[i] == '\r' && (i + 1 >= source.Length || source[i + 1] != '\n'))
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, position - lineStart + 1);
    }

    private Token Make(TokenKind kind, int start, int end, string? value = null) => new(kind, start, end, _line, start - _lineStart + 1, value);

    /// <summary>Reads the next token into the current-token fields.</summary>
    private void ReadToken()
    {
        var body = Source;
        var position = _position;
        while (position < body.Length)
        {
            var code = body[position];
            if (code == ' ')
            {
                // Indentation is most of the ignored text: skip a run of spaces in one tight loop.
                do
                {
                    position++;
                }
                while (position < body.Length && body[position] == ' ');
                continue;
            }

            switch (code)
            {
                case '\uFEFF' or '\t' or ',':
                    position++;
                    continue;
                case '\n':
                    position++;
                    _line++;
                    _lineStart = position;
                    continue;
                case '\r':
                    position += position + 1 < body.Length && body[position + 1] == '\n' ? 2 : 1;
                    _line++;
                    _lineStart = position;
                    continue;
                case '#':
                    position++;
                    while (position < body.Length && body[position] is not ('\n' or '\r'))
                    {
                        position++;
                    }

                    continue;
            }

            _position = position;
            // One table look-up tells a punctuator (its kind) or a name start (Name) from everything else (0).
            var kind = code < (uint)TokenStarts.Length ? (TokenKind)TokenStarts[code] : TokenKind.StartOfFile;
            if (kind is not (TokenKind.StartOfFile or TokenKind.Name))
            {
                Set(kind, position, position + 1, null);
                return;
            }

            if (kind == TokenKind.Name)
            {
                var end = position + 1;
                var continues = NameContinue;
                while ((uint)end < (uint)body.Length && body[end] is var next && next < (uint)continues.Length && continues[next] != 0)
                {
                    end++;
                }

                Set(TokenKind.Name, position, end, Intern(body, position, end - position));
                return;
            }

            ReadValueToken(position, code);
            return;
        }

        Set(TokenKind.EndOfFile, body.Length, body.Length, null);
    }

    /// <summary>
    /// Strings, numbers, the spread and errors: kept out of <see cref="ReadToken"/> so its frame stays small for
    /// the punctuators and names that make up most of a document.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ReadValueToken(int position, char code)
    {
        var body = Source;
        var token = code switch
        {
            '.' => Spread(position),
            '"' => position + 2 < body.Length && body[position + 1] == '"' && body[position + 2] == '"' ? BlockString(position) : String(position),
            _ when char.IsAsciiDigit(code) || code == '-' => Number(position),
            _ => throw Error(position, code == '\''
                ? "Unexpected single quote character ('), did you mean to use a double quote (\")?"
                : IsScalarAt(position) ? $"Unexpected character: {Printable(position)}." : $"Invalid character: {Printable(position)}."),
        };
        Set(token);
        _position = token.End;
    }

    private Token Spread(int position)
    {
        var body = Source;
        var next = position + 1 < body.Length ? body[position + 1] : '\0';
        if (next == '.' && position + 2 < body.Length && body[position + 2] == '.')
        {
            return Make(TokenKind.Spread, position, position + 3);
        }

        if (next == '.')
        {
            throw Error(position, "Unexpected \"..\", did you mean \"...\"?");
        }

        if (char.IsAsciiDigit(next))
        {
            var end = position + 1;
            while (end < body.Length && char.IsAsciiDigit(body[end]))
            {
                end++;
            }

            throw Error(position, $"Invalid number, expected digit before \".\", did you mean \"0.{body[(position + 1)..end]}\"?");
        }

        throw Error(position, $"Unexpected character: {Printable(position)}.");
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    /// <summary>For each ASCII character: the punctuator it is, <see cref="TokenKind.Name"/> for a name start, else 0.</summary>
    private static ReadOnlySpan<byte> TokenStarts =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 2, 0, 0, 3, 0, 4, 0, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 9, 0, 0,
        10, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 11, 0, 12, 0, 16,
        0, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 13, 14, 15, 0, 0,
    ];

    /// <summary>1 for the ASCII characters that may continue a name (letters, digits, underscore).</summary>
    private static ReadOnlySpan<byte> NameContinue =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    ];



    private static readonly string?[] NameCache = new string?[4096];

    /// <summary>
    /// One string per name for the names documents keep repeating (the same fields and types in every request), so
    /// they are not allocated again each time: a direct-mapped cache keyed by a cheap hash of length, first, middle
    /// and last character. A collision just replaces the entry; a hostile stream of invented names can only miss.
    /// Reads and writes of the references are atomic, so threads share it without locks.
    /// </summary>
    private static string Intern(string body, int start, int length)
    {
        var slot = (((length * 31) + body[start]) * 31 + body[start + length - 1]) * 31 + body[start + (length >> 1)];
        slot &= NameCache.Length - 1;
        var cached = NameCache[slot];
        if (cached is not null && cached.Length == length && body.AsSpan(start, length).SequenceEqual(cached))
        {
            return cached;
        }

        var text = body.Substring(start, length);
        NameCache[slot] = text;
        return text;
    }

    /// <summary>IntValue or FloatValue; a number may not be followed directly by a dot or a name start.</summary>
    private Token Number(int start)
    {
        var body = Source;
        var position = start;
        var isFloat = false;
        if (body[position] == '-')
        {
            position++;
        }

        if (position < body.Length && body[position] == '0')
        {
            position++;
            if (position < body.Length && char.IsAsciiDigit(body[position]))
            {
                throw Error(position, $"Invalid number, unexpected digit after 0: {Printable(position)}.");
            }
        }
        else
        {
            position = Digits(position);
        }

        if (position < body.Length && body[position] == '.')
        {
            isFloat = true;
            position = Digits(position + 1);
        }

        if (position < body.Length && body[position] is 'e' or 'E')
        {
            isFloat = true;
            position++;
            if (position < body.Length && body[position] is '+' or '-')
            {
                position++;
            }

            position = Digits(position);
        }

        if (position < body.Length && (body[position] == '.' || IsNameStart(body[position])))
        {
            throw Error(position, $"Invalid number, expected digit but got: {Printable(position)}.");
        }

        return Make(isFloat ? TokenKind.Float : TokenKind.Int, start, position, body[start..position]);
    }

    private int Digits(int position)
    {
        if (position >= Source.Length || !char.IsAsciiDigit(Source[position]))
        {
            throw Error(position, $"Invalid number, expected digit but got: {Printable(position)}.");
        }

        while (position < Source.Length && char.IsAsciiDigit(Source[position]))
        {
            position++;
        }

        return position;
    }

    private Token String(int start)
    {
        var body = Source;
        var position = start + 1;
        var chunkStart = position;
        StringBuilder? value = null;
        while (position < body.Length)
        {
            var code = body[position];
            if (code == '"')
            {
                var text = value is null ? body[chunkStart..position] : value.Append(body, chunkStart, position - chunkStart).ToString();
                return Make(TokenKind.String, start, position + 1, text);
            }

            if (code == '\\')
            {
                value ??= new StringBuilder();
                value.Append(body, chunkStart, position - chunkStart);
                position = Escape(position, value);
                chunkStart = position;
                continue;
            }

            if (code is '\n' or '\r')
            {
                break;
            }

            if (IsSourceCharacterAt(position, out var width))
            {
                position += width;
            }
            else
            {
                throw Error(position, $"Invalid character within String: {Printable(position)}.");
            }
        }

        throw Error(position, "Unterminated string.");
    }

    /// <summary>Reads the escape at <paramref name="position"/> (a backslash) into <paramref name="value"/>; returns the position after it.</summary>
    private int Escape(int position, StringBuilder value)
    {
        var body = Source;
        var next = position + 1 < body.Length ? body[position + 1] : '\0';
        switch (next)
        {
            case '"': value.Append('"'); return position + 2;
            case '\\': value.Append('\\'); return position + 2;
            case '/': value.Append('/'); return position + 2;
            case 'b': value.Append('\b'); return position + 2;
            case 'f': value.Append('\f'); return position + 2;
            case 'n': value.Append('\n'); return position + 2;
            case 'r': value.Append('\r'); return position + 2;
            case 't': value.Append('\t'); return position + 2;
            case 'u':
                return position + 2 < body.Length && body[position + 2] == '{' ? VariableWidthUnicode(position, value) : FixedWidthUnicode(position, value);
            default:
                throw Error(position, $"Invalid character escape sequence: \"{Slice(position, 2)}\".");
        }
    }

    private int VariableWidthUnicode(int position, StringBuilder value)
    {
        var body = Source;
        var point = 0;
        var size = 3;
        // At most 12 characters: \u{ + up to 8 hex digits (leading zeros allowed) + }.
        while (size < 12 && position + size < body.Length)
        {
            var c = body[position + size++];
            if (c == '}')
            {
                if (size < 5 || !IsScalar(point))
                {
                    break;
                }

                value.Append(char.ConvertFromUtf32(point));
                return position + size;
            }

            var digit = HexValue(c);
            if (digit < 0)
            {
                break;
            }

            point = (point << 4) | digit;
            if (point > 0x10FFFF)
            {
                break;
            }
        }

        throw Error(position, $"Invalid Unicode escape sequence: \"{Slice(position, size)}\".");
    }

    private int FixedWidthUnicode(int position, StringBuilder value)
    {
        var code = Hex4(position + 2);
        if (code >= 0 && IsScalar(code))
        {
            value.Append((char)code);
            return position + 6;
        }

        // A leading surrogate escape followed by a trailing surrogate escape is one supplementary character.
        if (code is >= 0xD800 and <= 0xDBFF && position + 11 < Source.Length + 1 && Slice(position + 6, 2) == "\\u")
        {
            var trailing = Hex4(position + 8);
            if (trailing is >= 0xDC00 and <= 0xDFFF)
            {
                value.Append((char)code).Append((char)trailing);
                return position + 12;
            }
        }

        throw Error(position, $"Invalid Unicode escape sequence: \"{Slice(position, 6)}\".");
    }

    private int Hex4(int position)
    {
        if (position + 4 > Source.Length)
        {
            return -1;
        }

        var value = 0;
        for (var i = 0; i < 4; i++)
        {
            var digit = HexValue(Source[position + i]);
            if (digit < 0)
            {
                return -1;
            }

            value = (value << 4) | digit;
        }

        return value;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private Token BlockString(int start)
    {
        var body = Source;
        var position = start + 3;
        var chunkStart = position;
        var raw = new StringBuilder();
        var (line, lineStart) = (_line, _lineStart);
        while (position < body.Length)
        {
            var code = body[position];
            if (code == '"' && position + 2 < body.Length && body[position + 1] == '"' && body[position + 2] == '"')
            {
                raw.Append(body, chunkStart, position - chunkStart);
                // The token's line and column are where it starts; the lexer's line moves on past it.
                var token = new Token(TokenKind.BlockString, start, position + 3, line, start - lineStart + 1, Language.BlockString.Value(raw.ToString()));
                return token;
            }

            if (code == '\\' && position + 3 < body.Length && body[position + 1] == '"' && body[position + 2] == '"' && body[position + 3] == '"')
            {
                raw.Append(body, chunkStart, position - chunkStart).Append("\"\"\"");
                position += 4;
                chunkStart = position;
                continue;
            }

            if (code is '\n' or '\r')
            {
                position += code == '\r' && position + 1 < body.Length && body[position + 1] == '\n' ? 2 : 1;
                _line++;
                _lineStart = position;
                continue;
            }

            if (IsSourceCharacterAt(position, out var width))
            {
                position += width;
            }
            else
            {
                throw Error(position, $"Invalid character within String: {Printable(position)}.");
            }
        }

        throw Error(position, "Unterminated string.");
    }

    /// <summary>
    /// Any Unicode scalar value but a line terminator may appear in a string: the draft specification (and graphql-js
    /// 17) dropped October 2021's exclusion of control characters; a lone surrogate is never a character.
    /// </summary>
    private bool IsSourceCharacterAt(int position, out int width)
    {
        var c = Source[position];
        width = 1;
        if (char.IsHighSurrogate(c))
        {
            width = 2;
            return position + 1 < Source.Length && char.IsLowSurrogate(Source[position + 1]);
        }

        return !char.IsLowSurrogate(c);
    }

    private static bool IsScalar(int point) => point is >= 0 and <= 0xD7FF or >= 0xE000 and <= 0x10FFFF;

    private bool IsScalarAt(int position)
    {
        var c = Source[position];
        return !char.IsSurrogate(c) || char.IsHighSurrogate(c) && position + 1 < Source.Length && char.IsLowSurrogate(Source[position + 1]);
    }

    private string Slice(int position, int length) => Source.Substring(position, Math.Min(length, Source.Length - position));

    /// <summary>A character as graphql-js prints it in messages: "x" for printable ASCII, '"' for a quote, U+XXXX otherwise, &lt;EOF&gt; at the end.</summary>
    private string Printable(int position)
    {
        if (position >= Source.Length)
        {
            return "<EOF>";
        }

        var point = char.IsHighSurrogate(Source[position]) && position + 1 < Source.Length && char.IsLowSurrogate(Source[position + 1])
            ? char.ConvertToUtf32(Source[position], Source[position + 1])
            : Source[position];
        return point switch
        {
            '"' => "'\"'",
            >= 0x20 and <= 0x7E => $"\"{(char)point}\"",
            _ => "U+" + point.ToString("X4", CultureInfo.InvariantCulture),
        };
    }
}
