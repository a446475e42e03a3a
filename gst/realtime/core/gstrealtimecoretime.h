/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Time in the session core: nanoseconds in a guint64, the values of a
 * GstClockTime, so that the core needs GLib only. */

#ifndef __GST_REALTIME_CORE_TIME_H__
#define __GST_REALTIME_CORE_TIME_H__

#include <glib.h>

G_BEGIN_DECLS

typedef guint64 GstRealtimeTime;

#define GST_REALTIME_TIME_NONE G_MAXUINT64
#define GST_REALTIME_TIME_IS_VALID(time) ((time) != GST_REALTIME_TIME_NONE)
#define GST_REALTIME_SECOND G_GINT64_CONSTANT (1000000000)
#define GST_REALTIME_MSECOND G_GINT64_CONSTANT (1000000)

/* @value * @num / @denom rounded down, as gst_util_uint64_scale_int for
 * the core's ranges (@num and @denom at most a second's nanoseconds). */
static inline guint64
gst_realtime_time_scale (guint64 value, guint64 num, guint64 denom)
{
  return value / denom * num + value % denom * num / denom;
}

G_END_DECLS

#endif /* __GST_REALTIME_CORE_TIME_H__ */
