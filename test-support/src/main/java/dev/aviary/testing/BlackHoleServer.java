package dev.aviary.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A backend that hangs: it accepts connections on loopback and never answers, holding each one
 * until it is closed. What a router or metrics backend looks like on its worst day.
 */
public final class BlackHoleServer implements AutoCloseable {

  private final ServerSocket socket;
  private final List<Socket> held = Collections.synchronizedList(new ArrayList<>());

  public BlackHoleServer() throws IOException {
    socket = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!socket.isClosed()) {
                try {
                  held.add(socket.accept());
                } catch (IOException e) {
                  return;
                }
              }
            },
            "black-hole");
    t.setDaemon(true);
    t.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + socket.getLocalPort() + path;
  }

  /** Connections accepted so far, each still held. */
  public int held() {
    return held.size();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    synchronized (held) {
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
