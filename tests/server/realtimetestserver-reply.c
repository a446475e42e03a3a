/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What one response says, built up front as a list of serialised frames
 * (see realtimetestserver-response.c for how they go out). A response is
 * messages (see realtimetestserver-message.c) or, when the test asks for
 * them and a function tool exists, function calls. Out-of-band responses
 * never enter the conversation. Each frame records how much of the
 * output is out once it is sent, so that a cancelled response.done can
 * say what was produced. */

#include "realtimetestserver-private.h"

#include <string.h>

static void
frame_clear (Frame * frame)
{
  g_free (frame->json);
}

void
rts_response_job_free (ResponseJob * job)
{
  g_clear_pointer (&job->audio, g_bytes_unref);
  g_clear_pointer (&job->metadata, json_node_unref);
  g_clear_pointer (&job->outputs, g_ptr_array_unref);
  g_free (job->instructions);
  g_free (job->tool_name);
  g_free (job);
}

void
rts_response_free (Response * r)
{
  if (r->timeout) {
    g_source_destroy (r->timeout);
    g_source_unref (r->timeout);
  }
  g_array_unref (r->frames);
  g_ptr_array_unref (r->messages);
  g_ptr_array_unref (r->calls);
  rts_response_job_free (r->job);
  g_free (r->id);
  g_free (r);
}

/* Appends @event, with the state of the output so far, and returns its
 * frame (valid until the next one is added). */
Frame *
rts_response_add (Response * r, JsonObject * event, gboolean is_delta)
{
  Message *m = r->building;
  Frame frame = { rts_object_to_json (event), is_delta, is_delta,
    r->built_us, m ? (gint) m->output_index : -1, m ? m->built_text : -1,
    0, r->built_calls
  };

  /* the SLOW fault also waits before the response starts */
  frame.delay |= r->frames->len == 0;
  g_array_append_val (r->frames, frame);
  json_object_unref (event);
  return &g_array_index (r->frames, Frame, r->frames->len - 1);
}

/* ------------------------------------------------------------------ */
/* the response object */

static JsonObject *
usage_details (gint64 text, gint64 audio)
{
  JsonObject *details = json_object_new ();

  json_object_set_int_member (details, "text_tokens", text);
  json_object_set_int_member (details, "audio_tokens", audio);
  return details;
}

/* Deterministic: 10 input tokens per user turn so far (the earlier ones
 * cached), @out output tokens (one per word sent, 10 per function
 * call). */
static JsonObject *
usage_object (Response * r, gint64 out)
{
  JsonObject *usage = json_object_new ();
  guint turn = r->job->turn;
  gint64 in = 10 * turn;
  gboolean audio_in = r->job->audio != NULL;
  gboolean audio_out = r->messages->len > 0 && !r->job->text_only;
  JsonObject *in_details = usage_details (audio_in ? 0 : in,
      audio_in ? in : 0);

  json_object_set_int_member (in_details, "cached_tokens",
      turn > 0 ? 10 * (turn - 1) : 0);
  json_object_set_int_member (in_details, "image_tokens", 0);
  json_object_set_int_member (usage, "total_tokens", in + out);
  json_object_set_int_member (usage, "input_tokens", in);
  json_object_set_int_member (usage, "output_tokens", out);
  json_object_set_object_member (usage, "input_token_details", in_details);
  json_object_set_object_member (usage, "output_token_details",
      usage_details (audio_out ? 0 : out, audio_out ? out : 0));
  r->usage_total = in + out;
  return usage;
}

