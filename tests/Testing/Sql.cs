namespace MachCommerce.Testing;

/// <summary>Direct looks into a service's database, for asserting what was (and was not) stored.</summary>
public static class Sql
{
    public static async Task<T?> ScalarAsync<T>(string connectionString, string sql, params object[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new() { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }
}

/// <summary>What every refusal of a service must look like.</summary>
public static class ProblemAssertions
{
    /// <summary>No 5xx for a client's input, and every 4xx is ProblemDetails.</summary>
    public static async Task NotServerErrorAsync(HttpResponseMessage response, object payload)
    {
        Xunit.Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {payload}: {await response.Content.ReadAsStringAsync()}");
        if ((int)response.StatusCode >= 400)
        {
            Xunit.Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
