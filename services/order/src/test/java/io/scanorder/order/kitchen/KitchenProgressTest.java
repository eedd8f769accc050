package io.scanorder.order.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rules of {@link KitchenProgress.Counts}: when tickets make an order COOKING or READY. */
class KitchenProgressTest {

    // Counts(total, delivered, kds, bumped, kdsReady)

    @Test
    void printedOnlyOrderCooksOnceEveryTicketIsPrintedAndNeverBecomesReadyByItself() {
        assertThat(new KitchenProgress.Counts(2, 1, 0, 0, 0).isCooking()).isFalse();
        KitchenProgress.Counts printed = new KitchenProgress.Counts(2, 2, 0, 0, 0);
        assertThat(printed.isCooking()).isTrue();
        assertThat(printed.isReady()).isFalse();
    }

    @Test
    void orderWithKdsTicketsCooksOnTheFirstBumpNotWhenDisplayed() {
        assertThat(new KitchenProgress.Counts(2, 2, 1, 0, 0).isCooking()).isFalse();
        assertThat(new KitchenProgress.Counts(2, 1, 1, 1, 0).isCooking()).isTrue();
    }

    @Test
    void readyNeedsEveryKdsTicketReadyAndEveryOtherTicketPrinted() {
        assertThat(new KitchenProgress.Counts(2, 2, 2, 2, 1).isReady()).isFalse();
        assertThat(new KitchenProgress.Counts(2, 2, 2, 2, 2).isReady()).isTrue();
        // the printer ticket is not printed yet
        assertThat(new KitchenProgress.Counts(2, 1, 1, 1, 1).isReady()).isFalse();
        assertThat(new KitchenProgress.Counts(2, 2, 1, 1, 1).isReady()).isTrue();
    }
}
