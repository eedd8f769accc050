package io.scanorder.order.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanorder.order.menu.Menu;
import io.scanorder.order.menu.MenuFixtures;
import io.scanorder.order.menu.StoredMenu;
import io.scanorder.proto.order.v1.MenuRevision;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MenuProtoMapperTest {

    @Test
    void menuSurvivesTheRoundTripThroughTheProto() {
        Menu menu = MenuFixtures.menu();

        io.scanorder.proto.order.v1.Menu proto = MenuProtoMapper.toProto(menu);

        assertThat(MenuProtoMapper.toDomain(proto)).isEqualTo(menu);
        assertThat(proto.getItems(0).getSkus(1).getPriceFen()).isEqualTo(3600);
        assertThat(proto.getItems(0).getAvailability(0).getDaysOfWeekList())
                .containsExactly(1, 2, 3, 4, 5);
        assertThat(proto.getCombos(0).getComponents(1).getSkuCode()).isEqualTo("lemon-tea-std");
    }

    @Test
    void storedRevisionCarriesHashTimeAndCurrentFlag() {
        Instant at = Instant.parse("2026-01-02T03:04:05.123456789Z");

        MenuRevision rev =
                MenuProtoMapper.toProto(
                        new StoredMenu("101", "ab".repeat(32), MenuFixtures.menu(), at, true));

        assertThat(rev.getStoreCode()).isEqualTo("101");
        assertThat(rev.getRevisionHash()).isEqualTo("ab".repeat(32));
        assertThat(rev.getPublishedAt().getSeconds()).isEqualTo(at.getEpochSecond());
        assertThat(rev.getPublishedAt().getNanos()).isEqualTo(123456789);
        assertThat(rev.getCurrent()).isTrue();
    }
}
