/**
 * The GoMQ-J API ({@code io.gomq.client}) over the network: {@link io.gomq.remote.RemoteClient}
 * connects with a {@link io.gomq.remote.RemoteClientConfig}.
 */
package io.gomq.remote;
