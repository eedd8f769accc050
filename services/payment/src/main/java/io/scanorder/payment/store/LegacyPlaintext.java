package io.scanorder.payment.store;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * At start-up, encrypts payment-sensitive values still stored in clear by a version before
 * encryption at rest (Flyway V5), so an upgraded database holds no clear payer data after the first
 * start.
 */
@ApplicationScoped
public class LegacyPlaintext {
    private static final Logger LOG = Logger.getLogger(LegacyPlaintext.class);

    private final PaymentStore store;

    LegacyPlaintext(PaymentStore store) {
        this.store = store;
    }

    void encrypt(@Observes StartupEvent event) {
        try {
            int rows = store.encryptLegacyRows();
            if (rows > 0) {
                LOG.infof(
                        "encrypted %d row(s) written in clear before encryption at rest, with key"
                                + " '%s'",
                        rows, store.cipher().currentKeyId());
            }
        } catch (RuntimeException e) {
            // Clear rows stay readable; the next start tries again.
            LOG.errorf(
                    "could not encrypt rows written in clear before encryption at rest: %s",
                    e.getMessage());
        }
    }
}
