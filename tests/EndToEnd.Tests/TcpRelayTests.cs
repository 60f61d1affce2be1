using System.Net;
using System.Net.Sockets;
using System.Text;
using MailIntake.EndToEnd.Tests.Harness;

namespace MailIntake.EndToEnd.Tests;

/// <summary>The harness's relay does what the SMTP outage scenario relies on, against the stack's Postfix.</summary>
public sealed class TcpRelayTests
{
    [Fact]
    public async Task StopThenStart_RefusesAndDropsWhileStoppedThenRelaysAgainOnTheSamePort()
    {
        await using var relay = TcpRelay.StartNew(MailStack.Settings.SmtpPort);
        using var open = new TcpClient();
        await open.ConnectAsync(IPAddress.Loopback, relay.Port);
        Assert.StartsWith("220 ", await ReadLineAsync(open.GetStream()));

        await relay.StopAsync();

        Assert.True(await IsClosedAsync(open.GetStream()), "an open connection must be dropped when the relay stops");
        using (var refused = new TcpClient())
        {
            var error = await Assert.ThrowsAsync<SocketException>(() => refused.ConnectAsync(IPAddress.Loopback, relay.Port));
            Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        }

        relay.Start();

        using var again = new TcpClient();
        await again.ConnectAsync(IPAddress.Loopback, relay.Port);
        Assert.StartsWith("220 ", await ReadLineAsync(again.GetStream()));
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var bytes = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one, cts.Token) == 1 && one[0] != '\n')
            bytes.Add(one[0]);
        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    private static async Task<bool> IsClosedAsync(NetworkStream stream)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            return await stream.ReadAsync(new byte[1], cts.Token) == 0;
        }
        catch (IOException)
        {
            return true; // reset by the relay: dropped as well
        }
    }
}
