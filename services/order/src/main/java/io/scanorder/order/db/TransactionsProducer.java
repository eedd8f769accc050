package io.scanorder.order.db;

import io.micrometer.core.instrument.MeterRegistry;
import io.scanorder.order.config.OrderServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/** Wires {@link Transactions} to the default datasource and the configured retry policy. */
@ApplicationScoped
public class TransactionsProducer {

    @Produces
    @Singleton
    Transactions transactions(
            DataSource dataSource, MeterRegistry registry, OrderServiceConfig config) {
        OrderServiceConfig.TransactionSettings tx = config.transactions();
        return new Transactions(
                dataSource,
                registry,
                new RetryPolicy(tx.maxAttempts(), tx.initialBackoff(), tx.maxBackoff()));
    }
}
