package dev.aviary.proxy;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;

/** A body collected up to a bound; past it, only its length is kept. */
final class Bytes {

  private final int max;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private long length;

  Bytes(int max) {
    this.max = max;
  }

  synchronized void add(ByteBuf buf) {
    int n = buf.readableBytes();
    length += n;
    if (length <= max) {
      byte[] b = new byte[n];
      buf.getBytes(buf.readerIndex(), b);
      out.write(b, 0, n);
    }
  }

  synchronized boolean truncated() {
    return length > max;
  }

  synchronized byte[] bytes() {
    return out.toByteArray();
  }
}
