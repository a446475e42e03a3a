/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* How many warnings of one kind reach the bus: a burst at most per window
 * of time; the rest are counted, to be reported as one. A server that
 * sends a storm of errors must not bury the application's bus. */

#ifndef __GST_REALTIME_WARN_LIMIT_H__
#define __GST_REALTIME_WARN_LIMIT_H__

#include <glib.h>

G_BEGIN_DECLS

#define GST_REALTIME_WARN_LIMIT_BURST 10
#define GST_REALTIME_WARN_LIMIT_WINDOW_MS 10000

typedef struct
{
  gint64 window_end;            /* monotonic µs; 0: no window open */
  guint posted;                 /* warnings posted in the window */
  guint held_back;              /* not posted, not reported yet */
} GstRealtimeWarnLimit;

void gst_realtime_warn_limit_reset (GstRealtimeWarnLimit * limit);
gboolean gst_realtime_warn_limit_admit (GstRealtimeWarnLimit * limit,
    gint64 now);
guint gst_realtime_warn_limit_take_held_back (GstRealtimeWarnLimit * limit);

G_END_DECLS

#endif
