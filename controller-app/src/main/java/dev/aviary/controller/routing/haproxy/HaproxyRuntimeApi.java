package dev.aviary.controller.routing.haproxy;

import dev.aviary.controller.routing.RouterException;
import dev.aviary.kernel.OutboundPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One command per connection to HAProxy's runtime API (the stats socket, over TCP or a unix
 * socket), as {@code socat} would send it: write the command and a newline, read until HAProxy
 * closes the connection. Non-blocking with a selector, so that one deadline bounds the whole
 * exchange on either kind of socket.
 */
final class HaproxyRuntimeApi {

  private final HaproxySettings settings;
  private final OutboundPolicy outbound;

  HaproxyRuntimeApi(HaproxySettings settings, OutboundPolicy outbound) {
    this.settings = settings;
    this.outbound = outbound;
  }

  String execute(String command) {
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    try (SocketChannel channel = open();
        Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII));
      SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
      while (out.hasRemaining()) {
        await(selector, deadline);
        channel.write(out);
      }
      key.interestOps(SelectionKey.OP_READ);
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      ByteBuffer in = ByteBuffer.allocate(4096);
      while (true) {
        await(selector, deadline);
        int n = channel.read(in);
        if (n < 0) {
          break;
        }
        answer.write(in.array(), 0, in.position());
        in.clear();
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

  /** Waits until the channel is ready, or fails when the deadline passes. */
  private void await(Selector selector, long deadline) throws IOException {
    long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
    if (remainingMillis <= 0 || selector.select(remainingMillis) == 0) {
      throw new SocketTimeoutException("no answer within " + settings.timeout());
    }
    selector.selectedKeys().clear();
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
    Optional<String> refused = outbound.refusal(host, port);
    if (refused.isPresent()) {
      throw RouterException.fatal(
          "HAProxy runtime API at " + address + " may not be called: " + refused.get());
    }
    SocketChannel channel = SocketChannel.open();
    channel
        .socket()
        .connect(new InetSocketAddress(host, port), (int) settings.timeout().toMillis());
    return channel;
  }

  private static String verb(String command) {
    String[] words = command.split(" ", -1);
    return words.length >= 2 ? words[0] + " " + words[1] : command;
  }
}
