package io.scanorder.order.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The canonical store content and hash the StoreAdmin contract defines. */
class StoreCanonicalTest {
    /**
     * The same content is hashed by the operator (io.scanorder.operator.model.StoreDefinitionsTest
     * pins this value too), so changing the canonical form on one side alone fails a test.
     */
    static final String GOLDEN_HASH =
            "850809d2cfd296a8481306c5a9ba582aa12f8d325bcdaf73cac6636edfdfad81";

    static StoreContent golden() {
        return new StoreContent(
                "021",
                "莲花小厨 Lotus Kitchen \"Jing'an\"",
                "Asia/Shanghai",
                List.of(
                        new StoreContent.Area("0002", "包间 Private rooms", 10, List.of(805, 801)),
                        new StoreContent.Area("0001", "大堂 Main hall", 4, List.of(2, 1, 3))),
                List.of("hot", "bar"),
                900,
                500_000);
    }

    @Test
    void canonicalJsonSortsAreasTablesStationsAndProperties() {
        assertThat(StoreCanonical.toJson(golden()))
                .isEqualTo(
                        "{\"areas\":[{\"areaCode\":\"0001\",\"name\":\"大堂 Main hall\","
                                + "\"seats\":4,\"tableNumbers\":[1,2,3]},"
                                + "{\"areaCode\":\"0002\",\"name\":\"包间 Private rooms\","
                                + "\"seats\":10,\"tableNumbers\":[801,805]}],"
                                + "\"maxOrderAmountFen\":500000,"
                                + "\"name\":\"莲花小厨 Lotus Kitchen \\\"Jing'an\\\"\","
                                + "\"paymentTimeoutSeconds\":900,"
                                + "\"stations\":[\"bar\",\"hot\"],"
                                + "\"storeCode\":\"021\",\"timezone\":\"Asia/Shanghai\"}");
    }

    @Test
    void reorderedListsHashTheSameAndTheGoldenValueHolds() {
        StoreContent reordered =
                new StoreContent(
                        "021",
                        golden().name(),
                        "Asia/Shanghai",
                        List.of(golden().areas().get(1), golden().areas().get(0)),
                        List.of("bar", "hot"),
                        900,
                        500_000);
        assertThat(StoreCanonical.hash(reordered)).isEqualTo(StoreCanonical.hash(golden()));
        assertThat(StoreCanonical.hash(golden())).isEqualTo(GOLDEN_HASH);
        assertThat(StoreCanonical.fromJson(StoreCanonical.toJson(golden())))
                .isEqualTo(StoreCanonical.normalize(golden()));
    }

    @Test
    void anyChangedFieldChangesTheHash() {
        StoreContent g = golden();
        List<StoreContent> changed =
                List.of(
                        new StoreContent(
                                "022",
                                g.name(),
                                g.timezone(),
                                g.areas(),
                                g.stations(),
                                900,
                                500_000),
                        new StoreContent(
                                "021", g.name(), "UTC", g.areas(), g.stations(), 900, 500_000),
                        new StoreContent(
                                "021",
                                g.name(),
                                g.timezone(),
                                g.areas(),
                                List.of("hot"),
                                900,
                                500_000),
                        new StoreContent(
                                "021", g.name(), g.timezone(), g.areas(), g.stations(), 0, 500_000),
                        new StoreContent(
                                "021", g.name(), g.timezone(), g.areas(), g.stations(), 900, 1),
                        new StoreContent(
                                "021",
                                g.name(),
                                g.timezone(),
                                List.of(
                                        g.areas().get(0),
                                        new StoreContent.Area(
                                                "0001", "大堂 Main hall", 5, List.of(1, 2, 3))),
                                g.stations(),
                                900,
                                500_000));
        for (StoreContent c : changed) {
            assertThat(StoreCanonical.hash(c))
                    .as(c.toString())
                    .isNotEqualTo(StoreCanonical.hash(g));
        }
    }
}
