/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* One WebSocket session with a Realtime server. It owns a thread running a
 * private GMainContext on which every libsoup call happens. Other threads
 * hand it finished events through a bounded send queue; what the server
 * sends comes back, parsed, through callbacks run on the session thread.
 * A lost connection can be opened again: each connection is an epoch, and
 * audio queued for one epoch never reaches the next. */

#ifndef __GST_REALTIME_SESSION_H__
#define __GST_REALTIME_SESSION_H__

#include <gio/gio.h>
#include "gstrealtimeprotocol.h"

G_BEGIN_DECLS

#define GST_REALTIME_SESSION_ERROR (gst_realtime_session_error_quark ())
GQuark gst_realtime_session_error_quark (void);

typedef enum
{
  GST_REALTIME_SESSION_ERROR_AUTH,      /* the server refused the key */
  GST_REALTIME_SESSION_ERROR_CONNECT,   /* the server could not be reached */
  GST_REALTIME_SESSION_ERROR_TLS,       /* the TLS handshake failed */
  GST_REALTIME_SESSION_ERROR_HANDSHAKE, /* the server is no Realtime server */
  GST_REALTIME_SESSION_ERROR_CLOSED,    /* the server closed the session */
  GST_REALTIME_SESSION_ERROR_TIMEOUT,   /* the network did not keep up */
  GST_REALTIME_SESSION_ERROR_RENEWED,   /* closed to open a fresh session */
  GST_REALTIME_SESSION_ERROR_TOO_BIG,   /* the server sent a huge message */
  GST_REALTIME_SESSION_ERROR_UNAVAILABLE,       /* HTTP 429 or 5xx: later */
  GST_REALTIME_SESSION_ERROR_NOT_STARTED,       /* open, but no session */
} GstRealtimeSessionError;

typedef struct _GstRealtimeSession GstRealtimeSession;

typedef struct
{
  const gchar *url;
  const gchar *api_key;         /* NULL or empty: no key header */
  gboolean api_key_header;      /* send `api-key: K`, not a Bearer token */
  /* more request headers: name, value, name, value, ..., NULL */
  const gchar *const *headers;
  GTlsDatabase *tls_database;   /* NULL: the system's trusted CAs */
  gboolean tls_insecure;        /* accept any certificate (unsafe) */
  /* connect and I/O timeout; also how long an open connection may take
   * to send session.created, and to answer the client after that */
  guint timeout_s;
  gsize max_queued_bytes;       /* bound of the send queue */
} GstRealtimeSessionParams;

/* All run on the session thread. */
typedef struct
{
  /* a parsed server event, which the callee takes, and its JSON text */
  void (*event) (GstRealtimeSession * session, GstRealtimeServerEvent * event,
      const gchar * json, gsize json_size, gpointer user_data);
  /* a frame that is not a valid server event; the session goes on */
  void (*malformed) (GstRealtimeSession * session, const GError * error,
      gpointer user_data);
  /* the connection is over: @close_code is the WebSocket close code, 0 if
   * the connection never opened. Unless the callee calls
   * gst_realtime_session_reconnect() the session sends nothing more. */
  void (*closed) (GstRealtimeSession * session, const GError * error,
      guint close_code, gpointer user_data);
} GstRealtimeSessionCallbacks;

GstRealtimeSession *gst_realtime_session_new (const GstRealtimeSessionParams *
    params, const GstRealtimeSessionCallbacks * callbacks, gpointer user_data);
void gst_realtime_session_start (GstRealtimeSession * session);
void gst_realtime_session_free (GstRealtimeSession * session);

void gst_realtime_session_send_now (GstRealtimeSession * session,
    gchar * event);
void gst_realtime_session_send_soon (GstRealtimeSession * session,
    gchar * event);
void gst_realtime_session_open_queue (GstRealtimeSession * session);
void gst_realtime_session_get_refusal (GstRealtimeSession * session,
    guint * status, guint * retry_after_ms);
void gst_realtime_session_queue_control (GstRealtimeSession * session,
    gchar * event);
gboolean gst_realtime_session_queue_audio (GstRealtimeSession * session,
    gchar * event, guint epoch, gint64 timeout_us, GError ** error);
guint gst_realtime_session_get_epoch (GstRealtimeSession * session);
void gst_realtime_session_reconnect (GstRealtimeSession * session,
    guint delay_ms);
void gst_realtime_session_renew (GstRealtimeSession * session);
void gst_realtime_session_call_later (GstRealtimeSession * session,
    guint delay_ms, GSourceFunc func, gpointer user_data);
void gst_realtime_session_set_flushing (GstRealtimeSession * session,
    gboolean flushing);

G_END_DECLS

#endif /* __GST_REALTIME_SESSION_H__ */
