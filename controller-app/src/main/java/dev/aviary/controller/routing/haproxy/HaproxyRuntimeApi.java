package dev.aviary.controller.routing.haproxy;

import dev.aviary.controller.routing.RouterException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One command per connection to HAProxy's runtime API (the stats socket, over TCP or a unix
 * socket), as {@code socat} would send it: write the command and a newline, read until HAProxy
 * closes the connection.
 */
final class HaproxyRuntimeApi {

  private final HaproxySettings settings;

  HaproxyRuntimeApi(HaproxySettings settings) {
    this.settings = settings;
  }

  String execute(String command) {
    Duration timeout = settings.timeout();
    try (SocketChannel channel = open()) {
      channel.socket().setSoTimeout((int) timeout.toMillis());
      channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      try (var in = Channels.newInputStream(channel)) {
        byte[] buf = new byte[4096];
        long deadline = System.nanoTime() + timeout.toNanos();
        int n;
        while ((n = in.read(buf)) >= 0) {
          answer.write(buf, 0, n);
          if (System.nanoTime() > deadline) {
            throw new SocketTimeoutException("no end of answer within " + timeout);
          }
        }
      }
      return answer.toString(StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw RouterException.retryable(
          "HAProxy runtime API at "
              + settings.address()
              + " did not answer '"
              + verb(command)
              + "': "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"),
          e);
    }
  }

  private SocketChannel open() throws IOException {
    if (settings.unixSocket()) {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(Path.of(settings.address())));
      return channel;
    }
    String address = settings.address();
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon).replace("[", "").replace("]", "");
    int port = Integer.parseInt(address.substring(colon + 1));
    SocketChannel channel = SocketChannel.open();
    channel
        .socket()
        .connect(new InetSocketAddress(host, port), (int) settings.timeout().toMillis());
    return channel;
  }

  private static String verb(String command) {
    String[] words = command.split(" ");
    return words.length >= 2 ? words[0] + " " + words[1] : command;
  }
}
