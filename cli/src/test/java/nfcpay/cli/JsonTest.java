package nfcpay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void stringsSurviveQuotesBackslashesAndControlCharacters() {
        String nasty = "a \"label\" \\ with\nnew\tlines\r, \u0001, \u001f, \u2028, é and 元";
        Map<String, Object> o = Json.object();
        o.put("s", nasty);
        o.put("k\"ey", "v");

        String written = Json.write(o);
        JsonObject read = JsonParser.parseString(written).getAsJsonObject();

        assertThat(read.get("s").getAsString()).isEqualTo(nasty);
        assertThat(read.get("k\"ey").getAsString()).isEqualTo("v");
        assertThat(written).doesNotContain("\n", "\r", "\t", "\u0001");
    }

    @Test
    void objectsKeepTheirOrderAndNestListsNumbersBooleansAndNull() {
        Map<String, Object> inner = Json.object();
        inner.put("n", 4_294_967_295L);
        Map<String, Object> o = Json.object();
        o.put("z", true);
        o.put("a", null);
        o.put("list", Arrays.asList(1, "two", inner, List.of(), false));

        assertThat(Json.write(o)).isEqualTo("{\"z\":true,\"a\":null,\"list\":[1,\"two\",{\"n\":4294967295},[],false]}");
    }

    @Test
    void refusesWhatHasNoJsonForm() {
        assertThatThrownBy(() -> Json.write(List.of(1.5))).isInstanceOf(IllegalArgumentException.class);
    }
}
