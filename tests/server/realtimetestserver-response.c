/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Running responses, as the real server arbitrates them: one in-band
 * response at a time writes to the conversation (VAD turns that end
 * meanwhile wait for it; a response.create gets
 * conversation_already_has_active_response), while out-of-band ones
 * (conversation "none") run beside it. Each response is "pumped" out:
 * all at once, or frame by frame on timeouts (the SLOW fault, the
 * response delay, realtime replies), so that it stays cancellable and
 * never blocks the thread. */

#include "realtimetestserver-private.h"

static void response_pump (Response * r);

/* ------------------------------------------------------------------ */
/* what a response answers */

static gboolean
params_out_of_band (JsonObject * params)
{
  return g_strcmp0 (rts_member_string (params, "conversation"), "none") == 0;
}

/* @params' member @name if it has one, else the session's. */
static JsonNode *
param_or_session (Connection * c, JsonObject * params, const gchar * name)
{
  if (params && json_object_has_member (params, name))
    return json_object_get_member (params, name);
  return json_object_get_member (c->session, name);
}

/* The function tool named @wanted, or the first one if @wanted is NULL. */
static const gchar *
find_function (JsonNode * tools, const gchar * wanted)
{
  JsonArray *array;
  guint i;

  if (tools == NULL || !JSON_NODE_HOLDS_ARRAY (tools))
    return NULL;
  array = json_node_get_array (tools);
  for (i = 0; i < json_array_get_length (array); i++) {
    JsonNode *node = json_array_get_element (array, i);
    JsonObject *tool = JSON_NODE_HOLDS_OBJECT (node) ?
        json_node_get_object (node) : NULL;
    const gchar *name = rts_member_string (tool, "name");

    if (g_strcmp0 (rts_member_string (tool, "type"), "function") == 0
        && name && (wanted == NULL || g_str_equal (name, wanted)))
      return name;
  }
  return NULL;
}

/* What tool_choice allows: the first function tool ("auto", "required"),
 * a named one (a name, or {type: function, name}), or none. */
static gchar *
function_to_call (Connection * c, JsonObject * params)
{
  JsonNode *tools = param_or_session (c, params, "tools");
  JsonNode *choice = param_or_session (c, params, "tool_choice");
  const gchar *wanted = NULL, *name;

  if (choice && JSON_NODE_HOLDS_OBJECT (choice))
    wanted = rts_member_string (json_node_get_object (choice), "name");
  else if (choice && json_node_get_value_type (choice) == G_TYPE_STRING)
    wanted = json_node_get_string (choice);
  if (g_strcmp0 (wanted, "none") == 0)
    return NULL;
  if (g_strcmp0 (wanted, "auto") == 0 || g_strcmp0 (wanted, "required") == 0)
    wanted = NULL;
  name = find_function (tools, wanted);
  return g_strdup (name ? name : find_function (tools, NULL));
}

/* An in-band response answers the function outputs received since the
 * last one, or else calls a function if the test asks for calls. */
static void
job_choose_answer (Connection * c, ResponseJob * job, JsonObject * params)
{
  if (job->out_of_band)
    return;
  if (c->function_outputs->len > 0) {
    job->outputs = c->function_outputs;
    c->function_outputs = g_ptr_array_new_with_free_func (g_free);
  } else if (g_atomic_int_get (&c->server->function_calls) > 0) {
    job->tool_name = function_to_call (c, params);
  }
}

/* A job for the latest user turn, with the response.create overrides
 * in @params (may be NULL). */
