package dev.aviary.controller.platform.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.kernel.SecretUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {

  @TempDir Path tmp;

  @Test
  void onlyFilesUnderAnAllowedDirectoryAfterLinksAreResolved() throws Exception {
    Path roots = Files.createDirectories(tmp.resolve("secrets"));
    Path outside = Files.writeString(tmp.resolve("outside"), "nope");
    Path inside = Files.writeString(roots.resolve("prom-token"), "t0ken\n");
    Path link = Files.createSymbolicLink(roots.resolve("link"), outside);
    Path dirLink = Files.createSymbolicLink(roots.resolve("up"), tmp);
    SecretFiles files = new SecretFiles(List.of(roots), List.of());

    assertThat(files.refusal(inside.toString())).isEmpty();
    assertThat(files.read(inside.toString())).isEqualTo("t0ken");
    assertThat(files.refusal(outside.toString()).orElseThrow()).contains("not under a directory");
    assertThat(files.refusal(roots + "/../outside").orElseThrow()).contains("not under");
    assertThat(files.refusal(link.toString()).orElseThrow()).contains("through a link");
    assertThat(files.refusal(dirLink + "/outside").orElseThrow()).contains("through a link");
    assertThat(files.refusal("relative/path").orElseThrow()).contains("absolute");
    assertThatThrownBy(() -> files.read(link.toString()))
        .isInstanceOf(SecretUnavailableException.class)
        .hasMessageNotContaining("nope");
  }

  @Test
  void aviarysOwnFilesAndTheKernelsViewsAreNeverReferable() throws Exception {
    Path data = Files.createDirectories(tmp.resolve(".aviary"));
    Path token = Files.writeString(data.resolve("admin-token"), "avy_admin");
    SecretFiles files = new SecretFiles(List.of(tmp, Path.of("/")), List.of(token, data));
    assertThat(files.refusal(token.toString()).orElseThrow()).contains("Aviary's own");
    assertThat(files.refusal(data.resolve("pg/postgresql.conf").toString())).isPresent();
    assertThat(files.refusal("/proc/self/environ").orElseThrow()).contains("Aviary's own");
    assertThat(files.refusal("/proc/self/cwd/.aviary/admin-token")).isPresent();
    Path link = Files.createSymbolicLink(tmp.resolve("innocent"), token);
    assertThat(files.refusal(link.toString()).orElseThrow()).contains("Aviary's own");
  }

  @Test
  void withoutRootsFileSecretsAreOff() {
    assertThat(new SecretFiles(List.of(), List.of()).refusal("/run/secrets/x").orElseThrow())
        .contains("aviary.secrets.file-roots");
  }
}