static void
set_output_audio (Response * r, JsonObject * response)
{
  Connection *c = r->c;
  JsonObject *audio, *output;
  JsonObject *voice_holder = c->beta ? c->session :
      rts_member_object (rts_member_object (c->session, "audio"), "output");
  JsonNode *voice = voice_holder ?
      json_object_get_member (voice_holder, "voice") : NULL;

  if (c->beta) {
    if (voice)
      json_object_set_member (response, "voice", json_node_copy (voice));
    json_object_set_string_member (response, "output_audio_format",
        rts_beta_format_name (&c->cfg.out_fmt));
    return;
  }
  audio = json_object_new ();
  output = json_object_new ();
  json_object_set_object_member (output, "format",
      rts_format_object (&c->cfg.out_fmt));
  if (voice)
    json_object_set_member (output, "voice", json_node_copy (voice));
  json_object_set_object_member (audio, "output", output);
  json_object_set_object_member (response, "audio", audio);
}

static void
set_modalities (Response * r, JsonObject * response)
{
  JsonArray *modalities = rts_string_array (r->job->text_only ? "text" :
      "audio");

  if (r->c->beta && !r->job->text_only)
    json_array_add_string_element (modalities, "text");
  json_object_set_array_member (response, r->c->beta ? "modalities" :
      "output_modalities", modalities);
}

/* The response object of response.created (@output and @usage NULL) and
 * of response.done. */
static JsonObject *
response_object (Response * r, const gchar * status, const gchar * reason,
    JsonArray * output, JsonObject * usage)
{
  JsonObject *response = json_object_new ();

  json_object_set_string_member (response, "object", "realtime.response");
  json_object_set_string_member (response, "id", r->id);
  json_object_set_string_member (response, "status", status);
  if (reason) {
    JsonObject *details = json_object_new ();

    json_object_set_string_member (details, "type", status);
    json_object_set_string_member (details, "reason", reason);
    json_object_set_object_member (response, "status_details", details);
  }
  json_object_set_array_member (response, "output",
      output ? output : json_array_new ());
  rts_set_string_or_null (response, "conversation_id",
      r->job->out_of_band ? NULL : r->c->conversation_id);
  set_modalities (r, response);
  json_object_set_string_member (response, "max_output_tokens", "inf");
  set_output_audio (r, response);
  if (r->job->metadata)
    json_object_set_member (response, "metadata",
        json_node_copy (r->job->metadata));
  else
    json_object_set_null_member (response, "metadata");
  if (usage)
    json_object_set_object_member (response, "usage", usage);
  return response;
}

static JsonObject *
response_created_event (Response * r)
{
  JsonObject *event = rts_new_event (r->c, "response.created");

  json_object_set_object_member (event, "response",
      response_object (r, "in_progress", NULL, NULL, NULL));
  return event;
}

/* How much of message @index's text the first @n_sent frames put out,
 * or -1 if they did not begin it. */
static gssize
message_text_sent (Response * r, guint index, guint n_sent)
{
  gssize sent = -1;
  guint i;

  for (i = 0; i < n_sent; i++) {
    const Frame *frame = &g_array_index (r->frames, Frame, i);

    if (frame->message == (gint) index)
      sent = frame->text_upto;
  }
  return sent;
}

/* response.done with the output of the first @n_sent frames: a cancelled
 * response lists what it had produced. */
JsonObject *
rts_response_done_event (Response * r, const gchar * status,
    const gchar * reason, guint n_sent)
{
  JsonObject *event = rts_new_event (r->c, "response.done");
  JsonArray *output = json_array_new ();
  guint calls = n_sent ?
      g_array_index (r->frames, Frame, n_sent - 1).calls_done : 0;
  gint64 words = 0;
  gssize sent;
  guint i;

  for (i = 0; i < r->messages->len; i++) {
    Message *m = g_ptr_array_index (r->messages, i);

    if ((sent = message_text_sent (r, i, n_sent)) < 0)
      continue;
    words += rts_count_words (m->text, sent);
    json_array_add_object_element (output, rts_message_item (r, m,
            reason ? "incomplete" : "completed", sent));
  }
  for (i = 0; i < calls; i++)
    json_array_add_object_element (output,
        json_object_ref (g_ptr_array_index (r->calls, i)));
  json_object_set_object_member (event, "response",
      response_object (r, status, reason, output,
          usage_object (r, words + 10 * calls)));
  return event;
}

