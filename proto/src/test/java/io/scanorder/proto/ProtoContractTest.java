package io.scanorder.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProtoContractTest {
    private static final Map<String, String> CONTRACTS = new TreeMap<>();

    @BeforeAll
    static void readContractsFromResources() throws IOException, URISyntaxException {
        // The resources directory is exactly what the jar ships.
        Path root = Path.of(ProtoContractTest.class.getResource("/scanorder").toURI()).getParent();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".proto")).toList()) {
                CONTRACTS.put(
                        root.relativize(p).toString().replace('\\', '/'),
                        Files.readString(p, StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void everyShippedContractFollowsTheHouseRules() {
        assertThat(CONTRACTS.keySet())
                .contains(
                        "scanorder/order/v1/order.proto",
                        "scanorder/order/v1/menu.proto",
                        "scanorder/order/v1/devices.proto",
                        "scanorder/order/v1/stores.proto",
                        "scanorder/payment/v1/payment.proto");
        List<String> violations = new ArrayList<>();
        CONTRACTS.forEach(
                (path, content) -> violations.addAll(ProtoContractLint.lint(path, content)));
        assertThat(violations).as("contract lint violations").isEmpty();
    }

    @Test
    void contractsDeclareTheRpcsServicesDependOn() {
        assertThat(CONTRACTS.get("scanorder/order/v1/order.proto"))
                .contains(
                        "service OrderService",
                        "rpc PlaceOrder(",
                        "rpc GetOrder(",
                        "rpc ListOrders(",
                        "rpc AcceptOrder(",
                        "rpc RejectOrder(",
                        "rpc AdvanceOrder(",
                        "rpc RequestRefund(",
                        "rpc ApproveRefund(");
        assertThat(CONTRACTS.get("scanorder/order/v1/menu.proto"))
                .contains("service MenuAdmin", "rpc PublishMenu(", "rpc GetMenu(");
        assertThat(CONTRACTS.get("scanorder/order/v1/stores.proto"))
                .contains("service StoreAdmin", "rpc ApplyStore(", "rpc GetStore(");
        assertThat(CONTRACTS.get("scanorder/order/v1/devices.proto"))
                .contains(
                        "service DeviceRegistry",
                        "rpc RegisterDevice(",
                        "rpc DeregisterDevice(",
                        "rpc GetDeviceHealth(",
                        "rpc ListDeviceHealth(");
        assertThat(CONTRACTS.get("scanorder/payment/v1/payment.proto"))
                .contains(
                        "service PaymentService",
                        "rpc Prepay(",
                        "rpc QueryPayment(",
                        "rpc ClosePayment(",
                        "rpc Refund(",
                        "rpc QueryRefund(");
    }

    @Test
    void lintReportsUndocumentedRpcMessageAndField() {
        String proto =
                header("scanorder.demo.v1", "io.scanorder.proto.demo.v1")
                        + "// Documented service.\n"
                        + "service Demo {\n"
                        + "  rpc Ping(PingRequest) returns (PingRequest);\n"
                        + "}\n"
                        + "message PingRequest {\n"
                        + "  // Documented field.\n"
                        + "  string id = 1;\n"
                        + "  int32 attempt = 2;\n"
                        + "}\n";

        assertThat(ProtoContractLint.lint("scanorder/demo/v1/demo.proto", proto))
                .containsExactlyInAnyOrder(
                        "scanorder/demo/v1/demo.proto:7: rpc Demo.Ping: has no leading comment",
                        "scanorder/demo/v1/demo.proto:9: message PingRequest: has no leading"
                                + " comment",
                        "scanorder/demo/v1/demo.proto:12: field PingRequest.attempt: has no"
                                + " leading comment");
    }

    @Test
    void lintReportsMoneyThatIsNotInt64Fen() {
        String proto =
                header("scanorder.demo.v1", "io.scanorder.proto.demo.v1")
                        + "// A charge.\n"
                        + "message Charge {\n"
                        + "  // In yuan, wrongly.\n"
                        + "  double amount = 1;\n"
                        + "  // Fen, but too small a type.\n"
                        + "  int32 price_fen = 2;\n"
                        + "  // Correct.\n"
                        + "  int64 total_fen = 3;\n"
                        + "}\n";

        assertThat(ProtoContractLint.lint("scanorder/demo/v1/demo.proto", proto))
                .hasSize(2)
                .anySatisfy(v -> assertThat(v).contains("Charge.amount", "looks like money"))
                .anySatisfy(v -> assertThat(v).contains("Charge.price_fen", "must be int64 (fen)"));
    }

    @Test
    void lintReportsUnversionedPackageAndWrongJavaPackage() {
        assertThat(
                        ProtoContractLint.lint(
                                "scanorder/demo/demo.proto",
                                header("scanorder.demo", "io.scanorder.proto.demo")))
                .singleElement()
                .asString()
                .contains("package 'scanorder.demo' must be scanorder.<name>.v<N>");
        assertThat(
                        ProtoContractLint.lint(
                                "scanorder/demo/v2/demo.proto",
                                header("scanorder.demo.v2", "io.scanorder.demo")))
                .singleElement()
                .asString()
                .contains("java_package must be \"io.scanorder.proto.demo.v2\"");
    }

    private static String header(String pkg, String javaPackage) {
        return "syntax = \"proto3\";\n"
                + "package "
                + pkg
                + ";\n"
                + "option java_multiple_files = true;\n"
                + "option java_package = \""
                + javaPackage
                + "\";\n";
    }
}
