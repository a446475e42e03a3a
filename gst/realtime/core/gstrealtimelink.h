/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The link: whether a session is up, which connection it is on, and what
 * to do when a connection ends (renew, reconnect after a backoff, or give
 * up, and with which failure). No socket: the element tells it what the
 * transport saw and carries out its verdict. Not thread-safe. */

#ifndef __GST_REALTIME_LINK_H__
#define __GST_REALTIME_LINK_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct _GstRealtimeLink GstRealtimeLink;

/* How a connection ended, as far as a new one could help. */
typedef enum
{
  GST_REALTIME_LINK_LOSS_RENEWED,       /* closed to open a fresh session */
  GST_REALTIME_LINK_LOSS_TRANSIENT,     /* unreachable, slow, busy, no session */
  GST_REALTIME_LINK_LOSS_CLOSED,        /* the server closed: see its code */
  GST_REALTIME_LINK_LOSS_FATAL, /* a refused key or certificate, ... */
} GstRealtimeLinkLoss;

/* The reconnect properties. */
typedef struct
{
  gboolean reconnect;           /* a session that was up reconnects */
  gboolean retry_at_start;      /* the first connection retries too */
  guint max_attempts;           /* 0: no limit */
  guint min_delay_ms;
  guint max_delay_ms;
} GstRealtimeReconnectPolicy;

typedef enum
{
  GST_REALTIME_LINK_RENEW,      /* connect again at once: no attempt */
  GST_REALTIME_LINK_RECONNECT,  /* connect again in @delay_ms */
  GST_REALTIME_LINK_GIVE_UP,    /* the element fails */
} GstRealtimeLinkVerdictType;

typedef struct
{
  GstRealtimeLinkVerdictType type;
  /* RECONNECT: this attempt's number; GIVE_UP: the reconnections that
   * failed before, 0 when the failure was not one to retry */
  guint attempt;
  guint delay_ms;               /* RECONNECT */
  gboolean at_start;            /* no session was ever up */
  gchar *server_error;          /* the last `error` event's message; yours */
} GstRealtimeLinkVerdict;

GstRealtimeLink *gst_realtime_link_new (void);
void gst_realtime_link_free (GstRealtimeLink * link);
/* The element starts: no session was ever up. */
void gst_realtime_link_reset (GstRealtimeLink * link);

/* session.created came on the current connection. */
void gst_realtime_link_session_created (GstRealtimeLink * link);
gboolean gst_realtime_link_has_session (GstRealtimeLink * link);

typedef enum
{
  GST_REALTIME_LINK_UP_ALREADY, /* a later session.updated: nothing new */
  GST_REALTIME_LINK_UP_FIRST,   /* the element's first session */
  GST_REALTIME_LINK_UP_AGAIN,   /* a new session: carry the conversation over */
} GstRealtimeLinkUp;

/* The server has the configuration, on the connection of @epoch: audio
 * may go. */
GstRealtimeLinkUp gst_realtime_link_up (GstRealtimeLink * link, guint epoch);
/* Audio goes to the server (and to the connection of get_epoch()). */
gboolean gst_realtime_link_is_up (GstRealtimeLink * link);
guint gst_realtime_link_get_epoch (GstRealtimeLink * link);

/* What the server said before it closed: its last error, that the
 * session expired (then the close is not a failure). */
void gst_realtime_link_note_server_error (GstRealtimeLink * link,
    const gchar * message);
void gst_realtime_link_note_expired (GstRealtimeLink * link);

/* The connection ended with @loss (and @close_code for a close), the
 * server having asked to wait @retry_after_ms (0: it did not). @failed:
 * the element failed already. Fills @verdict; clear it after. */
void gst_realtime_link_lost (GstRealtimeLink * link, GstRealtimeLinkLoss loss,
    guint close_code, guint retry_after_ms,
    const GstRealtimeReconnectPolicy * policy, gboolean failed,
    GstRealtimeLinkVerdict * verdict);
void gst_realtime_link_verdict_clear (GstRealtimeLinkVerdict * verdict);

G_END_DECLS

#endif /* __GST_REALTIME_LINK_H__ */
