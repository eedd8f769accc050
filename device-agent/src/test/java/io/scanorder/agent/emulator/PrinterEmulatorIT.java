package io.scanorder.agent.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator spoken to with raw bytes, as a driver would. */
class PrinterEmulatorIT {

    private static final Charset GB18030 = Charset.forName("GB18030");
    private PrinterEmulator printer;

    @BeforeEach
    void start() {
        printer = PrinterEmulator.start(0, 32);
    }

    @AfterEach
    void stop() {
        printer.close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", printer.port()), 2_000);
        socket.setSoTimeout(2_000);
        return socket;
    }

    /** Sends DLE EOT 1..4 and returns the four status bytes. */
    private int[] status() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream()
                    .write(new byte[] {0x10, 4, 1, 0x10, 4, 2, 0x10, 4, 3, 0x10, 4, 4});
            InputStream in = socket.getInputStream();
            return new int[] {in.read(), in.read(), in.read(), in.read()};
        }
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(GB18030));
            } else if (p instanceof Integer i) {
                out.write(i);
            } else if (p instanceof Character c) {
                out.write(c);
            } else {
                throw new IllegalArgumentException("not a byte: " + p);
            }
        }
        return out.toByteArray();
    }

    private void send(byte[] data) throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(data);
        }
    }

    @Test
    void rendersTextSizeBoldAndChineseUntilTheCut() throws IOException {
        send(
                bytes(
                        0x1B, '@', 0x1C, '&', 0x1D, '!', 0x11, 0x1B, 'E', 1, "桌 A12", '\n', 0x1D,
                        '!', 0x00, 0x1B, 'E', 0, "宫保鸡丁 x2", '\n', 0x1B, 'd', 2, 0x1D, 'V', 66, 0));

        await().atMost(Duration.ofSeconds(5)).until(() -> printer.jobs().size() == 1);
        PrintedJob job = printer.jobs().get(0);
        assertThat(job.text()).isEqualTo("桌 A12\n宫保鸡丁 x2\n\n");
        assertThat(job.lines().get(0)).isEqualTo(new RenderedLine("桌 A12", 12, true, 2, 2));
        assertThat(job.lines().get(1)).isEqualTo(new RenderedLine("宫保鸡丁 x2", 11, false, 1, 1));
        assertThat(printer.protocolErrors()).isEmpty();
    }

    @Test
    void feedPastTheTearBarEndsAnUncutReceiptWhileAShortFeedDoesNot() throws IOException {
        send(bytes(0x1B, '@', "first", '\n', 0x1B, 'd', 2, "still first", '\n', 0x1B, 'd', 4));
        send(bytes(0x1B, '@', "second", '\n', 0x1D, 'V', 66, 3));

        await().atMost(Duration.ofSeconds(5)).until(() -> printer.jobs().size() == 2);
        assertThat(printer.jobs().get(0).text()).isEqualTo("first\n\n\nstill first");
        assertThat(printer.jobs().get(0).cut()).isFalse();
        assertThat(printer.jobs().get(1).text()).isEqualTo("second");
        assertThat(printer.jobs().get(1).cut()).isTrue();
        assertThat(printer.protocolErrors()).isEmpty();
    }

    @Test
    void chineseWithoutDoubleByteModePrintsGarbageLikeARealPrinter() throws IOException {
        send(bytes(0x1B, '@', "鸡", '\n', 0x1D, 'V', 0));

        await().atMost(Duration.ofSeconds(5)).until(() -> printer.jobs().size() == 1);
        assertThat(printer.jobs().get(0).text()).isNotEqualTo("鸡").hasSize(2);
    }

    @Test
    void linesWiderThanThePaperWrap() throws IOException {
        send(bytes(0x1C, '&', "一二三四五六七八九十一二三四五六七", '\n', 0x1D, 'V', 0));

        await().atMost(Duration.ofSeconds(5)).until(() -> printer.jobs().size() == 1);
        assertThat(printer.jobs().get(0).text()).isEqualTo("一二三四五六七八九十一二三四五六\n七");
    }

    @Test
    void unknownCommandsAreReportedWithTheirOffset() throws IOException {
        send(bytes(0x1B, 'p', 0x1D, 'V', 0));

        await().atMost(Duration.ofSeconds(5)).until(() -> !printer.protocolErrors().isEmpty());
        assertThat(printer.protocolErrors().get(0))
                .isEqualTo("unsupported command ESC 0x70 at byte 2");
    }

    @Test
    void statusBytesFollowTheEpsonLayout() throws IOException {
        assertThat(status()).containsExactly(0x12, 0x12, 0x12, 0x12);

        printer.paperLow(true);
        assertThat(status()).containsExactly(0x12, 0x12, 0x12, 0x1E);

        printer.paperOut(true);
        assertThat(status()).containsExactly(0x1A, 0x32, 0x12, 0x7E);

        printer.paperOut(false).paperLow(false).coverOpen(true);
        assertThat(status()).containsExactly(0x1A, 0x16, 0x12, 0x12);
    }

    @Test
    void nothingIsPrintedWithoutPaperAndThePaperCanRunOutMidJob() throws IOException {
        printer.runOutOfPaperAfter(1);
        send(bytes("one", '\n', "two", '\n', 0x1D, 'V', 0));

        await().atMost(Duration.ofSeconds(5)).until(() -> status()[3] == 0x7E);
        assertThat(printer.jobs()).isEmpty();

        printer.paperOut(false);
        send(bytes("three", '\n', 0x1D, 'V', 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> printer.jobs().size() == 1);
        assertThat(printer.jobs().get(0).text()).isEqualTo("three");
    }

    @Test
    void refusingPrinterRefusesConnectionsAndComesBackOnTheSamePort() throws IOException {
        printer.network(NetworkMode.REFUSING);
        assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);

        printer.network(NetworkMode.ONLINE);
        assertThat(status()[0]).isEqualTo(0x12);
    }

    @Test
    void silentPrinterAcceptsButNeverAnswers() throws IOException {
        printer.network(NetworkMode.SILENT);
        try (Socket socket = connect()) {
            socket.setSoTimeout(300);
            socket.getOutputStream().write(new byte[] {0x10, 4, 1});
            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(SocketTimeoutException.class);
        }
        printer.network(NetworkMode.ONLINE);
        assertThat(status()[0]).isEqualTo(0x12);
    }

    @Test
    void controlCommandsOfTheStandaloneMode() {
        assertThat(printer.command("paper out")).isEqualTo("ok: paper out");
        assertThat(printer.command("slow abc")).contains("milliseconds");
        assertThat(printer.command("fly away")).isEqualTo("unknown command 'fly away'");
    }
}
