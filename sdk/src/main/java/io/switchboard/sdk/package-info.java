/**
 * The resilient Java client for Switchboard servers (wire protocol v1).
 *
 * <p>Start with {@link io.switchboard.sdk.SwitchboardClient#create(io.vertx.core.Vertx,
 * io.switchboard.sdk.ClientOptions)} (or {@code create(options)} for applications without Vert.x of
 * their own). {@link io.switchboard.sdk.SendResult} lists what every send can answer, {@link
 * io.switchboard.sdk.ConnectionState} the states, {@link io.switchboard.sdk.ReconnectMode} what a
 * reconnect restores, and {@link io.switchboard.sdk.ClientOptions} every option with its default
 * and the backoff formula. Everything in {@code io.switchboard.sdk.impl} is implementation, not
 * API.
 */
package io.switchboard.sdk;
