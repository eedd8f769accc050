package io.scanorder.order.grpc;

import com.google.protobuf.Timestamp;
import io.scanorder.order.menu.Menu;
import io.scanorder.order.menu.StoredMenu;
import io.scanorder.proto.order.v1.AvailabilityWindow;
import io.scanorder.proto.order.v1.Category;
import io.scanorder.proto.order.v1.Combo;
import io.scanorder.proto.order.v1.ComboComponent;
import io.scanorder.proto.order.v1.MenuItem;
import io.scanorder.proto.order.v1.MenuRevision;
import io.scanorder.proto.order.v1.Sku;

/** Translates menus between the proto contract and the domain model, field for field. */
public final class MenuProtoMapper {
    private MenuProtoMapper() {}

    public static Menu toDomain(io.scanorder.proto.order.v1.Menu menu) {
        return new Menu(
                menu.getCategoriesList().stream()
                        .map(c -> new Menu.Category(c.getCategoryCode(), c.getName()))
                        .toList(),
                menu.getItemsList().stream().map(MenuProtoMapper::toDomain).toList(),
                menu.getCombosList().stream()
                        .map(
                                c ->
                                        new Menu.Combo(
                                                c.getComboCode(),
                                                c.getName(),
                                                c.getPriceFen(),
                                                c.getComponentsList().stream()
                                                        .map(
                                                                x ->
                                                                        new Menu.Component(
                                                                                x.getSkuCode(),
                                                                                x.getQuantity()))
                                                        .toList()))
                        .toList());
    }

    private static Menu.Item toDomain(MenuItem i) {
        return new Menu.Item(
                i.getSpuCode(),
                i.getName(),
                i.getCategoryCode(),
                i.getStation(),
                i.getPrepMinutes(),
                i.getAllergensList(),
                i.getImageUrl(),
                i.getAvailabilityList().stream()
                        .map(
                                w ->
                                        new Menu.Window(
                                                w.getDaysOfWeekList(),
                                                w.getStartMinute(),
                                                w.getEndMinute()))
                        .toList(),
                i.getSoldOut(),
                i.getSkusList().stream()
                        .map(
                                s ->
                                        new Menu.Sku(
                                                s.getSkuCode(),
                                                s.getSpec(),
                                                s.getPriceFen(),
                                                s.getCostFen()))
                        .toList());
    }

    public static io.scanorder.proto.order.v1.Menu toProto(Menu menu) {
        io.scanorder.proto.order.v1.Menu.Builder b = io.scanorder.proto.order.v1.Menu.newBuilder();
        menu.categories()
                .forEach(
                        c ->
                                b.addCategories(
                                        Category.newBuilder()
                                                .setCategoryCode(c.categoryCode())
                                                .setName(c.name())));
        for (Menu.Item i : menu.items()) {
            MenuItem.Builder item =
                    MenuItem.newBuilder()
                            .setSpuCode(i.spuCode())
                            .setName(i.name())
                            .setCategoryCode(i.categoryCode())
                            .setStation(i.station())
                            .setPrepMinutes(i.prepMinutes())
                            .addAllAllergens(i.allergens())
                            .setImageUrl(i.imageUrl())
                            .setSoldOut(i.soldOut());
            i.availability()
                    .forEach(
                            w ->
                                    item.addAvailability(
                                            AvailabilityWindow.newBuilder()
                                                    .addAllDaysOfWeek(w.daysOfWeek())
                                                    .setStartMinute(w.startMinute())
                                                    .setEndMinute(w.endMinute())));
            i.skus()
                    .forEach(
                            s ->
                                    item.addSkus(
                                            Sku.newBuilder()
                                                    .setSkuCode(s.skuCode())
                                                    .setSpec(s.spec())
                                                    .setPriceFen(s.priceFen())
                                                    .setCostFen(s.costFen())));
            b.addItems(item);
        }
        for (Menu.Combo c : menu.combos()) {
            Combo.Builder combo =
                    Combo.newBuilder()
                            .setComboCode(c.comboCode())
                            .setName(c.name())
                            .setPriceFen(c.priceFen());
            c.components()
                    .forEach(
                            x ->
                                    combo.addComponents(
                                            ComboComponent.newBuilder()
                                                    .setSkuCode(x.skuCode())
                                                    .setQuantity(x.quantity())));
            b.addCombos(combo);
        }
        return b.build();
    }

    public static MenuRevision toProto(StoredMenu stored) {
        return MenuRevision.newBuilder()
                .setStoreCode(stored.storeCode())
                .setRevisionHash(stored.revisionHash())
                .setMenu(toProto(stored.menu()))
                .setPublishedAt(
                        Timestamp.newBuilder()
                                .setSeconds(stored.publishedAt().getEpochSecond())
                                .setNanos(stored.publishedAt().getNano()))
                .setCurrent(stored.current())
                .build();
    }
}
