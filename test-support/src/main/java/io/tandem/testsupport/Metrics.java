package io.tandem.testsupport;

import static io.restassured.RestAssured.given;

/** Reads one series of the service's Prometheus endpoint, {@code GET /q/metrics}. */
public final class Metrics {

    private Metrics() {
    }

    /** The value of {@code name} (with {@code label="value"} when a label is given); 0 while it does not exist. */
    public static double value(String name, String label, String labelValue) {
        String line = line(name, label, labelValue);
        if (line == null) {
            return 0;
        }
        // name{labels} value [# {exemplar} value timestamp]: exemplars follow when tracing is on
        String afterSeries = line.substring(line.startsWith(name + "{") ? line.indexOf("} ") + 2 : name.length() + 1);
        return Double.parseDouble(afterSeries.trim().split("\\s+")[0]);
    }

    /** Whether the series exists, e.g. a histogram's bucket {@code le="0.3"}. */
    public static boolean has(String name, String label, String labelValue) {
        return line(name, label, labelValue) != null;
    }

    private static String line(String name, String label, String labelValue) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        String series = label == null ? null : label + "=\"" + labelValue + "\"";
        for (String line : body.split("\n")) {
            boolean named = line.startsWith(name + "{") || line.startsWith(name + " ");
            if (named && (series == null || line.contains(series))) {
                return line;
            }
        }
        return null;
    }

    public static double value(String name) {
        return value(name, null, null);
    }
}
