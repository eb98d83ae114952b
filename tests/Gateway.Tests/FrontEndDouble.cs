using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// A front end's sign-in callback as a real HTTP server on loopback: the authorization endpoint sends the browser
/// here with the code; the test picks the code up by the state it sent.
/// </summary>
public sealed class FrontEndDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<IQueryCollection>> _callbacks = new();

    private FrontEndDouble(WebApplication app, Uri redirect) => (_app, Redirect) = (app, redirect);

    public Uri Redirect { get; }

    public static async Task<FrontEndDouble> StartAsync()
    {
        FrontEndDouble? double_ = null;
        var (app, address) = await LoopbackServer.StartAsync(app => app.MapGet("/signed-in", (HttpContext http) =>
        {
            double_!.Callback(http.Request.Query["state"].ToString()).TrySetResult(http.Request.Query);
            return Results.Text("signed in");
        }));
        double_ = new FrontEndDouble(app, new Uri(address, "signed-in"));
        return double_;
    }

    /// <summary>The query the browser arrived with for <paramref name="state"/> (code, state, or error).</summary>
    public Task<IQueryCollection> CallbackAsync(string state) => Callback(state).Task.WaitAsync(TimeSpan.FromSeconds(30));

    private TaskCompletionSource<IQueryCollection> Callback(string state) => _callbacks.GetOrAdd(state, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
