package io.scanorder.payment.refunds;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.scanorder.payment.OutcomeCounters;
import io.scanorder.payment.PaymentException;
import io.scanorder.payment.Payments;
import io.scanorder.payment.store.PaymentStore;
import io.scanorder.payment.store.RefundRecord;
import io.scanorder.payment.store.RefundState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The fallback for lost refund notifications: refunds accepted by WeChat but still without an
 * outcome after {@code scanorder.payment.refund-check.after} are queried, and what WeChat answers
 * is recorded like a notification (which writes the refund notice for the order service). Safe with
 * several replicas: querying and recording are idempotent.
 */
@ApplicationScoped
public class RefundQueryFallback {
    private static final Logger LOG = Logger.getLogger(RefundQueryFallback.class);

    /** Outcomes counted in {@code scanorder_payment_refund_checks_total{result}}. */
    enum Result {
        SETTLED,
        WAITING,
        ERROR
    }

    private final PaymentStore store;
    private final Payments payments;
    private final Duration interval;
    private final Duration after;
    private final int batchSize;
    private final OutcomeCounters<Result> results;
    private final Clock clock = Clock.systemUTC();

    RefundQueryFallback(
            PaymentStore store,
            Payments payments,
            MeterRegistry registry,
            @ConfigProperty(name = "scanorder.payment.refund-check.interval", defaultValue = "PT1M")
                    Duration interval,
            @ConfigProperty(name = "scanorder.payment.refund-check.after", defaultValue = "PT5M")
                    Duration after,
            @ConfigProperty(name = "scanorder.payment.refund-check.batch-size", defaultValue = "50")
                    int batchSize) {
        this.store = store;
        this.payments = payments;
        this.interval = interval;
        this.after = after;
        this.batchSize = batchSize;
        this.results =
                OutcomeCounters.register(
                        registry,
                        "scanorder.payment.refund.checks",
                        "Refunds without an outcome queried at WeChat Pay, by result",
                        Result.class);
    }

    @Scheduled(
            identity = "refund-query-fallback",
            every = "{scanorder.payment.refund-check.interval}",
            delayed = "{scanorder.payment.refund-check.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRound() {
        try {
            checkOpenRefunds();
        } catch (RuntimeException e) {
            LOG.warnf("checking open refunds failed, next round in %s: %s", interval, e);
        }
    }

    /**
     * One round over the refunds waiting too long for their outcome (one batch).
     *
     * @return how many reached their outcome
     */
    public int checkOpenRefunds() {
        List<PaymentStore.OpenRefund> open =
                store.findOpenRefunds(clock.instant().minus(after), batchSize);
        int settled = 0;
        for (PaymentStore.OpenRefund r : open) {
            try {
                RefundRecord now = payments.queryRefund(r.storeCode(), r.outRefundNo());
                if (now.state().rank() == RefundState.SUCCESS.rank()) {
                    LOG.infof(
                            "refund %s of %s is %s (its notification never came); recorded",
                            r.outRefundNo(), r.outTradeNo(), now.state());
                    settled++;
                    results.count(Result.SETTLED);
                } else {
                    results.count(Result.WAITING);
                }
            } catch (PaymentException e) {
                results.count(Result.ERROR);
                LOG.warnf(
                        "could not query refund %s: %s (next round retries)",
                        r.outRefundNo(), e.getMessage());
            }
        }
        return settled;
    }
}
