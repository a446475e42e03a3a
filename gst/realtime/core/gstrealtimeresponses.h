/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Arbitration of response.create. Only one response at a time may write to
 * the conversation: a request made while one runs, or while the server is
 * about to start one by itself, waits here until response.done instead of
 * being sent to fail. Out-of-band responses (conversation "none") run in
 * parallel. Every request carries a metadata tag, so that its
 * response.created is told apart from the others and from the ones the
 * server starts by itself. Not thread-safe: the element calls it under its
 * lock. */

#ifndef __GST_REALTIME_RESPONSES_H__
#define __GST_REALTIME_RESPONSES_H__

#include <glib.h>

G_BEGIN_DECLS

/* The metadata key that marks the element's requests. */
#define GST_REALTIME_REQUEST_TAG "gst_realtime_request"

typedef struct _GstRealtimeResponses GstRealtimeResponses;

GstRealtimeResponses *gst_realtime_responses_new (void);
void gst_realtime_responses_free (GstRealtimeResponses * responses);
void gst_realtime_responses_reset (GstRealtimeResponses * responses);

/* Queues an in-band request; @overrides (a validated JSON object, or NULL)
 * is copied. */
void gst_realtime_responses_queue (GstRealtimeResponses * responses,
    const gchar * overrides);
/* Queues the request that lets the model go on after function call
 * outputs, unless one is queued already. */
void gst_realtime_responses_queue_follow_up (GstRealtimeResponses *
    responses);
/* Takes the next queued request if one may be sent now; the caller sends
 * it with @event_id and owns *@overrides. */
gboolean gst_realtime_responses_take_ready (GstRealtimeResponses * responses,
    const gchar * event_id, gchar ** overrides);
/* The server will start a response by itself (VAD with create_response). */
void gst_realtime_responses_expect_server (GstRealtimeResponses * responses,
    gboolean expect);

/* An out-of-band request is being sent with @event_id as its tag. */
void gst_realtime_responses_add_out_of_band (GstRealtimeResponses *
    responses, const gchar * event_id);

/* response.created: returns whether it is in-band (FALSE for one of our
 * out-of-band requests, recognised by the tag in @metadata). */
gboolean gst_realtime_responses_is_stale (GstRealtimeResponses * responses,
    const gchar * metadata);
gboolean gst_realtime_responses_created (GstRealtimeResponses * responses,
    const gchar * response_id, const gchar * metadata);
void gst_realtime_responses_done (GstRealtimeResponses * responses,
    const gchar * response_id);
/* An error answered the request sent with @event_id. If the conversation
 * was busy it is queued again. Returns whether @event_id was a request. */
gboolean gst_realtime_responses_failed (GstRealtimeResponses * responses,
    const gchar * event_id, gboolean busy);

/* The in-band response in progress, or NULL. */
const gchar *gst_realtime_responses_get_active (GstRealtimeResponses *
    responses);
/* Whether a response runs, is requested or is expected. */
gboolean gst_realtime_responses_pending (GstRealtimeResponses * responses);

G_END_DECLS

#endif /* __GST_REALTIME_RESPONSES_H__ */
