package io.scanorder.agent.printer;

import io.scanorder.agent.ticket.KitchenTicket;
import io.scanorder.agent.ticket.KitchenTicket.Line;
import java.time.Instant;
import java.util.List;

/** Ticket fixtures shared by the printer tests. */
final class Tickets {

    private Tickets() {}

    /** Order 0042 at table A12, 12:34 in Shanghai, with Chinese, Latin and a very long name. */
    static KitchenTicket hotStation(int copies) {
        return new KitchenTicket(
                "T-0042-hot",
                "0042",
                "001",
                "A12",
                "hot",
                Instant.parse("2025-01-01T04:34:00Z"),
                List.of(
                        new Line("宫保鸡丁", 2, "大份", "不要辣"),
                        new Line("Coke", 1, "", ""),
                        new Line("干煸四季豆加肉末超长的菜名测试", 12, "", "")),
                copies);
    }
}
