package io.scanorder.order.placement;

import io.scanorder.order.diner.DinerApiException;
import io.scanorder.order.menu.Menu;
import io.scanorder.order.menu.MenuService;
import io.scanorder.order.menu.StoredMenu;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** Diner API: the store's best sellers of the day, live from Redis. */
@Path("/api/v1/stores/{storeCode}/best-sellers")
@Tag(name = "Diner menu")
public class BestSellerResource {
    /** Header set (to "true") when the ranking could not be read. */
    public static final String DEGRADED_HEADER = "X-ScanOrder-Degraded";

    static final int MAX_LIMIT = 50;

    private static final Logger LOG = Logger.getLogger(BestSellerResource.class);

    private final BestSellers bestSellers;
    private final DinerOrderReads reads;
    private final MenuService menus;

    public BestSellerResource(BestSellers bestSellers, DinerOrderReads reads, MenuService menus) {
        this.bestSellers = bestSellers;
        this.reads = reads;
        this.menus = menus;
    }

    /**
     * The ranking.
     *
     * @param degraded true when Redis could not be asked: {@code items} is then empty, not "nothing
     *     sold"
     */
    public record Ranking(
            String storeCode, String businessDay, boolean degraded, List<Item> items) {}

    /** One best seller: SKU (or combo) code, its name on the current menu, quantity sold today. */
    public record Item(String sku, String name, long count) {}

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(
            summary = "Best sellers of the store today",
            description =
                    "Quantities ordered today, best first. While Redis is down the list is empty"
                            + " and degraded is true (header X-ScanOrder-Degraded: true).")
    public Response bestSellers(
            @PathParam("storeCode") String storeCode,
            @QueryParam("limit") @DefaultValue("10") int limit) {
        if (storeCode == null || !storeCode.matches("[0-9]{3}")) {
            throw new DinerApiException(
                    400, "INVALID_REQUEST", "storeCode: must be 3 digits, got '" + storeCode + "'");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new DinerApiException(
                    400, "INVALID_REQUEST", "limit: must be 1-" + MAX_LIMIT + ", got " + limit);
        }
        String day =
                DinerErrors.translate(
                        "AMOUNT_OUT_OF_RANGE", () -> reads.businessDay(storeCode, Instant.now()));
        Optional<List<BestSellers.Ranked>> top = bestSellers.top(storeCode, day, limit);
        if (top.isEmpty()) {
            return Response.ok(new Ranking(storeCode, day, true, List.of()))
                    .header(DEGRADED_HEADER, "true")
                    .build();
        }
        Map<String, String> names = names(storeCode);
        List<Item> items =
                top.get().stream()
                        .map(
                                r ->
                                        new Item(
                                                r.code(),
                                                names.getOrDefault(r.code(), r.code()),
                                                r.count()))
                        .toList();
        return Response.ok(new Ranking(storeCode, day, false, items)).build();
    }

    /** Names of the current menu's SKUs and combos; empty when there is no menu. */
    private Map<String, String> names(String storeCode) {
        Map<String, String> names = new HashMap<>();
        try {
            StoredMenu menu = menus.current(storeCode);
            for (Menu.Item item : menu.menu().items()) {
                for (Menu.Sku sku : item.skus()) {
                    names.put(
                            sku.skuCode(),
                            sku.spec().isEmpty()
                                    ? item.name()
                                    : item.name() + " (" + sku.spec() + ")");
                }
            }
            menu.menu().combos().forEach(c -> names.put(c.comboCode(), c.name()));
        } catch (RuntimeException e) {
            // A SKU no longer on the menu keeps its code as its name.
            LOG.debugf("no menu names for the best sellers of store %s: %s", storeCode, e);
        }
        return names;
    }
}
