package io.gomq.bench.connections;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.net.InetSocketAddress;

/**
 * Opens client channels on a given event loop: the channel made directly, registered and
 * connected, with a socket option only where it does something.
 *
 * <p>Design note: this is what {@code Bootstrap.clone(loop).handler(h).connect(remote, local)}
 * does, minus what cost the tool a fair share of its CPU per connect at thousands of connects per
 * second on the cores the broker uses too: a reflective constructor call, a copy of the option
 * map, an address-resolver lookup, a connect-timeout timer per connect (scheduled, then
 * cancelled; a loopback connect is answered or refused at once, and the run's own quiet timeout
 * bounds the rest) and two setsockopt calls that matter only when a source address is bound.
 */
final class Connector {
    private final EventLoopGroup group;
    private final boolean epoll;

    Connector(EventLoopGroup group, boolean epoll) {
        this.group = group;
        this.epoll = epoll;
    }

    /** Connects a new channel with {@code handler} from {@code local} (null: any) on {@code loop} (null: the next). */
    ChannelFuture connect(EventLoop loop, InetSocketAddress remote, InetSocketAddress local, ChannelHandler handler) {
        Channel ch = epoll ? new EpollSocketChannel() : new NioSocketChannel();
        if (local != null) {
            ch.config().setOption(ChannelOption.SO_REUSEADDR, true);
            if (epoll) {
                // bind(addr, 0) would pick the port at bind time, by a search that slows down with every port
                // in use; with this the kernel picks it at connect, per destination
                ch.config().setOption(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
            }
        }
        ch.pipeline().addLast(handler);
        EventLoop on = loop != null ? loop : group.next();
        ChannelFuture registered = on.register(ch);
        if (registered.isDone()) { // registered at once: on its own loop
            return registered.isSuccess() ? ch.connect(remote, local) : registered;
        }
        return chain(registered, remote, local); // registered from another thread: connect once it is
    }

    private static ChannelFuture chain(ChannelFuture registered, InetSocketAddress remote, InetSocketAddress local) {
        Channel ch = registered.channel();
        ChannelPromise connected = ch.newPromise();
        registered.addListener(f -> {
            if (f.isSuccess()) {
                ch.connect(remote, local, connected);
            } else {
                connected.setFailure(f.cause());
                ch.close();
            }
        });
        return connected;
    }
}
