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

#include <json-glib/json-glib.h>

#include "gstrealtimeresponses.h"

typedef struct
{
  gchar *overrides;
  gboolean follow_up;           /* goes on after function call outputs */
} Request;

#define MAX_FORGOTTEN 16

struct _GstRealtimeResponses
{
  GQueue queued;                /* Request *, in-band, not sent yet */
  Request *in_flight;           /* sent, not created nor failed */
  gchar *in_flight_id;          /* its event_id */
  gchar *active;                /* in-band response in progress */
  gboolean server_expected;
  GHashTable *out_of_band;      /* tags of requests not created yet */
  GHashTable *out_of_band_running;      /* their response ids */
  GHashTable *forgotten;        /* tags of requests reset while in flight */
};

static Request *
request_new (const gchar * overrides)
{
  Request *request = g_new0 (Request, 1);

  request->overrides = g_strdup (overrides);
  return request;
}

static void
request_free (Request * request)
{
  if (!request)
    return;
  g_free (request->overrides);
  g_free (request);
}

GstRealtimeResponses *
gst_realtime_responses_new (void)
{
  GstRealtimeResponses *responses = g_new0 (GstRealtimeResponses, 1);

  responses->out_of_band = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  responses->out_of_band_running = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, NULL);
  responses->forgotten = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  return responses;
}

void
gst_realtime_responses_free (GstRealtimeResponses * responses)
{
  if (!responses)
    return;
  gst_realtime_responses_reset (responses);
  g_hash_table_unref (responses->out_of_band);
  g_hash_table_unref (responses->out_of_band_running);
  g_hash_table_unref (responses->forgotten);
  g_free (responses);
}

void
gst_realtime_responses_reset (GstRealtimeResponses * responses)
{
  g_queue_clear_full (&responses->queued, (GDestroyNotify) request_free);
  g_clear_pointer (&responses->in_flight, request_free);
  /* a few are enough: a forgotten request is answered soon, or never */
  if (g_hash_table_size (responses->forgotten) >= MAX_FORGOTTEN)
    g_hash_table_remove_all (responses->forgotten);
  if (responses->in_flight_id)
    g_hash_table_add (responses->forgotten, responses->in_flight_id);
  responses->in_flight_id = NULL;
  g_clear_pointer (&responses->active, g_free);
  responses->server_expected = FALSE;
  g_hash_table_remove_all (responses->out_of_band);
  g_hash_table_remove_all (responses->out_of_band_running);
}

void
gst_realtime_responses_queue (GstRealtimeResponses * responses,
    const gchar * overrides)
{
  g_queue_push_tail (&responses->queued, request_new (overrides));
}

static gint
find_follow_up (gconstpointer request, gconstpointer unused)
{
  return ((const Request *) request)->follow_up ? 0 : 1;
}

/* One queued follow-up answers all the outputs given before it is sent:
 * a second one would find no outputs left and start a new turn. */
void
gst_realtime_responses_queue_follow_up (GstRealtimeResponses * responses)
{
  Request *request;

  if (g_queue_find_custom (&responses->queued, NULL, find_follow_up))
    return;
  request = request_new (NULL);
  request->follow_up = TRUE;
  g_queue_push_tail (&responses->queued, request);
}

gboolean
gst_realtime_responses_take_ready (GstRealtimeResponses * responses,
    const gchar * event_id, gchar ** overrides)
{
  if (responses->in_flight || responses->active
      || responses->server_expected || g_queue_is_empty (&responses->queued))
    return FALSE;

  responses->in_flight = g_queue_pop_head (&responses->queued);
  responses->in_flight_id = g_strdup (event_id);
  *overrides = g_strdup (responses->in_flight->overrides);
  return TRUE;
}

void
gst_realtime_responses_expect_server (GstRealtimeResponses * responses,
    gboolean expect)
{
  responses->server_expected = expect;
}

void
gst_realtime_responses_add_out_of_band (GstRealtimeResponses * responses,
    const gchar * event_id)
{
  g_hash_table_add (responses->out_of_band, g_strdup (event_id));
}

static gchar *
find_tag (const gchar * metadata)
{
  JsonNode *node;
  JsonObject *object;
  gchar *tag = NULL;

  if (!metadata || !(node = json_from_string (metadata, NULL)))
    return NULL;
  object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  if (object && json_object_has_member (object, GST_REALTIME_REQUEST_TAG))
    tag = g_strdup (json_object_get_string_member_with_default (object,
            GST_REALTIME_REQUEST_TAG, NULL));
  json_node_unref (node);
  return tag;
}

/* Which request a response answers: the tag says, for servers that echo
 * metadata; others get the server's own response counted first. */
static void
settle_in_band (GstRealtimeResponses * responses, const gchar * tag)
{
  gboolean ours = tag ? g_strcmp0 (tag, responses->in_flight_id) == 0 :
      !responses->server_expected;

  if (ours) {
    g_clear_pointer (&responses->in_flight, request_free);
    g_clear_pointer (&responses->in_flight_id, g_free);
  } else {
    responses->server_expected = FALSE;
  }
}

/* A response to a request of ours that was forgotten since (a flush):
 * nothing waits for it any more. */
gboolean
gst_realtime_responses_is_stale (GstRealtimeResponses * responses,
    const gchar * metadata)
{
  gchar *tag = find_tag (metadata);
  gboolean stale = tag && g_hash_table_remove (responses->forgotten, tag);

  g_free (tag);
  return stale;
}

gboolean
gst_realtime_responses_created (GstRealtimeResponses * responses,
    const gchar * response_id, const gchar * metadata)
{
  gchar *tag = find_tag (metadata);
  gboolean out_of_band = tag && g_hash_table_remove (responses->out_of_band,
      tag);

  if (out_of_band) {
    g_hash_table_add (responses->out_of_band_running, g_strdup (response_id));
  } else {
    settle_in_band (responses, tag);
    g_free (responses->active);
    responses->active = g_strdup (response_id);
  }
  g_free (tag);
  return !out_of_band;
}

void
gst_realtime_responses_done (GstRealtimeResponses * responses,
    const gchar * response_id)
{
  if (g_strcmp0 (response_id, responses->active) == 0)
    g_clear_pointer (&responses->active, g_free);
  else if (response_id)
    g_hash_table_remove (responses->out_of_band_running, response_id);
}

gboolean
gst_realtime_responses_failed (GstRealtimeResponses * responses,
    const gchar * event_id, gboolean busy)
{
  if (event_id && g_hash_table_remove (responses->out_of_band, event_id))
    return TRUE;
  if (!event_id || g_strcmp0 (event_id, responses->in_flight_id) != 0)
    return FALSE;

  if (busy) {
    /* the active response holds the conversation (a stale one, created
     * while this request was on its way), or else one we have not seen
     * created yet */
    g_queue_push_head (&responses->queued, responses->in_flight);
    responses->server_expected = responses->active == NULL;
  } else
    request_free (responses->in_flight);
  responses->in_flight = NULL;
  g_clear_pointer (&responses->in_flight_id, g_free);
  return TRUE;
}

const gchar *
gst_realtime_responses_get_active (GstRealtimeResponses * responses)
{
  return responses->active;
}

gboolean
gst_realtime_responses_pending (GstRealtimeResponses * responses)
{
  return responses->in_flight || responses->active
      || responses->server_expected || !g_queue_is_empty (&responses->queued)
      || g_hash_table_size (responses->out_of_band) > 0
      || g_hash_table_size (responses->out_of_band_running) > 0;
}