static JsonObject *
rate_limit (const gchar * name, gint64 limit, gint64 remaining,
    gdouble reset_seconds)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "name", name);
  json_object_set_int_member (object, "limit", limit);
  json_object_set_int_member (object, "remaining", remaining);
  json_object_set_double_member (object, "reset_seconds", reset_seconds);
  return object;
}

/* One request per response; tokens as the finished responses used them. */
static JsonObject *
rate_limits_event (Connection * c)
{
  JsonObject *event = rts_new_event (c, "rate_limits.updated");
  JsonArray *limits = json_array_new ();

  json_array_add_object_element (limits, rate_limit ("requests", 1000,
          999 - (gint64) c->n_responses, 60));
  json_array_add_object_element (limits, rate_limit ("tokens", 50000,
          50000 - c->tokens_used, 1.5));
  json_object_set_array_member (event, "rate_limits", limits);
  return event;
}

/* An event about output item @output_index of @r. */
JsonObject *
rts_output_event (Response * r, const gchar * type, guint output_index)
{
  JsonObject *event = rts_new_event (r->c, type);

  json_object_set_string_member (event, "response_id", r->id);
  json_object_set_int_member (event, "output_index", output_index);
  return event;
}

JsonObject *
rts_output_item_event (Response * r, const gchar * type, JsonObject * item,
    guint output_index)
{
  JsonObject *event = rts_output_event (r, type, output_index);

  json_object_set_object_member (event, "item", item);
  return event;
}

/* An item of an in-band response enters the conversation as it starts
 * (@added) and again once it is final. */
void
rts_add_conversation_item (Response * r, JsonObject * item, gboolean added)
{
  Connection *c = r->c;
  gchar *id = g_strdup (rts_member_string (item, "id"));

  if (r->job->out_of_band || (c->beta && !added)) {
    json_object_unref (item);
  } else if (!added) {
    rts_response_add (r, rts_item_event (c, "conversation.item.done", item,
            NULL), FALSE);
  } else {
    rts_response_add (r, rts_item_event (c, "conversation.item.added", item,
            c->last_item_id), FALSE);
    /* known to truncate from now on; its audio counts as it goes out */
    rts_conversation_note_item (c, id, 0);
    g_free (c->last_item_id);
    c->last_item_id = g_steal_pointer (&id);
  }
  g_free (id);
}

/* What the reply says shows what reached the server: the function
 * outputs it answers, or the instructions override. */
gchar *
rts_reply_text (ResponseJob * job)
{
  GString *text;
  guint i;

  if (job->outputs) {
    text = g_string_new ("Done: ");
    for (i = 0; i < job->outputs->len; i++)
      g_string_append_printf (text, "%s%s", i ? " | " : "",
          (const gchar *) g_ptr_array_index (job->outputs, i));
    return g_string_free (text, FALSE);
  }
  if (job->out_of_band)
    return g_strdup ("Out-of-band reply.");
  if (job->instructions)
    return g_strdup_printf ("Reply to turn %u: %s", job->turn,
        job->instructions);
  return g_strdup_printf ("Reply to turn %u.", job->turn);
}

/* ------------------------------------------------------------------ */
/* function calls */

/* A copy of the flat @item with another status and arguments. */
static JsonObject *
call_item (JsonObject * item, const gchar * status, const gchar * arguments)
{
  JsonObject *copy = json_object_new ();
  GList *members = json_object_get_members (item);
  GList *l;

  for (l = members; l; l = l->next)
    json_object_set_member (copy, l->data,
        json_node_copy (json_object_get_member (item, l->data)));
  g_list_free (members);
  json_object_set_string_member (copy, "status", status);
  json_object_set_string_member (copy, "arguments", arguments);
  return copy;
}

