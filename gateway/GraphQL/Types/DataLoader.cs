namespace MachCommerce.GraphQL.Types;

/// <summary>Something that collects keys and fetches them in one batch when told to.</summary>
internal interface IBatch
{
    bool HasPending { get; }

    int PendingCount { get; }

    Task DispatchAsync(CancellationToken cancellationToken);
}

/// <summary>
/// One request's data loaders, by name (one per resolver that batches). The executor dispatches every loader
/// with waiting keys when nothing else can make progress, so the keys of a whole level of the response (say, the
/// offers of 50 products) go out as one call per loader, not one per item.
/// </summary>
public sealed class DataLoaders
{
    private readonly Dictionary<string, IBatch> _loaders = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private TaskCompletionSource _keysWaiting = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The loader of this name for this request, created on first use with its batch function.</summary>
    public DataLoader<TKey, TValue> Get<TKey, TValue>(string name, Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch)
        where TKey : notnull
    {
        lock (_lock)
        {
            if (!_loaders.TryGetValue(name, out var loader))
            {
                _loaders[name] = loader = new DataLoader<TKey, TValue>(fetch, this);
            }

            return loader as DataLoader<TKey, TValue>
                ?? throw new InvalidOperationException($"The data loader \"{name}\" was first used with other key or value types.");
        }
    }

    internal bool HasPending
    {
        get
        {
            lock (_lock)
            {
                return _loaders.Values.Any(l => l.HasPending);
            }
        }
    }

    private int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _loaders.Values.Sum(l => l.PendingCount);
            }
        }
    }

    /// <summary>Completes when a key is waiting: what the executor waits for beside the response itself.</summary>
    internal Task KeysWaiting
    {
        get
        {
            lock (_lock)
            {
                return _keysWaiting.Task;
            }
        }
    }

    internal void KeyQueued()
    {
        lock (_lock)
        {
            _keysWaiting.TrySetResult();
        }
    }

    internal async Task DispatchAsync(CancellationToken cancellationToken)
    {
        List<IBatch> ready;
        lock (_lock)
        {
            _keysWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ready = [.. _loaders.Values.Where(l => l.HasPending)];
        }

        await Task.WhenAll(ready.Select(l => l.DispatchAsync(cancellationToken)));
    }

    /// <summary>
    /// Awaits <paramref name="work"/>, dispatching the loaders whenever keys wait and the work cannot go on without
    /// them. Only the outermost await of a request does this, so inner levels gather their keys first.
    /// </summary>
    internal async ValueTask<T> DriveAsync<T>(ValueTask<T> work, CancellationToken cancellationToken)
    {
        if (work.IsCompleted)
        {
            return await work;
        }

        var task = work.AsTask();
        while (!task.IsCompleted)
        {
            if (HasPending)
            {
                await DispatchAsync(cancellationToken);
                continue;
            }

            if (await Task.WhenAny(task, KeysWaiting) != task)
            {
                // Keys arrive from resolvers that finished their own awaits (remote calls) on other threads; those
                // finishing at about the same time go in one batch: wait while more keep coming, 5 ms at most.
                var deadline = DateTime.UtcNow.AddMilliseconds(5);
                for (var count = PendingCount; DateTime.UtcNow < deadline; count = PendingCount)
                {
                    await Task.Delay(1, cancellationToken);
                    if (PendingCount == count)
                    {
                        break;
                    }
                }
            }
        }

        return await task;
    }
}

/// <summary>
/// Loads values by key for one request: each key is fetched once (later loads of it get the same answer) and the
/// keys asked for together are fetched in one call of the batch function. A key the batch does not return loads
/// as null; a failing batch fails every load of it.
/// </summary>
public sealed class DataLoader<TKey, TValue> : IBatch where TKey : notnull
{
    private readonly Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> _fetch;
    private readonly DataLoaders _owner;
    private readonly Dictionary<TKey, TaskCompletionSource<TValue?>> _requested = [];
    private readonly List<TKey> _pending = [];
    private readonly Lock _lock = new();

    internal DataLoader(Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch, DataLoaders owner)
    {
        _fetch = fetch;
        _owner = owner;
    }

    /// <summary>How many times the batch function ran (for tests and diagnostics).</summary>
    public int Batches { get; private set; }

    public bool HasPending => PendingCount > 0;

    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    public Task<TValue?> LoadAsync(TKey key)
    {
        TaskCompletionSource<TValue?> completion;
        lock (_lock)
        {
            if (_requested.TryGetValue(key, out var existing))
            {
                return existing.Task;
            }

            completion = new TaskCompletionSource<TValue?>();
            _requested[key] = completion;
            _pending.Add(key);
        }

        _owner.KeyQueued();
        return completion.Task;
    }

    public async Task DispatchAsync(CancellationToken cancellationToken)
    {
        List<(TKey Key, TaskCompletionSource<TValue?> Completion)> batch;
        lock (_lock)
        {
            batch = [.. _pending.Select(k => (k, _requested[k]))];
            _pending.Clear();
            if (batch.Count > 0)
            {
                Batches++;
            }
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            var values = await _fetch([.. batch.Select(b => b.Key)], cancellationToken);
            foreach (var (key, completion) in batch)
            {
                completion.TrySetResult(values.TryGetValue(key, out var value) ? value : default);
            }
        }
        catch (Exception e)
        {
            foreach (var (_, completion) in batch)
            {
                completion.TrySetException(e);
            }
        }
    }
}
