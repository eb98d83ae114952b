using System.Net.Http.Json;

namespace MachCommerce.Testing;

public static class BusReadiness
{
    /// <summary>
    /// Waits until the service's readiness report shows its bus healthy: its queues are declared and bound, so
    /// events published from now on reach it (before that, publish/subscribe routes them nowhere).
    /// </summary>
    public static async Task WaitUntilBusHealthyAsync(this HttpClient client, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var report = await client.GetFromJsonAsync<JsonElement>("/health/ready");
            if (report.GetProperty("checks").GetProperty("masstransit").GetProperty("status").GetString() == "Healthy")
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The bus did not become healthy.");
    }
}
