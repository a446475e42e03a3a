/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What the element needs of a connection to a Realtime server, whatever
 * carries it: client events out, parsed server events back, epochs,
 * reconnection, renewal, close. The WebSocket session
 * (gstrealtimewebsocket.c) is one implementation; a WebRTC transport
 * (issue 14) is to be a sibling, with its own _new() and the same
 * GstRealtimeTransportClass. The element includes only this header,
 * except where it chooses and creates the transport.
 *
 * Threads: an implementation owns the thread its callbacks run on (the
 * transport thread); call_later() runs there too. The other operations
 * may be called from any thread unless they say otherwise. */

#ifndef __GST_REALTIME_TRANSPORT_H__
#define __GST_REALTIME_TRANSPORT_H__

#include <glib.h>
#include "gstrealtimeprotocol.h"

G_BEGIN_DECLS

#define GST_REALTIME_TRANSPORT_ERROR (gst_realtime_transport_error_quark ())
GQuark gst_realtime_transport_error_quark (void);

/* Why a connection ended or never opened: the element's failure classes
 * (which are retried, which error the user sees) are built on these. */
typedef enum
{
  GST_REALTIME_TRANSPORT_ERROR_AUTH,    /* the server refused the key */
  GST_REALTIME_TRANSPORT_ERROR_CONNECT, /* the server could not be reached */
  GST_REALTIME_TRANSPORT_ERROR_TLS,     /* the TLS handshake failed */
  GST_REALTIME_TRANSPORT_ERROR_HANDSHAKE,       /* no Realtime server */
  GST_REALTIME_TRANSPORT_ERROR_CLOSED,  /* the server closed the session */
  GST_REALTIME_TRANSPORT_ERROR_TIMEOUT, /* the network did not keep up */
  GST_REALTIME_TRANSPORT_ERROR_RENEWED, /* closed to open a fresh session */
  GST_REALTIME_TRANSPORT_ERROR_TOO_BIG, /* the server sent a huge message */
  GST_REALTIME_TRANSPORT_ERROR_UNAVAILABLE,     /* HTTP 429 or 5xx: later */
  GST_REALTIME_TRANSPORT_ERROR_NOT_STARTED,     /* open, but no session */
} GstRealtimeTransportError;

/* The close codes the element tells apart, in WebSocket numbers (RFC 6455
 * 7.4.1 and IANA's registry), so that it needs no WebSocket library. A
 * transport without close frames maps its ends to these; 0: none came. */
typedef struct _GstRealtimeTransport GstRealtimeTransport;
typedef struct _GstRealtimeTransportClass GstRealtimeTransportClass;

/* What a transport reports, all on its own thread. */
typedef struct
{
  /* a parsed server event, which the callee takes, and its JSON text */
  void (*event) (GstRealtimeTransport * transport,
      GstRealtimeServerEvent * event, const gchar * json, gsize json_size,
      gpointer user_data);
  /* a message that is not a valid server event; the transport goes on */
  void (*malformed) (GstRealtimeTransport * transport, const GError * error,
      gpointer user_data);
  /* the connection is over (@close_code: a GstRealtimeCloseCode or the
   * server's own). Unless the callee calls
   * gst_realtime_transport_reconnect() the transport sends nothing more. */
  void (*closed) (GstRealtimeTransport * transport, const GError * error,
      guint close_code, gpointer user_data);
} GstRealtimeTransportCallbacks;

/* The operations of one kind of transport; see the wrappers below. */
struct _GstRealtimeTransportClass
{
  const gchar *name;

  void (*start) (GstRealtimeTransport * transport);
  void (*free) (GstRealtimeTransport * transport);
  void (*send_now) (GstRealtimeTransport * transport, gchar * event);
  void (*send_soon) (GstRealtimeTransport * transport, gchar * event);
  void (*open_queue) (GstRealtimeTransport * transport);
  void (*queue_control) (GstRealtimeTransport * transport, gchar * event);
  gboolean (*queue_audio) (GstRealtimeTransport * transport, gchar * event,
      guint epoch, gint64 timeout_us, GError ** error);
  guint (*get_epoch) (GstRealtimeTransport * transport);
  void (*reconnect) (GstRealtimeTransport * transport, guint delay_ms);
  void (*renew) (GstRealtimeTransport * transport);
  void (*call_later) (GstRealtimeTransport * transport, guint delay_ms,
      GSourceFunc func, gpointer user_data);
  void (*set_flushing) (GstRealtimeTransport * transport, gboolean flushing);
  void (*get_refusal) (GstRealtimeTransport * transport, guint * status,
      guint * retry_after_ms);
};

