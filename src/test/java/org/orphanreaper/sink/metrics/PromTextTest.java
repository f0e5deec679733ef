package org.orphanreaper.sink.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test parser itself, on the specification's own example and on what it forbids. */
class PromTextTest {

  static final String SPEC_EXAMPLE =
      """
      # HELP http_requests_total The total number of HTTP requests.
      # TYPE http_requests_total counter
      http_requests_total{method="post",code="200"} 1027 1395066363000
      http_requests_total{method="post",code="400"}    3 1395066363000

      # Escaping in label values:
      msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",\
      error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9

      # Minimalistic line:
      metric_without_timestamp_and_labels 12.47

      # A weird metric from before the epoch:
      something_weird{problem="division by zero"} +Inf -3982045

      # A histogram, which has a pretty complex representation in the text format:
      # HELP http_request_duration_seconds A histogram of the request duration.
      # TYPE http_request_duration_seconds histogram
      http_request_duration_seconds_bucket{le="0.05"} 24054
      http_request_duration_seconds_bucket{le="+Inf"} 144320
      http_request_duration_seconds_sum 53423
      http_request_duration_seconds_count 144320
      """;

  @Test
  void readsTheSpecificationsExample() throws Exception {
    Map<String, PromText.Family> m = PromText.parse(SPEC_EXAMPLE);
    assertThat(m.keySet())
        .containsExactly(
            "http_requests_total",
            "msdos_file_access_time_seconds",
            "metric_without_timestamp_and_labels",
            "something_weird",
            "http_request_duration_seconds");
    assertThat(m.get("http_requests_total").type()).isEqualTo("counter");
    assertThat(m.get("http_requests_total").samples().get(1).value()).isEqualTo(3);
    assertThat(m.get("msdos_file_access_time_seconds").samples().get(0).labels())
        .containsEntry("path", "C:\\DIR\\FILE.TXT")
        .containsEntry("error", "Cannot find file:\n\"FILE.TXT\"");
    assertThat(m.get("something_weird").samples().get(0).value()).isInfinite();
    assertThat(m.get("http_request_duration_seconds").samples()).hasSize(4);
    assertThat(m.get("metric_without_timestamp_and_labels").type()).isEqualTo("untyped");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a 1",
        "# TYPE a gauge\n# TYPE a gauge\na 1\n",
        "# HELP a x\n# HELP a y\na 1\n",
        "a 1\n# TYPE a gauge\n",
        "a 1\nb 1\na{x=\"1\"} 2\n",
        "a 1\na 2\n",
        "a{x=\"1\",x=\"2\"} 1\n",
        "a{x=\"\\t\"} 1\n",
        "a{x=\"1} 1\n",
        "a{x=1} 1\n",
        "a{1x=\"1\"} 1\n",
        "a{__x=\"1\"} 1\n",
        "1a 1\n",
        "a 0x1p3\n",
        "a 1d\n",
        "a Infinity\n",
        "a 1 2 3\n",
        "a\n",
        "a 1 1.5\n",
        "# TYPE a gauges\na 1\n",
        "# TYPE h histogram\nh 1\n"
      })
  void rejectsWhatTheSpecificationForbids(String text) {
    assertThatThrownBy(() -> PromText.parse(text)).isInstanceOf(PromText.ParseException.class);
  }
}
