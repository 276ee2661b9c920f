package io.triaready.transport.tunnel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * Opens every socket to one fixed address (the local end of an SSH tunnel) whatever address the
 * client asks for. Given to an HTTP client, it leaves the URL alone, so the Host header, TLS server
 * name and certificate check still use the real host name while the bytes go through the tunnel.
 */
public final class TunnelSocketFactory extends SocketFactory {
    private final InetSocketAddress via;

    public TunnelSocketFactory(InetSocketAddress via) { this.via = via; }

    @Override
    public Socket createSocket() {
        return new Socket() {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                InetSocketAddress target = via.isUnresolved() ? new InetSocketAddress(via.getHostString(), via.getPort()) : via;
                super.connect(target, timeout);
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException { return connected(); }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException { return connected(); }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException { return connected(); }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException { return connected(); }

    private Socket connected() throws IOException {
        Socket s = createSocket();
        s.connect(via);
        return s;
    }
}
