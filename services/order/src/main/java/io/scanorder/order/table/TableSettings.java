package io.scanorder.order.table;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of table codes and QR sheets, under {@code scanorder.tables}. */
@ConfigMapping(prefix = "scanorder.tables")
public interface TableSettings {
    /**
     * Mini-program page a QR code opens; the payload is this path plus {@code ?scene=} and the
     * signed scene.
     */
    @WithDefault("pages/table/index")
    String miniProgramPage();
}
