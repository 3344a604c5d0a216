package io.tandem.identity.bench;

import static io.tandem.identity.support.InternalApi.internal;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.tandem.events.InvocationRequested;
import io.tandem.identity.support.GitlabWorld;
import io.tandem.identity.support.InternalApi;
import io.tandem.identity.support.Invocations;
import io.tandem.identity.support.Runs;
import io.tandem.testsupport.GitlabSimTestResource;
import io.tandem.testsupport.KafkaTestResource;
import io.tandem.testsupport.PostgresTestResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Not part of the test suite (the name does not end in Test): the latency the GitLab proxy adds to a small
 * REST read and write, measured against the same call made straight to the simulator. See bench/README.md.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GitlabSimTestResource.class)
class ProxyLatencyBenchmark {

    private static final int WARMUP = 200;
    private static final int ROUNDS = 1000;

    @Test
    void measure() throws Exception {
        GitlabWorld world = GitlabWorld.get();
        Map<String, Object> account = InternalApi.ensureServiceAccount(world.group.getId(), "Bench Agent");
        long accountId = ((Number) account.get("id")).longValue();
        internal().put("/internal/v1/service-accounts/" + accountId + "/projects/" + world.project.getId())
                .then().statusCode(204);
        InvocationRequested request = Invocations.mention(world, world.developer, accountId,
                (String) account.get("username"), true);
        String runToken = Runs.authorized(request).token();
        String accountToken = internal().post("/internal/v1/service-accounts/" + accountId + "/gitlab-token")
                .then().statusCode(200).extract().path("token");
        long issueIid = world.root.getIssuesApi().createIssue(world.project.getId(), "bench", "bench").getIid();

        String direct = GitlabSimTestResource.url();
        String proxy = "http://127.0.0.1:" + RestAssured.port;
        String read = "/api/v4/projects/" + world.project.getId() + "/issues/" + issueIid;
        String write = read + "/notes";
        HttpClient http = HttpClient.newHttpClient();

        report("GET  issue ", http, direct + read, proxy + read, accountToken, runToken, false);
        report("POST note  ", http, direct + write, proxy + write, accountToken, runToken, true);
    }

    private static void report(String label, HttpClient http, String directUrl, String proxyUrl, String accountToken,
            String runToken, boolean write) throws Exception {
        time(http, directUrl, accountToken, write, WARMUP);
        time(http, proxyUrl, runToken, write, WARMUP);
        long[] direct = time(http, directUrl, accountToken, write, ROUNDS);
        long[] proxied = time(http, proxyUrl, runToken, write, ROUNDS);
        System.out.printf("BENCH %s direct p50 %.2f ms p95 %.2f ms | proxy p50 %.2f ms p95 %.2f ms | added p50 %.2f ms%n",
                label, ms(direct, 50), ms(direct, 95), ms(proxied, 50), ms(proxied, 95),
                ms(proxied, 50) - ms(direct, 50));
    }

    private static long[] time(HttpClient http, String url, String token, boolean write, int rounds) throws Exception {
        long[] nanos = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).header("PRIVATE-TOKEN", token);
            if (write) {
                builder.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"body\": \"bench " + i + "\"}"));
            }
            long start = System.nanoTime();
            HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            nanos[i] = System.nanoTime() - start;
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(url + " answered " + response.statusCode());
            }
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static double ms(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1_000_000.0;
    }
}
