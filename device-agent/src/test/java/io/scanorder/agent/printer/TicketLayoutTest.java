package io.scanorder.agent.printer;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanorder.agent.printer.TicketLayout.PrintLine;
import io.scanorder.agent.printer.TicketLayout.Style;
import io.scanorder.agent.ticket.KitchenTicket;
import io.scanorder.agent.ticket.KitchenTicket.Line;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class TicketLayoutTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    void chineseCharactersCountDoubleSoQuantitiesLineUp() {
        List<PrintLine> lines =
                new TicketLayout(PaperWidth.MM58, SHANGHAI).layout(Tickets.hotStation(1), 1);

        assertThat(lines)
                .extracting(PrintLine::text)
                .containsExactly(
                        "=".repeat(32),
                        "Table A12",
                        "#0042" + " ".repeat(24) + "HOT",
                        "Store 001" + " ".repeat(7) + "2025-01-01 12:34",
                        "-".repeat(32),
                        "宫保鸡丁" + " ".repeat(22) + "x2",
                        "  大份",
                        "  * 不要辣",
                        "Coke" + " ".repeat(26) + "x1",
                        "干煸四季豆加肉末超长的菜名测" + " " + "x12",
                        "试",
                        "-".repeat(32),
                        "T-0042-hot");
        assertThat(lines.get(1).style()).isEqualTo(Style.LARGE);
        assertThat(lines.get(5).style()).isEqualTo(Style.BOLD);
    }

    @Test
    void controlCharactersInTicketTextCannotReachThePrinter() {
        KitchenTicket evil =
                new KitchenTicket(
                        "T-1",
                        "1",
                        "001",
                        "A1",
                        "hot",
                        Tickets.hotStation(1).createdAt(),
                        List.of(new Line("Fish\u001dV\u0000", 1, "", "\u001b@")),
                        1);

        List<PrintLine> lines = new TicketLayout(PaperWidth.MM58, SHANGHAI).layout(evil, 1);

        assertThat(lines)
                .extracting(PrintLine::text)
                .noneMatch(t -> t.chars().anyMatch(c -> c < 0x20));
    }

    @Test
    void widthCountsMultiByteSymbolsAsDouble() {
        assertThat(TextColumns.width("宫保 x2")).isEqualTo(7);
        // '×' is two bytes in GB18030, so a Chinese printer prints it full width
        assertThat(TextColumns.width("×")).isEqualTo(2);
        assertThat(TextColumns.wrap("一二三", 5)).containsExactly("一二", "三");
    }
}