static JsonObject *
new_call_item (Response * r, guint k)
{
  JsonObject *item = json_object_new ();
  gchar *id = rts_new_id (r->c->server, "item");
  gchar *call_id = g_strdup_printf ("call_%u_%u", r->job->turn, k);
  gchar *arguments = g_strdup_printf ("{\"title\":\"Turn %u\","
      "\"start_time\":\"2026-11-21T10:00:00Z\",\"duration\":30,"
      "\"call\":%u}", r->job->turn, k);

  json_object_set_string_member (item, "id", id);
  json_object_set_string_member (item, "object", "realtime.item");
  json_object_set_string_member (item, "type", "function_call");
  json_object_set_string_member (item, "status", "completed");
  json_object_set_string_member (item, "call_id", call_id);
  json_object_set_string_member (item, "name", r->job->tool_name);
  json_object_set_string_member (item, "arguments", arguments);
  g_free (arguments);
  g_free (call_id);
  g_free (id);
  return item;
}

static JsonObject *
arguments_event (Response * r, const gchar * type, JsonObject * item,
    guint output_index)
{
  JsonObject *event = rts_output_event (r, type, output_index);

  json_object_set_string_member (event, "item_id", rts_member_string (item,
          "id"));
  json_object_set_string_member (event, "call_id", rts_member_string (item,
          "call_id"));
  return event;
}

/* The arguments in pieces that end at each comma. */
static void
add_argument_deltas (Response * r, JsonObject * item, guint output_index)
{
  const gchar *arguments = rts_member_string (item, "arguments");
  const gchar *start = arguments, *comma;
  JsonObject *event;
  gchar *piece;

  while (*start) {
    comma = strchr (start, ',');
    piece = comma ? g_strndup (start, comma + 1 - start) : g_strdup (start);
    event = arguments_event (r, "response.function_call_arguments.delta",
        item, output_index);
    json_object_set_string_member (event, "delta", piece);
    rts_response_add (r, event, TRUE);
    start += strlen (piece);
    g_free (piece);
  }
}

static void
build_call (Response * r, guint k)
{
  JsonObject *item = new_call_item (r, k);
  JsonObject *done;

  rts_response_add (r, rts_output_item_event (r, "response.output_item.added",
          call_item (item, "in_progress", ""), k - 1), FALSE);
  rts_add_conversation_item (r, call_item (item, "in_progress", ""), TRUE);
  add_argument_deltas (r, item, k - 1);
  done = arguments_event (r, "response.function_call_arguments.done", item,
      k - 1);
  json_object_set_string_member (done, "name", r->job->tool_name);
  json_object_set_string_member (done, "arguments",
      rts_member_string (item, "arguments"));
  rts_response_add (r, done, FALSE);
  g_ptr_array_add (r->calls, item);
  r->built_calls = k;
  rts_response_add (r, rts_output_item_event (r, "response.output_item.done",
          json_object_ref (item), k - 1), FALSE);
  rts_add_conversation_item (r, json_object_ref (item), FALSE);
}

/* ------------------------------------------------------------------ */

Response *
rts_response_build (Connection * c, ResponseJob * job)
{
  Response *r = g_new0 (Response, 1);
  guint n_calls = g_atomic_int_get (&c->server->function_calls), k;

  r->c = c;
  r->job = job;
  r->id = rts_new_id (c->server, "resp");
  r->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rts_message_free);
  r->calls = g_ptr_array_new_with_free_func ((GDestroyNotify)
      json_object_unref);
  r->frames = g_array_new (FALSE, TRUE, sizeof (Frame));
  g_array_set_clear_func (r->frames, (GDestroyNotify) frame_clear);

  rts_response_add (r, response_created_event (r), FALSE);
  rts_response_add (r, rate_limits_event (c), FALSE);
  c->n_responses++;
  if (job->tool_name) {
    for (k = 1; k <= n_calls; k++)
      build_call (r, k);
  } else {
    rts_build_messages (r);
    /* a reply to what the user said calls the remote tool */
    if (!job->out_of_band && !job->outputs && rts_mcp_server_label (c))
      rts_build_mcp_call (r, rts_mcp_server_label (c));
  }
  rts_response_add (r, rts_response_done_event (r, "completed", NULL,
          r->frames->len), FALSE);
  return r;
}
