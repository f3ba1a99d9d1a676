package dev.exemplar.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exemplar.backend.Review;
import dev.exemplar.backend.SetupRequest;
import dev.exemplar.backend.StoreService;
import dev.exemplar.config.Manifest;
import dev.exemplar.config.Settings;
import dev.exemplar.json.Json;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;


/** A backend server on a free loopback port, and calls to it. */
abstract class ServerFixture {
    static final ObjectMapper JSON = Json.MAPPER;
    static final MediaType JSON_TYPE = MediaType.get("application/json");
    static final String SETUP = """
            {"project": "12.1718030005", "schema": "<View><Image name=\\"image\\" value=\\"$image\\"/></View>",
             "hostname": "http://localhost:8080", "access_token": "abc123", "extra_params": {"summary_size": "10%"}}""";

    final OkHttpClient http = new OkHttpClient();
    final List<SetupRequest> setups = new ArrayList<>();
    BackendServer server;
    String base;

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dataDir;
    dev.exemplar.store.Store store;

    String start(Map<String, String> env) {
        return start(env, null);
    }

    /** With a review behind the /ui routes (null: none). */
    String start(Map<String, String> env, Review review) {
        if (store == null) store = dev.exemplar.store.Store.open(dataDir);
        server = new BackendServer(new Settings(Manifest.load(), env::get),
                new StoreService(Manifest.load().modelVersion(), store, setups::add, review));
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
        return base;
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (store != null) store.close();
        server = null;
        store = null;
    }

    record Answer(int status, JsonNode body, Response raw) { }

    Answer call(String method, String path, String body, String authorization) throws IOException {
        Request.Builder b = new Request.Builder().url(base + path);
        if (authorization != null) b.header("Authorization", authorization);
        if (method.equals("POST")) b.post(RequestBody.create(body, JSON_TYPE));
        try (Response r = http.newCall(b.build()).execute()) {
            String text = r.body().string();
            JsonNode node = r.header("Content-Type", "").startsWith("application/json") ? JSON.readTree(text) : null;
            return new Answer(r.code(), node, r);
        }
    }
}
