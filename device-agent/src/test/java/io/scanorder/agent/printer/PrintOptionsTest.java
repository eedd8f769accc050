package io.scanorder.agent.printer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** How {@link EscPosPrinterDriver#configure} changes the bytes of the next job. */
class PrintOptionsTest {

    private static final byte[] CUT = {0x1D, 'V', 66};
    private static final byte[] TEAR_FEED = {0x1B, 'd', 4};

    private final EscPosPrinterDriver driver =
            new EscPosPrinterDriver(
                    EscPosPrinterDriver.Settings.of("127.0.0.1", 9),
                    new TicketLayout(PaperWidth.MM80, ZoneId.of("Asia/Shanghai")));

    private static int count(byte[] haystack, byte[] needle) {
        int n = 0;
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            n++;
        }
        return n;
    }

    @Test
    void configuredCopiesWinOverTheTicketsAndEachCopyIsCut() {
        driver.configure(new PrintOptions(PaperWidth.MM80, 3, true));

        byte[] job = driver.encode(Tickets.hotStation(1));

        assertThat(count(job, CUT)).isEqualTo(3);
        assertThat(new String(job, StandardCharsets.ISO_8859_1)).contains("copy 3/3");
    }

    @Test
    void printerWithoutCutterFeedsToTheTearBarInsteadOfCutting() {
        driver.configure(new PrintOptions(PaperWidth.MM80, 2, false));

        byte[] job = driver.encode(Tickets.hotStation(1));

        assertThat(count(job, CUT)).isZero();
        assertThat(count(job, TEAR_FEED)).isEqualTo(2);
    }

    @Test
    void narrowerPaperGetsTheNarrowerLayout() {
        driver.configure(new PrintOptions(PaperWidth.MM58, 1, true));

        String text = new String(driver.encode(Tickets.hotStation(1)), StandardCharsets.ISO_8859_1);

        assertThat(driver.width()).isEqualTo(PaperWidth.MM58);
        assertThat(text).contains("=".repeat(32)).doesNotContain("=".repeat(33));
    }

    @Test
    void unconfiguredDriverPrintsTheCopiesTheTicketAsksFor() {
        assertThat(count(driver.encode(Tickets.hotStation(2)), CUT)).isEqualTo(2);
    }
}
