package io.scanorder.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    @Test
    void percentilesOfAHistogramOfMicrosecondsAreGivenInMilliseconds() {
        Histogram h = Latency.newHistogram();
        for (int ms = 1; ms <= 100; ms++) {
            Latency.recordNanos(h, ms * 1_000_000L);
        }

        Latency l = Latency.ofMicros(h);

        assertThat(l.count()).isEqualTo(100);
        // 3 significant digits: values are exact to within 0.1 %
        assertThat(l.p50()).isCloseTo(50.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(l.p90()).isCloseTo(90.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(l.p99()).isCloseTo(99.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(l.max()).isCloseTo(100.0, org.assertj.core.data.Offset.offset(0.1));
    }

    @Test
    void anEmptyHistogramGivesZeroesInsteadOfFailing() {
        assertThat(Latency.ofMicros(Latency.newHistogram())).isEqualTo(new Latency(0, 0, 0, 0, 0));
    }

    @Test
    void numbersGetFewerDecimalsAsTheyGrow() {
        assertThat(BenchReport.number(1234.56)).isEqualTo("1,235");
        assertThat(BenchReport.number(12.345)).isEqualTo("12.3");
        assertThat(BenchReport.number(1.2345)).isEqualTo("1.23");
        assertThat(BenchReport.ratio(0.0625)).isEqualTo("6.3 %");
    }

    @Test
    void theTableHasOneRowPerFigureWithRatioAndFailures() {
        BenchReport report = new BenchReport(Instant.parse("2026-01-01T00:00:00Z"));
        Measurement ceiling =
                report.add(Measurement.of("ceilings", "pg insert", 2000, "rows/s", ""));
        Histogram h = Latency.newHistogram();
        Latency.recordNanos(h, 5_000_000);
        report.add(
                new Measurement(
                                "devices",
                                "beats",
                                500,
                                "updates/s",
                                Latency.ofMicros(h),
                                null,
                                null,
                                "a|b")
                        .relativeTo(ceiling));
        report.failed("kitchen", "no printer");

        String table = report.table();

        assertThat(table.lines())
                .contains("| ceilings | pg insert | 2,000 | rows/s |  |  |  |  |  |  |  |")
                .contains(
                        "| devices | beats | 500 | updates/s | 1 | 5.00 | 5.00 | 5.00 | 5.00 |"
                                + " 25.0 % of pg insert | a/b |")
                .contains("FAILED kitchen: no printer");
    }

    @Test
    void theJsonCarriesEveryFigureWithItsPercentilesAndRatio() throws Exception {
        BenchReport report = new BenchReport(Instant.parse("2026-01-01T00:00:00Z"));
        report.parameter("devices", 10_000);
        Measurement ceiling = report.add(Measurement.of("ceilings", "mqtt", 8000, "msgs/s", ""));
        report.add(
                new Measurement(
                                "devices",
                                "sent",
                                2000,
                                "msgs/s",
                                new Latency(3, 1, 2, 3, 4),
                                null,
                                null,
                                "")
                        .relativeTo(ceiling));

        JsonNode json = new ObjectMapper().readTree(report.json());

        assertThat(json.get("startedAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(json.at("/parameters/devices").asText()).isEqualTo("10000");
        assertThat(json.get("results")).hasSize(2);
        JsonNode sent = json.get("results").get(1);
        assertThat(sent.get("metric").asText()).isEqualTo("sent");
        assertThat(sent.at("/latencyMs/p99").asDouble()).isEqualTo(3.0);
        assertThat(sent.at("/ratio/to").asText()).isEqualTo("mqtt");
        assertThat(sent.at("/ratio/value").asDouble()).isEqualTo(0.25);
        assertThat(json.get("results").get(0).has("latencyMs")).isFalse();
        assertThat(json.get("failures")).isEmpty();
    }

    @Test
    void aMeasurementRefusesANonFiniteValueNamingTheMetric() {
        assertThatThrownBy(() -> Measurement.of("kitchen", "rate", Double.NaN, "orders/s", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kitchen / rate");
    }

    @Test
    void settingsNameTheBadPropertyAndValue() {
        Properties p = new Properties();
        p.setProperty("bench.devices", "lots");
        assertThatThrownBy(() -> BenchSettings.from(p))
                .hasMessage("bench.devices: must be a whole number of at least 1, got 'lots'");

        Properties unknown = new Properties();
        unknown.setProperty("bench.scenarios", "ceilings,kitchn");
        assertThatThrownBy(() -> BenchSettings.from(unknown))
                .hasMessageContaining("unknown scenario 'kitchn'");
    }

    @Test
    void theWholeRunsScenarioListIsAcceptedAndPaymentsNeedASettledAndAPendingOne() {
        Properties all = new Properties();
        all.setProperty("bench.scenarios", "ceilings,placement,kitchen,payments,devices");
        BenchSettings settings = BenchSettings.from(all);
        assertThat(settings.scenarios())
                .containsExactly("ceilings", "placement", "kitchen", "payments", "devices");
        assertThat(settings.payments()).isEqualTo(60);
        assertThat(settings.describe()).containsEntry("payments", 60);
        assertThat(BenchSettings.from(new Properties()).scenarios())
                .containsExactlyElementsOf(BenchSettings.KNOWN);

        Properties one = new Properties();
        one.setProperty("bench.payments", "1");
        assertThatThrownBy(() -> BenchSettings.from(one))
                .hasMessage("bench.payments: must be at least 2 (one settled, one pending), got 1");
    }

    @Test
    void theClosedLoopTimesEachKindApartAndLeavesPreparationOutOfTheTiming() throws Exception {
        ClosedLoop.Result r =
                ClosedLoop.run(
                        2,
                        Duration.ofMillis(100),
                        Duration.ofMillis(1_500),
                        thread ->
                                new ClosedLoop.Worker() {
                                    int n;

                                    @Override
                                    public void prepare() throws InterruptedException {
                                        Thread.sleep(200);
                                    }

                                    @Override
                                    public void once() throws InterruptedException {
                                        n++;
                                        Thread.sleep(1);
                                    }

                                    @Override
                                    public String kind() {
                                        return n % 2 == 0 ? "even" : "odd";
                                    }
                                });

        assertThat(r.errors()).isZero();
        assertThat(r.operations()).isPositive();
        assertThat(r.byKind()).containsOnlyKeys("even", "odd");
        assertThat(r.latency("even").count() + r.latency("odd").count()).isEqualTo(r.operations());
        assertThat(r.perSecond("even") + r.perSecond("odd"))
                .isCloseTo(r.perSecond(), org.assertj.core.data.Offset.offset(1e-9));
        // Each operation sleeps 1 ms after a 200 ms preparation that must not be counted.
        assertThat(Latency.ofMicros(r.micros()).p50()).isLessThan(150);
        assertThat(r.latency("none")).isEqualTo(new Latency(0, 0, 0, 0, 0));
    }

    @Test
    void heapIsSummedOverTheHeapPoolsOfAPrometheusPage() {
        String page =
                "# TYPE jvm_memory_used_bytes gauge\n"
                        + "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1048576.0\n"
                        + "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 2097152.0\n"
                        + "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 9999999.0\n";
        assertThat(ProcessMemory.heapBytes(page)).isEqualTo(3 * 1048576.0);
    }
}
