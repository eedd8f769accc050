package io.scanorder.payment.reconcile;

import io.quarkus.scheduler.Scheduled;
import io.scanorder.payment.PaymentException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import org.jboss.logging.Logger;

/**
 * Reconciles yesterday's trade bill (China Standard Time) once a day at {@code
 * scanorder.payment.reconciliation.cron}; WeChat publishes a day's bill from 10:00 the next day.
 */
@ApplicationScoped
public class ReconciliationJob {
    private static final Logger LOG = Logger.getLogger(ReconciliationJob.class);

    private final Reconciler reconciler;

    ReconciliationJob(Reconciler reconciler) {
        this.reconciler = reconciler;
    }

    @Scheduled(
            identity = "trade-bill-reconciliation",
            cron = "{scanorder.payment.reconciliation.cron}",
            timeZone = "Asia/Shanghai",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcileYesterday() {
        LocalDate yesterday = LocalDate.now(Reconciler.CHINA).minusDays(1);
        try {
            reconciler.reconcile(yesterday);
        } catch (PaymentException e) {
            LOG.errorf(
                    "reconciliation of the trade bill of %s failed: %s; run ReconcileBill for"
                            + " that day once the cause is fixed",
                    yesterday, e.getMessage());
        }
    }
}
