/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The structures of the element messages the element posts, so that
 * applications read transcripts, usage, rate limits, errors and function
 * calls from the bus without parsing JSON. docs/realtimeai.md lists their
 * fields. */

#ifndef __GST_REALTIME_MESSAGES_H__
#define __GST_REALTIME_MESSAGES_H__

#include <gst/gst.h>
#include "gstrealtimeprotocol.h"

G_BEGIN_DECLS

GstStructure *gst_realtime_message_transcript (const gchar * role,
    const GstRealtimeServerEvent * event, gboolean final);
GstStructure *gst_realtime_message_response_done (const
    GstRealtimeServerEvent * event);
GstStructure *gst_realtime_message_rate_limits (const
    GstRealtimeServerEvent * event);
GstStructure *gst_realtime_message_server_error (const
    GstRealtimeServerEvent * event);
GstStructure *gst_realtime_message_function_call (const
    GstRealtimeServerEvent * event);
GstStructure *gst_realtime_message_dtmf (const GstRealtimeServerEvent *
    event);
GstStructure *gst_realtime_message_mcp (const gchar * what,
    const gchar * status, const gchar * item_id, const gchar * server_label,
    const gchar * name);
GstStructure *gst_realtime_message_connection (const gchar * state,
    guint attempt, guint delay_ms, const gchar * reason);

G_END_DECLS

#endif /* __GST_REALTIME_MESSAGES_H__ */
