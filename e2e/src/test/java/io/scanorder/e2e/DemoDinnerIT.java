package io.scanorder.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code --demo} as a test: the scripted dinner runs once on the run's shared platform and every
 * step's outcome is checked where it lives (databases, printers, KDS, LED board).
 */
@ExtendWith(SharedPlatform.class)
class DemoDinnerIT {
    private static LocalPlatform platform;
    private static PlatformDb db;
    private static DemoDinner.Outcome dinner;
    private static String printed;

    @BeforeAll
    static void runTheDinner(LocalPlatform shared) {
        platform = shared;
        db = new PlatformDb(shared);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dinner = new DemoDinner(shared, new PrintStream(out, true, StandardCharsets.UTF_8)).run();
        printed = out.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
    }

    @Test
    void theOrderEndsReadyAfterGoingThroughEveryKitchenState() throws Exception {
        UUID order = UUID.fromString(dinner.orderId());
        assertThat(db.orderText("SELECT state FROM orders WHERE order_id = ?", order))
                .isEqualTo("READY");
        for (String state :
                new String[] {
                    "PENDING_PAYMENT", "PAID", "ACCEPTED", "DISPATCHING", "COOKING", "READY"
                }) {
            assertThat(
                            db.orders(
                                    "SELECT count(*) FROM order_events WHERE order_id = ?"
                                            + " AND to_state = ?",
                                    order,
                                    state))
                    .as("events into " + state)
                    .isEqualTo(1);
        }
    }

    @Test
    void exactlyOneTicketPerStationIsPrintedOrShownAtTheRightDevice() throws Exception {
        UUID order = UUID.fromString(dinner.orderId());
        assertThat(db.orders("SELECT count(*) FROM kitchen_tickets WHERE order_id = ?", order))
                .isEqualTo(2);
        assertThat(
                        db.orderText(
                                "SELECT device_id FROM kitchen_tickets WHERE order_id = ?"
                                        + " AND station = 'hot'",
                                order))
                .isEqualTo("jingan-printer-hot-1");
        assertThat(
                        db.orderText(
                                "SELECT device_id FROM kitchen_tickets WHERE order_id = ?"
                                        + " AND station = 'cold'",
                                order))
                .isEqualTo("jingan-kds-cold");

        KitchenSide.RunningDevice hot = device("jingan-printer-hot-1");
        KitchenSide.RunningDevice backup = device("jingan-printer-backup");
        assertThat(DemoDinner.jobsFor(hot, dinner.pickupNumber())).hasSize(1);
        assertThat(DemoDinner.jobsFor(backup, dinner.pickupNumber())).isEmpty();
        assertThat(dinner.kdsTickets()).hasSize(1);

        assertThat(dinner.receipts().get("jingan-printer-hot-1")).hasSize(1);
        assertThat(dinner.receipts().get("jingan-printer-backup")).isEmpty();
        Path receipt = dinner.receipts().get("jingan-printer-hot-1").get(0);
        assertThat(receipt).startsWith(platform.receiptsDir());
        assertThat(Files.readString(receipt)).contains(dinner.pickupNumber());
    }

    @Test
    void theLedBoardShowsThePickupNumber() {
        assertThat(dinner.ledShown()).contains(dinner.pickupNumber());
        assertThat(device("jingan-led-pickup").board().shown()).contains(dinner.pickupNumber());
    }

    @Test
    void thePaymentIsRecordedOnce() throws Exception {
        assertThat(
                        db.payments(
                                "SELECT count(*) FROM payments WHERE order_id = ?"
                                        + " AND state = 'SUCCESS'",
                                dinner.orderId()))
                .isEqualTo(1);
        assertThat(
                        db.payments(
                                "SELECT count(*) FROM payments WHERE order_id = ?",
                                dinner.orderId()))
                .isEqualTo(1);
        UUID order = UUID.fromString(dinner.orderId());
        assertThat(db.orderText("SELECT paid_fen FROM orders WHERE order_id = ?", order))
                .isEqualTo(Long.toString(dinner.totalFen()));
    }

    @Test
    void bothDinersLinesAreInTheOrder() throws Exception {
        UUID order = UUID.fromString(dinner.orderId());
        assertThat(
                        db.orders(
                                "SELECT count(*) FROM order_lines WHERE order_id = ?"
                                        + " AND sku_code IN (?, ?)",
                                order,
                                DemoDinner.HOT_SKU,
                                DemoDinner.COLD_SKU))
                .isEqualTo(2);
    }

    @Test
    void everyStepIsPrintedWithItsTiming() {
        assertThat(dinner.steps())
                .extracting(DemoDinner.Step::name)
                .contains(
                        "scan the table QR code",
                        "two diners log in with WeChat",
                        "both diners fill the shared cart",
                        "pay with WeChat Pay",
                        "staff accept the order",
                        "tickets reach their stations",
                        "cook bumps the KDS ticket to READY",
                        "LED board shows the pickup number");
        for (DemoDinner.Step step : dinner.steps()) {
            assertThat(printed)
                    .containsPattern(
                            "\\[\\s*\\d+ ms\\] " + java.util.regex.Pattern.quote(step.name()));
        }
    }

    private static KitchenSide.RunningDevice device(String id) {
        return platform.devices().stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow();
    }
}
