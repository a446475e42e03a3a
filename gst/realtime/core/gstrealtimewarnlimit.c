/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimewarnlimit.h"

void
gst_realtime_warn_limit_reset (GstRealtimeWarnLimit * limit)
{
  limit->window_end = 0;
  limit->posted = 0;
  limit->held_back = 0;
}

/* TRUE if a warning may be posted at @now (monotonic µs); otherwise it is
 * counted as held back. The first warning after a quiet spell opens a
 * window. */
gboolean
gst_realtime_warn_limit_admit (GstRealtimeWarnLimit * limit, gint64 now)
{
  if (now >= limit->window_end) {
    limit->window_end = now + GST_REALTIME_WARN_LIMIT_WINDOW_MS *
        G_TIME_SPAN_MILLISECOND;
    limit->posted = 0;
  }
  if (limit->posted < GST_REALTIME_WARN_LIMIT_BURST) {
    limit->posted++;
    return TRUE;
  }
  limit->held_back++;
  return FALSE;
}

/* How many warnings were held back since the last call. */
guint
gst_realtime_warn_limit_take_held_back (GstRealtimeWarnLimit * limit)
{
  guint held_back = limit->held_back;

  limit->held_back = 0;
  return held_back;
}
