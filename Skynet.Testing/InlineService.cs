namespace Skynet.Testing;

/// <summary>A service whose start is a delegate: the body of <see cref="SkynetTestNode.RunInsideAsync{T}"/> and <see cref="SkynetTestNode.NewServiceAsync(MessageHandlerWithSelf)"/>.</summary>
internal sealed class InlineService(Func<Service, ValueTask> start) : Service
{
    protected override ValueTask OnStart(object?[] args) => start(this);
}

/// <summary>A dispatch function that also gets the service it runs in, to call <c>Ret</c>, <c>Send</c>, <c>Sleep</c> and the rest.</summary>
public delegate ValueTask MessageHandlerWithSelf(Service self, Message message);
