package io.scanorder.order.kitchen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightSlotsTest {

    @Test
    void aFullWindowMakesTheCallerWaitUntilASlotIsReleased() throws Exception {
        InFlightSlots slots = new InFlightSlots(2);
        InFlightSlots.Slot first = slots.acquire(0);
        assertThat(slots.acquire(0)).isNotNull();
        assertThat(slots.acquire(50)).as("third slot while two are in flight").isNull();

        CompletableFuture<InFlightSlots.Slot> waiting =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return slots.acquire(5_000);
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        });
        Thread.sleep(100);
        assertThat(waiting).isNotDone();
        first.release();
        assertThat(waiting.get(2, TimeUnit.SECONDS)).isNotNull();
        assertThat(slots.inUse()).isEqualTo(2);
        assertThat(slots.peak()).isEqualTo(2);
    }

    @Test
    void releasingTwiceFreesOneSlot() throws Exception {
        InFlightSlots slots = new InFlightSlots(3);
        InFlightSlots.Slot slot = slots.acquire(0);
        slots.acquire(0);
        slot.release();
        slot.release();
        assertThat(slots.inUse()).isEqualTo(1);
    }

    @Test
    void aNewConnectionVoidsTheOldSlotsAndTakesTheNewLimit() throws Exception {
        InFlightSlots slots = new InFlightSlots(1);
        InFlightSlots.Slot old = slots.acquire(0);
        slots.reset(3);
        assertThat(slots.limit()).isEqualTo(3);
        assertThat(slots.acquire(0)).isNotNull();
        old.release(); // a late completion of the lost connection's publish
        assertThat(slots.inUse()).isEqualTo(1);
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> new InFlightSlots(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1, got 0");
    }
}
