package io.scanorder.order.cart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanorder.order.diner.DinerErrorMapper;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One diner's cart event stream: {@code event: cart} with the cart as that diner sees it (id =
 * version), {@code event: unavailable} while Redis is away, and comment lines as heartbeats. Sends
 * are serialised per stream, and a cart older than the last one sent is skipped, so a diner never
 * sees the cart go back in time.
 */
final class SseCartStream implements CartEvents.Listener {
    private final TableRef table;
    private final String openid;
    private final SseEventSink sink;
    private final Sse sse;
    private final TableCarts carts;
    private final CartEvents events;
    private final ObjectMapper json;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long lastVersion = -1;
    private boolean unavailableSent;

    SseCartStream(
            TableRef table,
            String openid,
            SseEventSink sink,
            Sse sse,
            TableCarts carts,
            CartEvents events,
            ObjectMapper json) {
        this.table = table;
        this.openid = openid;
        this.sink = sink;
        this.sse = sse;
        this.carts = carts;
        this.events = events;
        this.json = json;
    }

    /** Registers the stream and arranges for it to leave when the diner disconnects. */
    void open() {
        // The broadcaster is only here for its close callback: the sink reports a client that
        // went away to the broadcaster it is registered with.
        SseBroadcaster closeWatch = sse.newBroadcaster();
        closeWatch.onClose(s -> close());
        closeWatch.onError((s, e) -> close());
        closeWatch.register(sink);
        events.register(this);
    }

    @Override
    public TableRef table() {
        return table;
    }

    @Override
    public synchronized void cart(TableCarts.Priced cart, boolean force) {
        long version = cart.state().version();
        if (!force && version <= lastVersion) {
            return;
        }
        lastVersion = version;
        unavailableSent = false;
        send(
                sse.newEventBuilder()
                        .name("cart")
                        .id(Long.toString(version))
                        .data(String.class, write(carts.view(cart, openid)))
                        .build());
    }

    @Override
    public synchronized void unavailable(String message) {
        if (unavailableSent) {
            return;
        }
        unavailableSent = true;
        send(
                sse.newEventBuilder()
                        .name("unavailable")
                        .data(
                                String.class,
                                write(new DinerErrorMapper.ErrorBody("CART_UNAVAILABLE", message)))
                        .build());
    }

    @Override
    public synchronized void heartbeat() {
        send(sse.newEventBuilder().comment("keep-alive").build());
    }

    private void send(OutboundSseEvent event) {
        if (closed.get()) {
            return;
        }
        if (sink.isClosed()) {
            close();
            return;
        }
        try {
            sink.send(event)
                    .whenComplete(
                            (ok, failure) -> {
                                if (failure != null) {
                                    close();
                                }
                            });
        } catch (IllegalStateException e) {
            close();
        }
    }

    /** Leaves the table's listeners and ends the response; safe to call more than once. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            events.unregister(this);
            if (!sink.isClosed()) {
                sink.close();
            }
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cart event could not be written", e);
        }
    }
}