/* The head of every implementation's struct. */
struct _GstRealtimeTransport
{
  const GstRealtimeTransportClass *klass;
  GstRealtimeTransportCallbacks callbacks;
  gpointer user_data;
};

/* For implementations: fills in the head. */
void gst_realtime_transport_init (GstRealtimeTransport * transport,
    const GstRealtimeTransportClass * klass,
    const GstRealtimeTransportCallbacks * callbacks, gpointer user_data);

/* Connects, on the transport's own thread. */
void gst_realtime_transport_start (GstRealtimeTransport * transport);
/* Closes the connection, joins the transport's thread and frees it all.
 * Safe at any moment: while connecting, mid-response, after a failure. */
void gst_realtime_transport_free (GstRealtimeTransport * transport);

/* Sends @event (taking it) ahead of the queue. Transport thread only. */
void gst_realtime_transport_send_now (GstRealtimeTransport * transport,
    gchar * event);
/* Sends @event (taking it) ahead of the queue, from any thread. */
void gst_realtime_transport_send_soon (GstRealtimeTransport * transport,
    gchar * event);
/* Lets queued events go out: until then only send_now() reaches the
 * server, so the session is configured before any audio. The session
 * has started. Transport thread. */
void gst_realtime_transport_open_queue (GstRealtimeTransport * transport);
/* Queues a control event (taking it) behind what is queued, without
 * waiting. Those queued between two connections go to the next one. */
void gst_realtime_transport_queue_control (GstRealtimeTransport * transport,
    gchar * event);
/* Queues audio (taking it) for the connection of @epoch, waiting up to
 * @timeout_us for room unless flushing (negative: never waits). FALSE,
 * with @error set on a timeout, when it was not queued: also when that
 * connection has ended. */
gboolean gst_realtime_transport_queue_audio (GstRealtimeTransport *
    transport, gchar * event, guint epoch, gint64 timeout_us, GError ** error);
/* The current connection's epoch: the connections that ended. */
guint gst_realtime_transport_get_epoch (GstRealtimeTransport * transport);
/* Opens a new connection after @delay_ms. Only from the closed callback. */
void gst_realtime_transport_reconnect (GstRealtimeTransport * transport,
    guint delay_ms);
/* Closes the connection cleanly; the closed callback then gets a RENEWED
 * error and may reconnect at once. */
void gst_realtime_transport_renew (GstRealtimeTransport * transport);
/* Runs @func on the transport thread in @delay_ms, unless the transport
 * is freed first. */
void gst_realtime_transport_call_later (GstRealtimeTransport * transport,
    guint delay_ms, GSourceFunc func, gpointer user_data);
/* While flushing, nothing waits for room in the queue and control events
 * are refused; audio is still queued, for the server's count. */
void gst_realtime_transport_set_flushing (GstRealtimeTransport * transport,
    gboolean flushing);
/* The HTTP status of the last connection refused (0: none, or no answer)
 * and the wait its Retry-After asked for (0: none). In the closed
 * callback. */
void gst_realtime_transport_get_refusal (GstRealtimeTransport * transport,
    guint * status, guint * retry_after_ms);

/* For implementations: report to the element. Transport thread. */
void gst_realtime_transport_emit_event (GstRealtimeTransport * transport,
    GstRealtimeServerEvent * event, const gchar * json, gsize json_size);
void gst_realtime_transport_emit_malformed (GstRealtimeTransport * transport,
    const GError * error);
void gst_realtime_transport_emit_closed (GstRealtimeTransport * transport,
    const GError * error, guint close_code);

G_END_DECLS

#endif /* __GST_REALTIME_TRANSPORT_H__ */