ResponseJob *
rts_response_job_new (Connection * c, JsonObject * params)
{
  ResponseJob *job = g_new0 (ResponseJob, 1);
  const gchar *modalities = c->beta ? "modalities" : "output_modalities";
  JsonNode *metadata = params ?
      json_object_get_member (params, "metadata") : NULL;
  const gchar *instructions;

  job->turn = c->turns;
  job->audio = c->last_turn_audio ? g_bytes_ref (c->last_turn_audio) : NULL;
  job->audio_rate = c->last_turn_rate;
  job->text_only = c->cfg.text_output;
  if (params && json_object_has_member (params, modalities))
    job->text_only = rts_modalities_are_text (params, modalities);
  job->out_of_band = params_out_of_band (params);
  job->metadata = metadata ? json_node_copy (metadata) : NULL;
  instructions = rts_member_string (params, "instructions");
  if (instructions && *instructions)
    job->instructions = g_strdup (instructions);
  job_choose_answer (c, job, params);
  return job;
}

/* ------------------------------------------------------------------ */
/* pumping */

static void
send_response_frame (Connection * c, const gchar * json)
{
  if (rts_has_fault (c->server, REALTIME_TEST_FAULT_MALFORMED_FRAMES))
    rts_send_malformed_frames (c);
  rts_send_text (c, json);
}

static gboolean
response_timeout_cb (gpointer user_data)
{
  Response *r = user_data;

  g_clear_pointer (&r->timeout, g_source_unref);
  r->waited = TRUE;
  response_pump (r);
  return G_SOURCE_REMOVE;
}

static void
response_schedule (Response * r, guint delay_ms)
{
  r->timeout = g_timeout_source_new (delay_ms);
  g_source_set_callback (r->timeout, response_timeout_cb, r, NULL);
  g_source_attach (r->timeout, r->c->server->context);
}

static void
start_next (Connection * c)
{
  if (c->response || g_queue_is_empty (&c->queued))
    return;
  c->response = rts_response_build (c, g_queue_pop_head (&c->queued));
  response_pump (c->response);
}

/* After response.done: late user transcripts of the turn go out, and the
 * next queued in-band response starts. */
static void
response_finish (Response * r)
{
  Connection *c = r->c;
  guint turn = r->job->turn;

  c->tokens_used += r->usage_total;
  if (r != c->response) {
    c->out_of_band = g_list_remove (c->out_of_band, r);
    rts_response_free (r);
    return;
  }
  g_clear_pointer (&c->response, rts_response_free);
  rts_flush_transcripts (c, turn);
  start_next (c);
}

/* How long realtime replies hold @frame back: until its time, counted
 * from response.created. */
static guint
pacing_wait_ms (Response * r, const Frame * frame)
{
  gint64 wait_us;

  if (!g_atomic_int_get (&r->c->server->realtime_replies) || r->next == 0)
    return 0;
  wait_us = r->started_us + frame->at_us - g_get_monotonic_time ();
  return wait_us > 0 ? (wait_us + 999) / 1000 : 0;
}

/* How long @frame must still wait: the SLOW fault's pause and the
 * response delay, once (`waited` says they are over), then pacing. */
static guint
frame_wait_ms (Response * r, const Frame * frame)
{
  RealtimeTestServer *server = r->c->server;
  guint ms = 0;

  if (!r->waited && frame->delay
      && rts_has_fault (server, REALTIME_TEST_FAULT_SLOW))
    ms += server->slow_ms;
  if (!r->waited && r->next == 0)
    ms += g_atomic_int_get (&server->response_delay_ms);
  return ms > 0 ? ms : pacing_wait_ms (r, frame);
}

/* Counts the audio of an in-band item as sent, for truncates. */
static void
note_sent (Response * r, const Frame * frame)
{
  Message *m;

  if (r->next == 0)
    r->started_us = g_get_monotonic_time ();
  if (frame->audio_us == 0 || r->job->out_of_band)
    return;
  m = g_ptr_array_index (r->messages, frame->message);
  rts_conversation_note_item (r->c, m->id, frame->audio_us);
}

