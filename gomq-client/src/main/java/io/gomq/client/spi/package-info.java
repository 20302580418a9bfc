/**
 * Parts the implementations of the API share ({@code io.gomq.embedded}, {@code io.gomq.remote});
 * not API: the module exports it to those two modules only.
 */
package io.gomq.client.spi;
