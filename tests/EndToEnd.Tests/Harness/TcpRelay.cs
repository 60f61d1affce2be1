using System.Net;
using System.Net.Sockets;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// A byte-for-byte TCP relay on 127.0.0.1 in front of a real server (the loopback Postfix), so a test can take the
/// server away from the program and give it back. TLS passes through untouched (STARTTLS is end to end).
/// <see cref="Stop"/> closes the listening socket (new connections are refused) and drops every open connection;
/// <see cref="Start"/> listens again on the same port.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly object _gate = new();
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _stopping;
    private Task _accepting = Task.CompletedTask;

    private TcpRelay(IPEndPoint target, int port)
    {
        _target = target;
        Port = port;
    }

    /// <summary>The port the relay listens on (the same across <see cref="Stop"/> and <see cref="Start"/>).</summary>
    public int Port { get; }

    /// <summary>Connections accepted since creation: lets a test see that the program did dial the relay.</summary>
    public int Accepted { get; private set; }

    public bool IsRunning => _listener is not null;

    /// <summary>
    /// How many of the next connections are accepted and closed at once, before a byte is relayed (a load balancer with
    /// no server behind it, a server still starting): a TLS client sees its handshake cut.
    /// </summary>
    public int CutNext { get; set; }

    /// <summary>A running relay on a free loopback port forwarding to <paramref name="targetPort"/> on 127.0.0.1.</summary>
    public static TcpRelay StartNew(int targetPort)
    {
        // Port 0 lets the kernel pick a free port; the relay keeps it for Start after Stop.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var relay = new TcpRelay(new IPEndPoint(IPAddress.Loopback, targetPort), port);
        relay.Start();
        return relay;
    }

    public void Start()
    {
        lock (_gate)
        {
            if (_listener is not null)
                return;
            var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _listener = listener;
            _stopping = new CancellationTokenSource();
            _accepting = AcceptLoopAsync(listener, _stopping.Token);
        }
    }

    /// <summary>Refuses new connections from now on and drops the open ones (a server that went away).</summary>
    public async Task StopAsync()
    {
        Task accepting;
        lock (_gate)
        {
            if (_listener is null)
                return;
            _stopping!.Cancel();
            _listener.Stop();
            _listener = null;
            foreach (var client in _open)
                client.Dispose();
            _open.Clear();
            accepting = _accepting;
        }

        await accepting;
        _stopping!.Dispose();
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return; // stopped
            }

            var outbound = new TcpClient();
            lock (_gate)
            {
                if (stopping.IsCancellationRequested)
                {
                    inbound.Dispose();
                    outbound.Dispose();
                    return;
                }
                Accepted++;
                if (CutNext > 0)
                {
                    CutNext--;
                    inbound.Dispose();
                    outbound.Dispose();
                    continue;
                }

                _open.Add(inbound);
                _open.Add(outbound);
            }

            _ = RelayAsync(inbound, outbound, stopping);
        }
    }

    private async Task RelayAsync(TcpClient inbound, TcpClient outbound, CancellationToken stopping)
    {
        try
        {
            await outbound.ConnectAsync(_target, stopping);
            var up = inbound.GetStream().CopyToAsync(outbound.GetStream(), stopping);
            var down = outbound.GetStream().CopyToAsync(inbound.GetStream(), stopping);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went away (or the relay was stopped): closing both ends below is the whole answer.
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove(inbound);
                _open.Remove(outbound);
            }
            inbound.Dispose();
            outbound.Dispose();
        }
    }
}
