package io.tandem.testsupport;

import static io.restassured.RestAssured.given;

import java.util.Map;

/** Reads one series of the service's Prometheus endpoint, {@code GET /q/metrics}. */
public final class Metrics {

    private Metrics() {
    }

    /** The value of {@code name} (with {@code label="value"} when a label is given); 0 while it does not exist. */
    public static double value(String name, String label, String labelValue) {
        return value(name, label == null ? Map.of() : Map.of(label, labelValue));
    }

    /**
     * The value of the series of {@code name} that has every one of {@code labels}; 0 while it does not exist. Name
     * every label that tells the series apart: with fewer, the first matching series is read.
     */
    public static double value(String name, Map<String, String> labels) {
        String line = line(name, labels);
        if (line == null) {
            return 0;
        }
        // name{labels} value [# {exemplar} value timestamp]: exemplars follow when tracing is on
        String afterSeries = line.substring(line.startsWith(name + "{") ? line.indexOf("} ") + 2 : name.length() + 1);
        return Double.parseDouble(afterSeries.trim().split("\\s+")[0]);
    }

    /** Whether the series exists, e.g. a histogram's bucket {@code le="0.3"}. */
    public static boolean has(String name, String label, String labelValue) {
        return line(name, Map.of(label, labelValue)) != null;
    }

    private static String line(String name, Map<String, String> labels) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : body.split("\n")) {
            boolean named = line.startsWith(name + "{") || line.startsWith(name + " ");
            if (named && labels.entrySet().stream()
                    .allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                return line;
            }
        }
        return null;
    }

    public static double value(String name) {
        return value(name, Map.of());
    }
}
