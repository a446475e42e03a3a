/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The WebSocket transport: one WebSocket session with a Realtime server,
 * behind the transport interface (gstrealtimetransport.h). It owns a
 * thread running a private GMainContext on which every libsoup call
 * happens. Other threads hand it finished events through a bounded send
 * queue; what the server sends comes back, parsed, through the callbacks,
 * run on that thread. A lost connection can be opened again: each
 * connection is an epoch, and audio queued for one epoch never reaches
 * the next. */

#ifndef __GST_REALTIME_WEBSOCKET_H__
#define __GST_REALTIME_WEBSOCKET_H__

#include <gio/gio.h>
#include "gstrealtimetransport.h"

G_BEGIN_DECLS

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
} GstRealtimeWebSocketParams;

GstRealtimeTransport *gst_realtime_websocket_transport_new (const
    GstRealtimeWebSocketParams * params,
    const GstRealtimeTransportCallbacks * callbacks, gpointer user_data);

G_END_DECLS

#endif /* __GST_REALTIME_WEBSOCKET_H__ */
