namespace MachCommerce.Webhooks.Dispatch;

/// <summary>
/// The deliveries this dispatcher holds: claimed ahead and waiting per subscription, or being sent. At most
/// <c>perSubscription</c> of one subscription and <c>total</c> in all are in flight, so a receiver that hangs fills
/// only its own slots. When one attempt ends the next waiting one starts at once, without asking the database:
/// one claim feeds many attempts, which is what lets one subscription take thousands of deliveries a second.
/// </summary>
internal sealed class SendSlots(int perSubscription, int total, int claimAhead)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Lane> _lanes = [];
    private int _inFlight;
    private int _held;
    private bool _stopped;

    /// <summary>Claimed and not yet finished, in flight or waiting.</summary>
    public int Held
    {
        get
        {
            lock (_gate)
            {
                return _held;
            }
        }
    }

    /// <summary>How many each subscription holds, for the claim to take only what fits (<c>claimAhead</c> a subscription).</summary>
    public (Guid[] Subscriptions, int[] Held) PerSubscription()
    {
        lock (_gate)
        {
            var lanes = _lanes.Where(pair => pair.Value.Held > 0).ToArray();
            return (lanes.Select(pair => pair.Key).ToArray(), lanes.Select(pair => pair.Value.Held).ToArray());
        }
    }

    /// <summary>Takes newly claimed deliveries (each lane in claim order) and returns those that may start now.</summary>
    public List<ClaimedDelivery> Add(IReadOnlyList<ClaimedDelivery> claimed)
    {
        lock (_gate)
        {
            foreach (var delivery in claimed)
            {
                LaneOf(delivery.SubscriptionId).Waiting.Enqueue(delivery);
                _held++;
            }

            return StartableLocked();
        }
    }

    /// <summary>
    /// An attempt ended: frees its slot and returns what may start now. <paramref name="runningLow"/> says the
    /// subscription has just run down to half of what it may hold ahead, so it is time to claim more.
    /// </summary>
    public List<ClaimedDelivery> Finish(ClaimedDelivery delivery, out bool runningLow)
    {
        lock (_gate)
        {
            var lane = LaneOf(delivery.SubscriptionId);
            var globalWasFull = _inFlight >= total;
            lane.InFlight--;
            _inFlight--;
            _held--;
            runningLow = lane.Held == claimAhead / 2 || lane.Held == 0;
            if (lane.Held == 0)
            {
                _lanes.Remove(delivery.SubscriptionId);
            }

            if (_stopped)
            {
                return [];
            }

            if (globalWasFull)
            {
                return StartableLocked();
            }

            var next = new List<ClaimedDelivery>(1);
            while (lane.Held > 0 && lane.InFlight < perSubscription && _inFlight < total && lane.Waiting.TryDequeue(out var waiting))
            {
                lane.InFlight++;
                _inFlight++;
                next.Add(waiting);
            }

            return next;
        }
    }

    /// <summary>The deliveries waiting for a slot, whose leases must be kept.</summary>
    public Guid[] WaitingIds()
    {
        lock (_gate)
        {
            return WaitingIdsLocked();
        }
    }

    private Guid[] WaitingIdsLocked() => [.. _lanes.Values.SelectMany(lane => lane.Waiting).Select(delivery => delivery.Id)];

    /// <summary>Stopping: nothing more starts; the deliveries that were claimed but never started, so their leases can be given back.</summary>
    public Guid[] TakeWaiting()
    {
        lock (_gate)
        {
            _stopped = true;
            var waiting = WaitingIdsLocked();
            foreach (var lane in _lanes.Values)
            {
                _held -= lane.Waiting.Count;
                lane.Waiting.Clear();
            }

            return waiting;
        }
    }

    private Lane LaneOf(Guid subscriptionId)
    {
        if (!_lanes.TryGetValue(subscriptionId, out var lane))
        {
            lane = new Lane();
            _lanes[subscriptionId] = lane;
        }

        return lane;
    }

    private List<ClaimedDelivery> StartableLocked()
    {
        var startable = new List<ClaimedDelivery>();
        foreach (var lane in _lanes.Values)
        {
            while (lane.InFlight < perSubscription && _inFlight < total && lane.Waiting.TryDequeue(out var delivery))
            {
                lane.InFlight++;
                _inFlight++;
                startable.Add(delivery);
            }
        }

        return startable;
    }

    private sealed class Lane
    {
        public int InFlight;

        public Queue<ClaimedDelivery> Waiting { get; } = new();

        public int Held => InFlight + Waiting.Count;
    }
}
