package org.instruct4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.MultipartField;
import com.openai.core.http.HttpResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesSdkTest {
    private final FakeOpenAiServer server = new FakeOpenAiServer().start();
    private final OpenAIClient client = SdkClients.of(server);

    @AfterEach
    void stop() {
        server.close();
    }

    /** Every byte value, plus a fake boundary and CRLFs, which a careless multipart parser would cut at. */
    private static byte[] awkwardBytes() {
        byte[] prefix = "line one\r\n--boundary\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] content = new byte[prefix.length + 256];
        System.arraycopy(prefix, 0, content, 0, prefix.length);
        for (int i = 0; i < 256; i++) {
            content[prefix.length + i] = (byte) i;
        }
        return content;
    }

    @Test
    void uploadRetrieveDownloadListAndDeleteAreBinarySafe(@TempDir Path dir) throws Exception {
        byte[] content = awkwardBytes();
        Path file = Files.write(dir.resolve("requests.jsonl"), content);

        FileObject uploaded = client.files().create(
                FileCreateParams.builder().file(file).purpose(FilePurpose.BATCH).build());

        uploaded.validate();
        assertThat(uploaded.filename()).isEqualTo("requests.jsonl");
        assertThat(uploaded.bytes()).isEqualTo(content.length);
        assertThat(uploaded.purpose()).isEqualTo(FileObject.Purpose.BATCH);
        assertThat(uploaded.status()).isEqualTo(FileObject.Status.PROCESSED);
        assertThat(client.files().retrieve(uploaded.id())).isEqualTo(uploaded);
        try (HttpResponse download = client.files().content(uploaded.id())) {
            assertThat(download.body().readAllBytes()).isEqualTo(content);
        }
        assertThat(client.files().list().data()).extracting(FileObject::id).containsExactly(uploaded.id());
        assertThat(server.files().find(uploaded.id()).orElseThrow().content()).isEqualTo(content);
        assertThat(server.log().filesUploaded()).isEqualTo(1);

        assertThat(client.files().delete(uploaded.id()).deleted()).isTrue();
        assertThatThrownBy(() -> client.files().retrieve(uploaded.id())).isInstanceOf(NotFoundException.class);
        assertThat(server.files().all()).isEmpty();
    }

    @Test
    void anUploadWithoutAFilenameIsRejectedLikeTheRealApiDoes() {
        assertThatThrownBy(() -> client.files().create(FileCreateParams.builder()
                .file("{}".getBytes(StandardCharsets.UTF_8)).purpose(FilePurpose.BATCH).build()))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.getMessage()).contains("could not understand"));
        assertThat(server.files().all()).isEmpty();
    }

    @Test
    void anUploadWithoutAKnownPurposeIsRejected() {
        assertThatThrownBy(() -> client.files().create(FileCreateParams.builder()
                .file("x".getBytes(StandardCharsets.UTF_8)).purpose(FilePurpose.of("homework")).build()))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.param()).contains("purpose"));
    }

    @Test
    void aBatchInputMustBeANonEmptyJsonlFileLikeTheRealApiReadsIt() {
        for (String name : new String[] {"requests.json", "requests.txt"}) {
            assertThatThrownBy(() -> client.files().create(FileCreateParams.builder()
                    .file(MultipartField.<InputStream>builder().value(new ByteArrayInputStream("{}\n".getBytes(StandardCharsets.UTF_8)))
                            .filename(name).build())
                    .purpose(FilePurpose.BATCH).build()))
                    .isInstanceOfSatisfying(BadRequestException.class,
                            e -> assertThat(e.getMessage()).contains("Invalid file format for Batch API. Must be .jsonl"));
        }
        assertThatThrownBy(() -> client.files().create(FileCreateParams.builder()
                .file(MultipartField.<InputStream>builder().value(new ByteArrayInputStream(new byte[0])).filename("empty.jsonl").build())
                .purpose(FilePurpose.BATCH).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("File is empty"));
        assertThat(server.files().all()).isEmpty();
    }
}
