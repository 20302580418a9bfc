/**
 * The JUnit 5 extension for tests against a real GoMQ broker: annotate a test class with
 * {@link io.gomq.junit.GoMqTest} and declare a {@link io.gomq.junit.GoMqTestBroker}, a listener's
 * address or a connected client as a parameter.
 */
package io.gomq.junit;
