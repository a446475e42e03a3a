/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* One source pad of the element with the queue and GstTask that feed it.
 * Whatever thread produces output only enqueues; the task pushes, so a slow
 * downstream never stalls the WebSocket. The queue keeps the pad's timeline
 * monotonic: a buffer stamped before the end of what was queued is moved to
 * that end, and advancing the pad over idle time queues a GAP event. */

#ifndef __GST_REALTIME_OUTPUT_H__
#define __GST_REALTIME_OUTPUT_H__

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _GstRealtimeOutput GstRealtimeOutput;

/* Called from the pad's task with the result of each push; returns the
 * combined flow of the element. A result other than GST_FLOW_OK pauses
 * the task. */
typedef GstFlowReturn (*GstRealtimeOutputFlowFunc) (GstRealtimeOutput * output,
    GstFlowReturn ret, gpointer user_data);

GstRealtimeOutput *gst_realtime_output_new (GstPad * pad,
    GstRealtimeOutputFlowFunc flow_func, gpointer user_data);
void gst_realtime_output_free (GstRealtimeOutput * output);

GstPad *gst_realtime_output_get_pad (GstRealtimeOutput * output);

gboolean gst_realtime_output_start (GstRealtimeOutput * output);
void gst_realtime_output_stop (GstRealtimeOutput * output);
/* Drops what is queued and flushes downstream (without resetting running
 * time), then goes on in @segment from @resume. */
void gst_realtime_output_interrupt (GstRealtimeOutput * output,
    const GstSegment * segment, GstClockTime resume,
    gboolean flush_downstream);
void gst_realtime_output_set_flushing (GstRealtimeOutput * output,
    gboolean flushing);

void gst_realtime_output_queue_event (GstRealtimeOutput * output,
    GstEvent * event);
GstClockTime gst_realtime_output_queue_buffer (GstRealtimeOutput * output,
    GstBuffer * buffer);
void gst_realtime_output_advance (GstRealtimeOutput * output,
    GstClockTime position);

GstClockTime gst_realtime_output_get_end (GstRealtimeOutput * output);

G_END_DECLS

#endif /* __GST_REALTIME_OUTPUT_H__ */
