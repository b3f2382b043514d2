package io.staticlet.app.kubeletapi.streaming;

/** What a SPDY connection's streams do; called on the channel's event loop, never blocking. */
public interface SpdyStreamListener {
  /** The client opened a stream; the SYN_REPLY was already sent. */
  void opened(SpdyStream stream);

  void data(SpdyStream stream, byte[] bytes);

  /** The client half-closed the stream (FIN): it sends no more. */
  void remoteFinished(SpdyStream stream);

  /** The client reset the stream. */
  void reset(SpdyStream stream);

  /** The connection is gone. */
  void closed();
}
