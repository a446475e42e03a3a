/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The input audio a connection could still lose: chunks sent but not yet
 * settled by the server (a turn answered), then chunks that wait for a
 * connection. When a connection ends, everything in it is to be sent again
 * on the next one, so an outage loses no speech. Bounded: past the bound
 * the oldest audio goes. Sizes count samples of the timeline's rate. The
 * chunks are the element's (its buffers): the backlog frees them with the
 * function it was made with. */

#ifndef __GST_REALTIME_BACKLOG_H__
#define __GST_REALTIME_BACKLOG_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct _GstRealtimeBacklog GstRealtimeBacklog;

GstRealtimeBacklog *gst_realtime_backlog_new (GDestroyNotify free_chunk);
void gst_realtime_backlog_free (GstRealtimeBacklog * backlog);
void gst_realtime_backlog_clear (GstRealtimeBacklog * backlog);
/* max-buffered-time, in samples (0: keep nothing). */
void gst_realtime_backlog_set_limit (GstRealtimeBacklog * backlog,
    guint64 max_samples);

/* A chunk (its PTS set, or NONE) that waits for a connection. */
void gst_realtime_backlog_push_unsent (GstRealtimeBacklog * backlog,
    gpointer chunk, guint64 samples);
/* A chunk just sent, ending @end_ms into the server's session. Only when
 * nothing waits. */
void gst_realtime_backlog_push_sent (GstRealtimeBacklog * backlog,
    gpointer chunk, guint64 samples, guint64 end_ms);
/* The oldest chunk that waits (borrowed), NULL if none. */
gpointer gst_realtime_backlog_peek_unsent (GstRealtimeBacklog * backlog,
    guint64 * samples);
/* That chunk went out, ending @end_ms into the server's session. */
void gst_realtime_backlog_mark_sent (GstRealtimeBacklog * backlog,
    guint64 end_ms);

/* The server holds what ends by @ms for good. */
void gst_realtime_backlog_settle (GstRealtimeBacklog * backlog, guint64 ms);
/* The connection ended: what was sent waits again. */
void gst_realtime_backlog_unsend (GstRealtimeBacklog * backlog);
/* Keeps the newest @max_samples; returns the samples dropped that no
 * connection ever had (the rest were only a spare copy). */
/* Samples never sent that the limit dropped since the last call. */
guint64 gst_realtime_backlog_take_dropped (GstRealtimeBacklog * backlog);

/* At its limit (if it has one). */
gboolean gst_realtime_backlog_is_full (GstRealtimeBacklog * backlog);
guint64 gst_realtime_backlog_get_samples (GstRealtimeBacklog * backlog);

G_END_DECLS

#endif /* __GST_REALTIME_BACKLOG_H__ */