/* Sends the response's frames until it is done or has to wait. */
static void
response_pump (Response * r)
{
  Connection *c = r->c;
  guint wait_ms;

  while (r->next < r->frames->len) {
    Frame *frame = &g_array_index (r->frames, Frame, r->next);

    if (!rts_connection_is_open (c))
      return;
    if ((wait_ms = frame_wait_ms (r, frame)) > 0) {
      response_schedule (r, wait_ms);
      return;
    }
    r->waited = FALSE;
    send_response_frame (c, frame->json);
    note_sent (r, frame);
    r->next++;
    if (frame->is_delta
        && rts_has_fault (c->server, REALTIME_TEST_FAULT_CLOSE_MID_RESPONSE)) {
      soup_websocket_connection_close (c->ws,
          SOUP_WEBSOCKET_CLOSE_SERVER_ERROR, "injected fault");
      return;
    }
  }
  response_finish (r);
}

void
rts_queue_response (Connection * c, ResponseJob * job)
{
  g_queue_push_tail (&c->queued, job);
  start_next (c);
}

static void
start_out_of_band (Connection * c, ResponseJob * job)
{
  Response *r = rts_response_build (c, job);

  c->out_of_band = g_list_append (c->out_of_band, r);
  response_pump (r);
}

void
rts_drop_queued_responses (Connection * c)
{
  g_queue_clear_full (&c->queued, (GDestroyNotify) rts_response_job_free);
}

/* Ends @r with a cancelled response.done listing what it had sent. */
void
rts_response_cancel (Response * r, const gchar * reason)
{
  Connection *c = r->c;
  JsonObject *done;
  gchar *json;

  if (r->timeout) {
    g_source_destroy (r->timeout);
    g_clear_pointer (&r->timeout, g_source_unref);
  }
  /* response.done never comes without its response.created */
  if (r->next == 0) {
    send_response_frame (c, g_array_index (r->frames, Frame, 0).json);
    r->next = 1;
  }
  done = rts_response_done_event (r, "cancelled", reason, r->next);
  json = rts_object_to_json (done);
  send_response_frame (c, json);
  g_free (json);
  json_object_unref (done);
  response_finish (r);
}

void
rts_responses_free (Connection * c)
{
  g_clear_pointer (&c->response, rts_response_free);
  g_list_free_full (g_steal_pointer (&c->out_of_band),
      (GDestroyNotify) rts_response_free);
  rts_drop_queued_responses (c);
}

/* ------------------------------------------------------------------ */
/* client events */

void
rts_handle_response_create (Connection * c, JsonObject * event,
    const gchar * event_id)
{
  JsonObject *params = rts_member_object (event, "response");
  ResponseJob *job;
  gchar *message;

  if (c->cfg.transcription_session) {
    rts_send_error (c, "invalid_request_error", "Responses are not "
        "supported in transcription sessions.", NULL, event_id);
    return;
  }
  if (c->response && !params_out_of_band (params)) {
    message = g_strdup_printf ("Conversation already has an active response "
        "in progress: %s. Wait until the response is finished before "
        "creating a new one.", c->response->id);
    rts_send_error (c, "conversation_already_has_active_response", message,
        NULL, event_id);
    g_free (message);
    return;
  }
  job = rts_response_job_new (c, params);
  if (job->out_of_band)
    start_out_of_band (c, job);
  else
    rts_queue_response (c, job);
}

/* response_id names the response to cancel; without it, the in-band one
 * (or else the oldest out-of-band one). */
static Response *
find_response (Connection * c, const gchar * id)
{
  GList *l;

  if (id == NULL)
    return c->response ? c->response :
        (c->out_of_band ? c->out_of_band->data : NULL);
  if (c->response && g_str_equal (c->response->id, id))
    return c->response;
  for (l = c->out_of_band; l; l = l->next)
    if (g_str_equal (((Response *) l->data)->id, id))
      return l->data;
  return NULL;
}

void
rts_handle_response_cancel (Connection * c, JsonObject * event,
    const gchar * event_id)
{
  Response *r = find_response (c, rts_member_string (event, "response_id"));

  if (r == NULL) {
    rts_send_error (c, "response_cancel_not_active", "Cancellation failed: "
        "no active response found.", NULL, event_id);
    return;
  }
  if (r == c->response)
    rts_drop_queued_responses (c);
  rts_response_cancel (r, "client_cancelled");
}
