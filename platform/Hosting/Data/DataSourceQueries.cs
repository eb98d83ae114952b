namespace MachCommerce.Hosting.Data;

/// <summary>One statement, outside any tenant scope, for tables that have no tenant wall (e.g. the gateway's own).</summary>
public static class DataSourceQueries
{
    /// <summary>
    /// Runs one statement with positional parameters ($1, $2, ...) and reads every row it returns. An array meant as
    /// one parameter must be passed as <c>(object)array</c>, or C# spreads it over the parameters.
    /// </summary>
    public static async Task<List<T>> QueryAsync<T>(this NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken,
        params object?[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>A parameter whose type PostgreSQL cannot infer from a null value.</summary>
    public static NpgsqlParameter Typed(object? value, NpgsqlTypes.NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}
