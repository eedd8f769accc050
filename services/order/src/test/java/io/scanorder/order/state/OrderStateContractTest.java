package io.scanorder.order.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the state machine, the proto enums, the SQL CHECK constraint and docs/order-states.md in
 * step. Run with {@code -Dscanorder.docs.update=true} to rewrite the document from the code.
 */
class OrderStateContractTest {
    private static final Path DOC = Path.of("../../docs/order-states.md");

    @Test
    void domainStatesMatchTheProtoEnumOneToOne() {
        List<String> proto =
                Arrays.stream(io.scanorder.proto.order.v1.OrderState.values())
                        .filter(
                                s ->
                                        s != io.scanorder.proto.order.v1.OrderState.UNRECOGNIZED
                                                && s.getNumber() != 0)
                        .map(s -> s.name().substring("ORDER_STATE_".length()))
                        .toList();
        assertThat(proto)
                .containsExactlyInAnyOrder(
                        Arrays.stream(OrderState.values()).map(Enum::name).toArray(String[]::new));
    }

    @Test
    void actorKindsMatchTheProtoEnumOneToOne() {
        List<String> proto =
                Arrays.stream(io.scanorder.proto.order.v1.ActorKind.values())
                        .filter(
                                k ->
                                        k != io.scanorder.proto.order.v1.ActorKind.UNRECOGNIZED
                                                && k.getNumber() != 0)
                        .map(k -> k.name().substring("ACTOR_KIND_".length()))
                        .toList();
        assertThat(proto)
                .containsExactlyInAnyOrder(
                        Arrays.stream(ActorKind.values()).map(Enum::name).toArray(String[]::new));
    }

    @Test
    void domainStatesMatchTheSqlCheckConstraint() throws IOException {
        String sql =
                new String(
                        getClass()
                                .getResourceAsStream("/db/migration/V1__orders_schema.sql")
                                .readAllBytes(),
                        StandardCharsets.UTF_8);
        Matcher check =
                Pattern.compile("orders_state_ck CHECK \\(state IN \\(([^)]*)\\)\\)").matcher(sql);
        assertThat(check.find()).as("orders_state_ck in V1").isTrue();
        List<String> names =
                Arrays.stream(check.group(1).split(","))
                        .map(s -> s.strip().replace("'", ""))
                        .toList();
        assertThat(names)
                .containsExactlyInAnyOrder(
                        Arrays.stream(OrderState.values()).map(Enum::name).toArray(String[]::new));
    }

    @Test
    void docsOrderStatesMdIsGeneratedFromTheTable() throws IOException {
        String expected = OrderStatesDoc.render();
        if (Boolean.getBoolean("scanorder.docs.update")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
        }
        assertThat(DOC).exists();
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as(
                        "docs/order-states.md is out of date with OrderStateMachine; regenerate"
                                + " it with ./mvnw -pl services/order test"
                                + " -Dtest=OrderStateContractTest -Dscanorder.docs.update=true")
                .isEqualTo(expected);
    }
}
