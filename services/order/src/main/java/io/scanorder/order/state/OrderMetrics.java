package io.scanorder.order.state;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.scanorder.order.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Order metrics: {@code scanorder_orders{state}} (orders in each state, counted in the database so
 * every replica reports the same figure) and {@code scanorder_order_transitions_total{from,to,
 * actor}} (moves this replica made).
 */
@ApplicationScoped
public class OrderMetrics {
    private static final String ORDERS = "scanorder.orders";

    private final MeterRegistry registry;
    private final Map<OrderState, AtomicLong> byState = new EnumMap<>(OrderState.class);

    @Inject
    public OrderMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Quarkus injects the global composite registry, which outlives an application restart
        // in the same JVM (as in tests); a gauge left there would keep reading the old counts.
        registry.find(ORDERS).gauges().forEach(registry::remove);
        for (OrderState s : OrderState.values()) {
            AtomicLong count = new AtomicLong();
            byState.put(s, count);
            Gauge.builder(ORDERS, count, AtomicLong::get)
                    .description("Orders in each state, as last counted in the database")
                    .tag("state", s.name())
                    .strongReference(true)
                    .register(registry);
        }
    }

    /** Counts a committed move; unchanged (idempotent) results are not counted. */
    public void recorded(MoveResult result) {
        if (!result.changed()) {
            return;
        }
        Counter.builder("scanorder.order.transitions")
                .description("Order state transitions made by this replica")
                .tag("from", result.from().name())
                .tag("to", result.to().name())
                .tag("actor", result.actor().kind().name())
                .register(registry)
                .increment();
    }

    /** Re-counts orders by state in one read-only transaction. */
    public void refresh(Transactions transactions) {
        Map<OrderState, Long> counts =
                transactions.inTransaction(
                        "order-state-counts",
                        c -> {
                            Map<OrderState, Long> m = new EnumMap<>(OrderState.class);
                            try (PreparedStatement ps =
                                            c.prepareStatement(
                                                    "SELECT state, count(*) FROM orders"
                                                            + " GROUP BY state");
                                    ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    m.put(OrderState.parse(rs.getString(1)), rs.getLong(2));
                                }
                            }
                            return m;
                        });
        byState.forEach((state, gauge) -> gauge.set(counts.getOrDefault(state, 0L)));
    }

    /** The last counted number of orders in {@code state}. */
    public long count(OrderState state) {
        return byState.get(state).get();
    }
}
