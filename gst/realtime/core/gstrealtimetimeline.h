/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Maps "milliseconds of audio appended in this session", the unit of the
 * server's audio_start_ms/audio_end_ms, back to the input timestamps the
 * audio came with. Input may have gaps and discontinuities, so the map is a
 * list of spans of contiguous samples. */

#ifndef __GST_REALTIME_TIMELINE_H__
#define __GST_REALTIME_TIMELINE_H__

#include "gstrealtimecoretime.h"

G_BEGIN_DECLS

typedef struct _GstRealtimeTimeline GstRealtimeTimeline;

GstRealtimeTimeline *gst_realtime_timeline_new (guint rate);
void gst_realtime_timeline_free (GstRealtimeTimeline * timeline);
void gst_realtime_timeline_reset (GstRealtimeTimeline * timeline);

void gst_realtime_timeline_append (GstRealtimeTimeline * timeline,
    GstRealtimeTime pts, guint64 n_samples);

guint64 gst_realtime_timeline_get_ms (GstRealtimeTimeline * timeline);
GstRealtimeTime gst_realtime_timeline_get_end (GstRealtimeTimeline * timeline);
GstRealtimeTime gst_realtime_timeline_lookup (GstRealtimeTimeline * timeline,
    gint64 ms);

G_END_DECLS

#endif /* __GST_REALTIME_TIMELINE_H__ */
