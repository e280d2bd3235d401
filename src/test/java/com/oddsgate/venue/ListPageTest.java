package com.oddsgate.venue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.oddsgate.message.Json;

/** A list page without its items or its cursor is no answer: never an empty last page. */
class ListPageTest {

    @Test
    void aDocumentedLastPageIsRead() {
        var kalshi = Json.tryRead("{\"orders\":[{\"order_id\":\"a\"}],\"cursor\":\"\"}");
        assertThat(ListPage.items(kalshi, "orders", "orders")).hasSize(1);
        assertThat(ListPage.cursor(kalshi, "cursor", "orders")).isEmpty();
        var polymarket = Json.tryRead("{\"limit\":100,\"count\":0,\"next_cursor\":\"LTE=\",\"data\":[]}");
        assertThat(ListPage.items(polymarket, "data", "trades")).isEmpty();
        assertThat(ListPage.cursor(polymarket, "next_cursor", "trades")).isEqualTo("LTE=");
    }

    @Test
    void aPageWithoutItsListOrCursorIsRefused() {
        assertThatThrownBy(() -> ListPage.items(Json.tryRead("{}"), "orders", "Kalshi GET /portfolio/orders"))
                .hasMessageContaining("Kalshi GET /portfolio/orders").hasMessageContaining("'orders'");
        assertThatThrownBy(() -> ListPage.items(Json.tryRead("{\"orders\":null}"), "orders", "x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ListPage.cursor(Json.tryRead("{\"data\":[]}"), "next_cursor", "x")).hasMessageContaining("next_cursor");
        assertThatThrownBy(() -> ListPage.cursor(Json.tryRead("{\"cursor\":null}"), "cursor", "x")).isInstanceOf(IllegalStateException.class);
    }
}
