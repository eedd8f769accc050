package io.scanorder.order.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Renders sheets and reads every card back with ZXing, from the PNG and the rasterised PDF. */
class QrSheetRendererTest {
    private static final String PAGE = "pages/table/index";
    private final TableKey key = TableKey.generate(4);

    @Test
    void everyPngCardDecodesToItsTablesSignedPayload() throws Exception {
        QrSheet sheet = sheet("Harbour Noodles", 9);
        List<String> payloads = QrDecoding.decodePng(QrSheetRenderer.png(sheet), 9);
        assertRoundTrip(sheet, payloads);
    }

    @Test
    void everyPdfCardOnEveryPageDecodesToItsTablesSignedPayload() throws Exception {
        // 14 tables: a full first page (12) and two cards on the second.
        QrSheet sheet = sheet("Harbour Noodles", 14);
        byte[] pdf = QrSheetRenderer.pdf(sheet);
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("%PDF-");
        assertThat(QrDecoding.pdfPageCount(pdf)).isEqualTo(2);
        assertRoundTrip(sheet, QrDecoding.decodePdf(pdf, 14));
    }

    @Test
    void cardsWithChineseStoreNamesStillRenderReadableCodes() throws Exception {
        QrSheet sheet = sheet("海港面馆 · 人民广场店", 2);
        assertRoundTrip(sheet, QrDecoding.decodePng(QrSheetRenderer.png(sheet), 2));
    }

    private void assertRoundTrip(QrSheet sheet, List<String> payloads) {
        assertThat(payloads)
                .containsExactlyElementsOf(
                        sheet.labels().stream().map(QrSheet.Label::payload).toList());
        for (int i = 0; i < payloads.size(); i++) {
            TableScene.Parsed parsed = TableScene.parse(QrDecoding.sceneOf(payloads.get(i)));
            TableScene.verify(parsed, List.of(key));
            assertThat(parsed.code().digits()).isEqualTo(sheet.labels().get(i).table().tableCode());
        }
    }

    private QrSheet sheet(String storeName, int tables) {
        List<QrSheet.Label> labels = new ArrayList<>();
        for (int n = 1; n <= tables; n++) {
            String area = n <= 6 ? "0001" : "0002";
            TableCode code = TableCode.of("321", area, n * 7);
            String scene = TableScene.sign(code, key);
            labels.add(
                    new QrSheet.Label(
                            new TableInfo(
                                    "321",
                                    storeName,
                                    area,
                                    n <= 6 ? "Main hall" : "Terrace",
                                    code.tableNo(),
                                    4,
                                    code.digits()),
                            scene,
                            PAGE + "?scene=" + scene));
        }
        return new QrSheet("321", storeName, labels);
    }
}
