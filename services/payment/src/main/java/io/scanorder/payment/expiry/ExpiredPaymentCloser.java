package io.scanorder.payment.expiry;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.scanorder.payment.OutcomeCounters;
import io.scanorder.payment.PaymentException;
import io.scanorder.payment.Payments;
import io.scanorder.payment.store.PaymentRecord;
import io.scanorder.payment.store.PaymentState;
import io.scanorder.payment.store.PaymentStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Closes WeChat trades nobody paid before their deadline (the order's payment timeout, sent as
 * {@code expires_at}), so a late diner cannot pay an order the order service has already closed.
 * Each trade is queried first: one that was in fact paid (its notification lost or late) is
 * recorded as paid, which tells the order service, instead of being closed. Safe with several
 * replicas: querying and closing are idempotent.
 */
@ApplicationScoped
public class ExpiredPaymentCloser {
    private static final Logger LOG = Logger.getLogger(ExpiredPaymentCloser.class);

    /** Outcomes counted in {@code scanorder_payment_expired_total{result}}. */
    enum Result {
        CLOSED,
        PAID,
        WAITING,
        ERROR
    }

    private final PaymentStore store;
    private final Payments payments;
    private final Duration interval;
    private final Duration defaultTimeout;
    private final int batchSize;
    private final OutcomeCounters<Result> results;
    private final Clock clock = Clock.systemUTC();

    ExpiredPaymentCloser(
            PaymentStore store,
            Payments payments,
            MeterRegistry registry,
            @ConfigProperty(name = "scanorder.payment.expiry.interval", defaultValue = "PT30S")
                    Duration interval,
            @ConfigProperty(
                            name = "scanorder.payment.expiry.default-timeout",
                            defaultValue = "PT2H")
                    Duration defaultTimeout,
            @ConfigProperty(name = "scanorder.payment.expiry.batch-size", defaultValue = "100")
                    int batchSize) {
        this.store = store;
        this.payments = payments;
        this.interval = interval;
        this.defaultTimeout = defaultTimeout;
        this.batchSize = batchSize;
        this.results =
                OutcomeCounters.register(
                        registry,
                        "scanorder.payment.expired",
                        "Unpaid payments past their deadline, by what became of them",
                        Result.class);
    }

    @Scheduled(
            identity = "expired-payment-closer",
            every = "{scanorder.payment.expiry.interval}",
            delayed = "{scanorder.payment.expiry.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRound() {
        try {
            closeExpired();
        } catch (RuntimeException e) {
            LOG.warnf("closing expired payments failed, next round in %s: %s", interval, e);
        }
    }

    /**
     * One round over the expired open payments (one batch; the next round takes the rest).
     *
     * @return how many were closed
     */
    public int closeExpired() {
        List<PaymentRecord> expired =
                store.findExpiredOpen(clock.instant(), defaultTimeout, batchSize);
        int closed = 0;
        for (PaymentRecord p : expired) {
            try {
                PaymentRecord now = payments.query(p.storeCode(), p.outTradeNo());
                if (now.state().isPaid()) {
                    LOG.infof(
                            "payment %s was paid after all (notification missing); recorded",
                            p.outTradeNo());
                    results.count(Result.PAID);
                } else if (now.state() == PaymentState.USER_PAYING) {
                    // The diner is entering the password right now: look again next round.
                    results.count(Result.WAITING);
                } else if (now.state() != PaymentState.CLOSED) {
                    payments.close(p.storeCode(), p.outTradeNo());
                    closed++;
                    results.count(Result.CLOSED);
                } else {
                    results.count(Result.CLOSED);
                }
            } catch (PaymentException e) {
                results.count(Result.ERROR);
                LOG.warnf(
                        "could not close expired payment %s: %s (next round retries)",
                        p.outTradeNo(), e.getMessage());
            }
        }
        return closed;
    }
}
