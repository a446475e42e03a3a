/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The conversation core on its own: scripted server events and requests
 * in, the actions and the text out. No element, socket, thread or sleep;
 * GLib only, as the core. */

#include <string.h>

#include "gstrealtimecarryover.h"
#include "gstrealtimecore.h"
#include "gstrealtimeresponses.h"
#include "gstrealtimewarnlimit.h"

#define MS G_GUINT64_CONSTANT (1000000)
#define RATE 24000
#define TAG_PREFIX "{\"" GST_REALTIME_REQUEST_TAG "\":\""

/* A piece of text the turns released. */
typedef struct
{
  GstRealtimeTextRole role;
  gchar *text;
  GstRealtimeTime pts;
  GstRealtimeTime end;
} Text;

typedef struct
{
  GstRealtimeSessionConfig config;
  GstRealtimeTimeline *timeline;
  GstRealtimeTurns *turns;
  GstRealtimeCore *core;
  GPtrArray *texts;             /* Text */
  GPtrArray *sent;              /* the client events, JSON */
  GPtrArray *actions;           /* the other actions, described */
  gint64 now_us;
} Fixture;

static void
text_free (Text * text)
{
  g_free (text->text);
  g_free (text);
}

/* Each character takes 10 ms to say. */
static GstRealtimeTime
record_text (GstRealtimeTextRole role, const gchar * text,
    const GstRealtimeSegment * segment, const gchar * item_id,
    const gchar * response_id, GstRealtimeTime pts, gpointer user_data)
{
  Fixture *f = user_data;
  Text *t = g_new0 (Text, 1);

  t->role = role;
  t->text = g_strdup (text);
  t->pts = pts;
  t->end = pts + strlen (text) * 10 * MS;
  g_ptr_array_add (f->texts, t);
  return t->end;
}

/* A conversation with the server's VAD answering every turn, live. */
static Fixture *
fixture_new (GstRealtimeTurnDetection vad, gboolean live)
{
  Fixture *f = g_new0 (Fixture, 1);

  gst_realtime_session_config_init (&f->config);
  f->config.dialect = GST_REALTIME_PROTOCOL_GA;
  f->config.session_type = GST_REALTIME_SESSION_TYPE_REALTIME;
  f->config.turn_detection.type = vad;
  f->config.turn_detection.create_response = TRUE;
  f->config.turn_detection.interrupt_response = TRUE;
  f->timeline = gst_realtime_timeline_new (RATE);
  f->turns = gst_realtime_turns_new (record_text, f);
  gst_realtime_turns_set_text_output (f->turns, TRUE, TRUE);
  gst_realtime_turns_expect_transcripts (f->turns, TRUE);
  f->core = gst_realtime_core_new (f->turns, f->timeline, &f->config);
  gst_realtime_core_set_input (f->core, live, FALSE);
  f->texts = g_ptr_array_new_with_free_func ((GDestroyNotify) text_free);
  f->sent = g_ptr_array_new_with_free_func (g_free);
  f->actions = g_ptr_array_new_with_free_func (g_free);
  f->now_us = 1000 * G_USEC_PER_SEC;
  return f;
}

/* A file: the element asks for each reply, the server only detects. */
static Fixture *
file_fixture_new (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, FALSE);

  g_assert_true (gst_realtime_core_choose_file_mode (f->core, FALSE,
          &f->config));
  return f;
}

static void
fixture_free (Fixture * f)
{
  gst_realtime_core_free (f->core);
  g_ptr_array_unref (f->texts);
  g_ptr_array_unref (f->sent);
  g_ptr_array_unref (f->actions);
  g_free (f);
}

static const gchar *problem_names[] = { "response-failed", "server-error",
  "mcp-failed", "key-refused", "authentication", "beta-disabled",
  "session-config"
};

static const gchar *notice_names[] = { "transcript", "response-done",
  "server-error", "function-call", "dtmf", "rate-limits", "mcp"
};

static gchar *
describe (const GstRealtimeAction * action)
{
  switch (action->type) {
    case GST_REALTIME_ACTION_NOTICE:
      if (action->notice == GST_REALTIME_NOTICE_TRANSCRIPT)
        return g_strdup_printf ("notice transcript %s%s",
            action->role == GST_REALTIME_TEXT_USER ? "user" : "assistant",
            action->final ? " final" : "");
      return g_strdup_printf ("notice %s", notice_names[action->notice]);
    case GST_REALTIME_ACTION_WARN:
      return g_strdup_printf ("warn %s", problem_names[action->problem]);
    case GST_REALTIME_ACTION_FAIL:
      return g_strdup_printf ("fail %s", problem_names[action->problem]);
    case GST_REALTIME_ACTION_EXPIRED:
      return g_strdup ("expired");
    case GST_REALTIME_ACTION_BARGE_IN:
      return g_strdup ("barge-in");
    case GST_REALTIME_ACTION_ADVANCE:
      return g_strdup_printf ("advance %" G_GUINT64_FORMAT,
          action->position / MS);
    case GST_REALTIME_ACTION_REPORT_HELD_BACK:
      return g_strdup_printf ("held back %u", action->count);
    case GST_REALTIME_ACTION_REPORT_LATER:
      return g_strdup_printf ("report in %u", action->delay_ms);
    default:
      g_assert_not_reached ();
  }
}

/* Takes the core's actions: client events into sent, the rest into
 * actions. */
static void
collect (Fixture * f)
{
  GstRealtimeAction *action;

  while ((action = gst_realtime_core_poll_action (f->core))) {
    if (action->type == GST_REALTIME_ACTION_SEND)
      g_ptr_array_add (f->sent, g_steal_pointer (&action->event));
    else
      g_ptr_array_add (f->actions, describe (action));
    gst_realtime_action_free (action);
  }
}

static void
clear (Fixture * f)
{
  g_ptr_array_set_size (f->sent, 0);
  g_ptr_array_set_size (f->actions, 0);
}

/* Samples of input for @ms, starting at @pts (NONE: continuing). */
static void
append_audio (Fixture * f, GstRealtimeTime pts, guint ms)
{
  gst_realtime_timeline_append (f->timeline, pts, (guint64) ms * RATE / 1000);
}

static GstRealtimeServerEvent *
event_new (GstRealtimeEventType type)
{
  GstRealtimeServerEvent *event = g_new0 (GstRealtimeServerEvent, 1);

  event->type = type;
  event->type_name = g_strdup ("scripted");
  event->output_index = event->content_index = -1;
  event->audio_start_ms = event->audio_end_ms = -1;
  event->expires_at = -1;
  return event;
}

static void
handle (Fixture * f, GstRealtimeServerEvent * event)
{
  gst_realtime_core_handle_event (f->core, event, f->now_us);
  gst_realtime_server_event_free (event);
  collect (f);
}

static void
speech (Fixture * f, GstRealtimeEventType type, const gchar * item_id,
    gint64 ms)
{
  GstRealtimeServerEvent *event = event_new (type);

  event->item_id = g_strdup (item_id);
  if (type == GST_REALTIME_EVENT_SPEECH_STARTED)
    event->audio_start_ms = ms;
  else
    event->audio_end_ms = ms;
  handle (f, event);
}

static void
committed (Fixture * f, const gchar * item_id)
{
  GstRealtimeServerEvent *event = event_new
      (GST_REALTIME_EVENT_INPUT_COMMITTED);

  event->item_id = g_strdup (item_id);
  handle (f, event);
}

/* @tag: the request's event id, or NULL for one the server started. */
static void
response_created (Fixture * f, const gchar * response_id, const gchar * tag)
{
  GstRealtimeServerEvent *event =
      event_new (GST_REALTIME_EVENT_RESPONSE_CREATED);

  event->response_id = g_strdup (response_id);
  if (tag)
    event->metadata = g_strconcat (TAG_PREFIX, tag, "\"}", NULL);
  handle (f, event);
}

static void
response_done (Fixture * f, const gchar * response_id, const gchar * status)
{
  GstRealtimeServerEvent *event = event_new (GST_REALTIME_EVENT_RESPONSE_DONE);

  event->response_id = g_strdup (response_id);
  event->status = g_strdup (status);
  handle (f, event);
}

static void
reply_text (Fixture * f, const gchar * response_id, const gchar * text)
{
  GstRealtimeServerEvent *event =
      event_new (GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DELTA);

  event->response_id = g_strdup (response_id);
  event->text = g_strdup (text);
  handle (f, event);
}

static void
transcript (Fixture * f, const gchar * item_id, const gchar * text)
{
  GstRealtimeServerEvent *event =
      event_new (GST_REALTIME_EVENT_INPUT_TRANSCRIPT_COMPLETED);

  event->item_id = g_strdup (item_id);
  event->text = g_strdup (text);
  handle (f, event);
}

static void
function_call (Fixture * f, const gchar * response_id, const gchar * call_id)
{
  GstRealtimeServerEvent *event =
      event_new (GST_REALTIME_EVENT_FUNCTION_CALL_ARGUMENTS_DONE);

  event->response_id = g_strdup (response_id);
  event->call_id = g_strdup (call_id);
  event->name = g_strdup ("get_weather");
  event->arguments = g_strdup ("{}");
  handle (f, event);
}

static void
error (Fixture * f, const gchar * code, const gchar * message,
    const gchar * event_id)
{
  GstRealtimeServerEvent *event = event_new (GST_REALTIME_EVENT_ERROR);

  event->error_type = g_strdup ("invalid_request_error");
  event->error_code = g_strdup (code);
  event->error_message = g_strdup (message);
  event->error_event_id = g_strdup (event_id);
  handle (f, event);
}

/* Whether client event @index was sent and holds @needle. */
static gboolean
sent_has (Fixture * f, guint index, const gchar * needle)
{
  return index < f->sent->len
      && strstr (g_ptr_array_index (f->sent, index), needle) != NULL;
}

static void
assert_sent (Fixture * f, guint n, ...)
{
  va_list args;
  guint i;

  va_start (args, n);
  for (i = 0; i < n; i++) {
    const gchar *type = va_arg (args, const gchar *);
    gchar *needle = g_strdup_printf ("\"type\":\"%s\"", type);

    if (!sent_has (f, i, needle))
      g_error ("client event %u is not %s: %s", i, type,
          i < f->sent->len ? (gchar *) g_ptr_array_index (f->sent, i) :
          "(none)");
    g_free (needle);
  }
  va_end (args);
  g_assert_cmpuint (f->sent->len, ==, n);
}

static void
assert_actions (Fixture * f, const gchar * expected)
{
  GString *got = g_string_new (NULL);
  guint i;

  for (i = 0; i < f->actions->len; i++)
    g_string_append_printf (got, "%s%s", i ? ", " : "",
        (gchar *) g_ptr_array_index (f->actions, i));
  g_assert_cmpstr (got->str, ==, expected);
  g_string_free (got, TRUE);
}

/* The texts so far, as "role:text@ms" joined by spaces, line breaks
 * dropped. */
static void
assert_texts (Fixture * f, const gchar * expected)
{
  GString *got = g_string_new (NULL);
  guint i;

  for (i = 0; i < f->texts->len; i++) {
    Text *t = g_ptr_array_index (f->texts, i);
    gchar *text = g_strdup (t->text);

    g_strchomp (text);
    g_string_append_printf (got, "%s%s:%s@%" G_GUINT64_FORMAT, i ? " " : "",
        t->role == GST_REALTIME_TEXT_USER ? "u" : "a", text, t->pts / MS);
    g_free (text);
  }
  g_assert_cmpstr (got->str, ==, expected);
  g_string_free (got, TRUE);
}

/* The event id a response.create was sent with. */
static gchar *
request_id (Fixture * f, guint index)
{
  const gchar *event = g_ptr_array_index (f->sent, index);
  const gchar *start = strstr (event, "\"event_id\":\"");

  g_assert_nonnull (start);
  start += strlen ("\"event_id\":\"");
  return g_strndup (start, strchr (start, '"') - start);
}

/* ------------------------------------------------------------------ */
/* Turns and text order */

/* The reply's text comes before the user's transcript: it waits for it,
 * and both land on the turn's speech. */
static void
test_reply_waits_for_transcript (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);

  append_audio (f, 5000 * MS, 3000);
  speech (f, GST_REALTIME_EVENT_SPEECH_STARTED, "item_1", 500);
  speech (f, GST_REALTIME_EVENT_SPEECH_STOPPED, "item_1", 1500);
  committed (f, "item_1");
  response_created (f, "resp_1", NULL);
  reply_text (f, "resp_1", "Hi.");
  assert_texts (f, "");
  g_assert_true (gst_realtime_core_replies_pending (f->core));
  transcript (f, "item_1", "Hello.");
  /* the reply's last piece waits for its end, to end the line */
  assert_texts (f, "u:Hello.@5500");
  response_done (f, "resp_1", "completed");
  assert_texts (f, "u:Hello.@5500 a:Hi.@5570");
  g_assert_false (gst_realtime_core_replies_pending (f->core));
  /* the server replies by itself: nothing asked for */
  assert_sent (f, 0);
  assert_actions (f, "barge-in, notice transcript assistant, "
      "notice transcript user final, notice response-done");
  fixture_free (f);
}

/* A later turn's text waits for the earlier turn's. */
static void
test_turns_in_order (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);

  append_audio (f, 0, 6000);
  speech (f, GST_REALTIME_EVENT_SPEECH_STARTED, "item_1", 1000);
  speech (f, GST_REALTIME_EVENT_SPEECH_STOPPED, "item_1", 2000);
  committed (f, "item_1");
  response_created (f, "resp_1", NULL);
  reply_text (f, "resp_1", "One.");
  response_done (f, "resp_1", "completed");
  speech (f, GST_REALTIME_EVENT_SPEECH_STARTED, "item_2", 3000);
  speech (f, GST_REALTIME_EVENT_SPEECH_STOPPED, "item_2", 4000);
  committed (f, "item_2");
  transcript (f, "item_2", "Second?");
  response_created (f, "resp_2", NULL);
  reply_text (f, "resp_2", "Two.");
  response_done (f, "resp_2", "completed");
  assert_texts (f, "");
  transcript (f, "item_1", "First?");
  assert_texts (f, "u:First?@1000 a:One.@1070 u:Second?@3000 a:Two.@3080");
  fixture_free (f);
}

/* The idle timeout makes a turn of its own positions. */
static void
test_timeout_triggered_is_a_turn (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);
  GstRealtimeServerEvent *event;

  append_audio (f, 0, 6000);
  event = event_new (GST_REALTIME_EVENT_INPUT_TIMEOUT_TRIGGERED);
  event->item_id = g_strdup ("item_1");
  event->audio_start_ms = 2000;
  event->audio_end_ms = 5000;
  handle (f, event);
  committed (f, "item_1");
  transcript (f, "item_1", "");
  response_created (f, "resp_1", NULL);
  reply_text (f, "resp_1", "Still there?");
  response_done (f, "resp_1", "completed");
  assert_texts (f, "a:Still there?@2000");
  g_assert_cmpint (gst_realtime_core_get_committed_ms (f->core), ==, 5000);
  fixture_free (f);
}

/* ------------------------------------------------------------------ */
/* File mode: the element asks for each reply */

static void
test_file_mode_requests_each_reply (void)
{
  Fixture *f = file_fixture_new ();
  gchar *id;

  append_audio (f, 0, 6000);
  speech (f, GST_REALTIME_EVENT_SPEECH_STARTED, "item_1", 1000);
  speech (f, GST_REALTIME_EVENT_SPEECH_STOPPED, "item_1", 2000);
  /* the turn holds the input until its commit and reply */
  g_assert_true (gst_realtime_core_turn_pending (f->core));
  assert_sent (f, 0);
  committed (f, "item_1");
  assert_sent (f, 1, "response.create");
  g_assert_true (sent_has (f, 0, GST_REALTIME_REQUEST_TAG));
  id = request_id (f, 0);
  g_assert_true (sent_has (f, 0, id));

  response_created (f, "resp_1", id);
  g_assert_true (gst_realtime_core_turn_pending (f->core));
  transcript (f, "item_1", "Hello.");
  reply_text (f, "resp_1", "Hi.");
  response_done (f, "resp_1", "completed");
  g_assert_false (gst_realtime_core_turn_pending (f->core));
  assert_texts (f, "u:Hello.@1000 a:Hi.@1070");
  /* idle pads of a file move on to the end of the answered turn */
  assert_actions (f, "notice transcript user final, notice transcript "
      "assistant, notice response-done, advance 2000");
  g_free (id);
  fixture_free (f);
}

/* File mode is for file input in a conversation the server's VAD cuts
 * into turns; it turns the server's own replies off. */
static void
test_file_mode_choice (void)
{
  static const struct
  {
    GstRealtimeSessionType type;
    GstRealtimeTurnDetection vad;
    gboolean live;
    gboolean file_mode;
  } cases[] = {
    {GST_REALTIME_SESSION_TYPE_REALTIME, GST_REALTIME_TURN_DETECTION_SERVER_VAD,
        FALSE, TRUE},
    {GST_REALTIME_SESSION_TYPE_REALTIME,
        GST_REALTIME_TURN_DETECTION_SEMANTIC_VAD, FALSE, TRUE},
    {GST_REALTIME_SESSION_TYPE_REALTIME, GST_REALTIME_TURN_DETECTION_SERVER_VAD,
        TRUE, FALSE},
    {GST_REALTIME_SESSION_TYPE_REALTIME, GST_REALTIME_TURN_DETECTION_NONE,
        FALSE, FALSE},
    {GST_REALTIME_SESSION_TYPE_TRANSCRIPTION,
        GST_REALTIME_TURN_DETECTION_SERVER_VAD, FALSE, FALSE},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    Fixture *f = fixture_new (cases[i].vad, TRUE);

    f->config.session_type = cases[i].type;
    g_assert_cmpint (gst_realtime_core_choose_file_mode (f->core,
            cases[i].live, &f->config), ==, cases[i].file_mode);
    g_assert_cmpint (gst_realtime_core_in_file_mode (f->core), ==,
        cases[i].file_mode);
    g_assert_cmpint (f->config.turn_detection.create_response, ==,
        !cases[i].file_mode);
    g_assert_cmpint (f->config.turn_detection.interrupt_response, ==,
        !cases[i].file_mode);
    /* the latency query may say otherwise later: file mode stays */
    gst_realtime_core_set_live (f->core, TRUE);
    g_assert_cmpint (gst_realtime_core_in_file_mode (f->core), ==,
        cases[i].file_mode);
    fixture_free (f);
  }
}

/* A file goes at real time, half a second ahead, from where each reply
 * let it go on. */
static void
test_file_mode_pace (void)
{
  Fixture *f = file_fixture_new ();
  gint64 start = f->now_us;

  g_assert_cmpint (gst_realtime_core_pace (f->core, start), ==,
      start - G_USEC_PER_SEC / 2);
  append_audio (f, 0, 2000);
  /* the clock's now counts only at the first call */
  g_assert_cmpint (gst_realtime_core_pace (f->core, start + 5000), ==,
      start + 1500 * G_TIME_SPAN_MILLISECOND);
  /* a reply was awaited: pacing starts again from there */
  gst_realtime_core_restart_pace (f->core);
  append_audio (f, 2000 * MS, 1000);
  g_assert_cmpint (gst_realtime_core_pace (f->core, start + 9 *
          G_USEC_PER_SEC), ==, start + 9 * G_USEC_PER_SEC -
      G_USEC_PER_SEC / 2);
  append_audio (f, 3000 * MS, 1000);
  g_assert_cmpint (gst_realtime_core_pace (f->core, start + 20 *
          G_USEC_PER_SEC), ==, start + 9 * G_USEC_PER_SEC +
      G_USEC_PER_SEC / 2);
  /* a lost session restarts it too */
  gst_realtime_core_lose_session (f->core);
  g_assert_cmpint (gst_realtime_core_pace (f->core, start + 30 *
          G_USEC_PER_SEC), ==, start + 30 * G_USEC_PER_SEC -
      G_USEC_PER_SEC / 2);
  fixture_free (f);
}

/* Two turns committed before the first reply: the second request waits
 * for the first response.done instead of failing as busy. */
static void
test_file_mode_second_request_waits (void)
{
  Fixture *f = file_fixture_new ();
  gchar *first, *second;

  append_audio (f, 0, 6000);
  speech (f, GST_REALTIME_EVENT_SPEECH_STARTED, "item_1", 100);
  speech (f, GST_REALTIME_EVENT_SPEECH_STOPPED, "item_1", 1000);
  committed (f, "item_1");
  first = request_id (f, 0);
  response_created (f, "resp_1", first);
  speech (f, GST_REALTIME_EVENT_SPEECH_STARTED, "item_2", 2000);
  speech (f, GST_REALTIME_EVENT_SPEECH_STOPPED, "item_2", 3000);
  committed (f, "item_2");
  assert_sent (f, 1, "response.create");
  response_done (f, "resp_1", "completed");
  assert_sent (f, 2, "response.create", "response.create");
  second = request_id (f, 1);
  g_assert_cmpstr (first, !=, second);
  g_free (first);
  g_free (second);
  fixture_free (f);
}

/* A request the server refuses as busy goes again after the response
 * that held the conversation. */
static void
test_busy_request_is_retried (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_NONE, TRUE);
  gchar *id;

  gst_realtime_core_request_response (f->core, NULL);
  collect (f);
  id = request_id (f, 0);
  error (f, "conversation_already_has_active_response", "busy", id);
  assert_sent (f, 1, "response.create");
  assert_actions (f, "notice server-error");
  /* the response that held it, not seen yet, is the server's */
  response_created (f, "resp_other", NULL);
  assert_sent (f, 1, "response.create");
  response_done (f, "resp_other", "completed");
  assert_sent (f, 2, "response.create", "response.create");
  g_free (id);
  fixture_free (f);
}

/* A request that failed harmlessly makes way for the next one. */
static void
test_failed_request_makes_way (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);
  gchar *id;

  gst_realtime_core_request_response (f->core, NULL);
  gst_realtime_core_request_response (f->core, "{\"instructions\":\"B\"}");
  collect (f);
  assert_sent (f, 1, "response.create");
  id = request_id (f, 0);
  error (f, "input_audio_buffer_commit_empty", "empty", id);
  assert_actions (f, "notice server-error");
  assert_sent (f, 2, "response.create", "response.create");
  g_assert_true (sent_has (f, 1, "\"instructions\":\"B\""));
  g_free (id);
  fixture_free (f);
}

/* A response asked for before a flush is cancelled when it starts. */
static void
test_stale_response_is_cancelled (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_NONE, TRUE);
  gchar *id;

  gst_realtime_core_request_response (f->core, NULL);
  collect (f);
  id = request_id (f, 0);
  gst_realtime_core_forget (f->core);
  clear (f);
  response_created (f, "resp_1", id);
  assert_sent (f, 1, "response.cancel");
  g_assert_true (sent_has (f, 0, "resp_1"));
  g_free (id);
  fixture_free (f);
}

/* ------------------------------------------------------------------ */
/* Commits */

/* Push-to-talk: the app's commit ends the audio since the last one; a
 * reply only when asked for. */
static void
test_manual_commits (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_NONE, TRUE);

  append_audio (f, 0, 2000);
  gst_realtime_core_commit (f->core, FALSE);
  collect (f);
  assert_sent (f, 1, "input_audio_buffer.commit");
  g_assert_true (gst_realtime_core_replies_pending (f->core));
  committed (f, "item_1");
  assert_sent (f, 1, "input_audio_buffer.commit");
  g_assert_cmpint (gst_realtime_core_get_committed_ms (f->core), ==, 2000);
  /* the commit made a turn of the audio since the start */
  transcript (f, "item_1", "One.");
  assert_texts (f, "u:One.@0");

  append_audio (f, GST_REALTIME_TIME_NONE, 1000);
  gst_realtime_core_commit (f->core, TRUE);
  collect (f);
  committed (f, "item_2");
  assert_sent (f, 3, "input_audio_buffer.commit",
      "input_audio_buffer.commit", "response.create");
  g_assert_cmpint (gst_realtime_core_get_committed_ms (f->core), ==, 3000);

  /* a commit nobody made is the server's VAD's business: ignored */
  clear (f);
  committed (f, "item_3");
  assert_sent (f, 0);
  fixture_free (f);
}

/* EOS: under VAD only open speech is committed; without VAD all that is
 * not, if the server takes it (100 ms). */
static void
test_commit_rest (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);
  Fixture *g = fixture_new (GST_REALTIME_TURN_DETECTION_NONE, TRUE);

  append_audio (f, 0, 3000);
  gst_realtime_core_commit_rest (f->core);
  collect (f);
  assert_sent (f, 0);
  speech (f, GST_REALTIME_EVENT_SPEECH_STARTED, "item_1", 2500);
  gst_realtime_core_commit_rest (f->core);
  collect (f);
  assert_sent (f, 1, "input_audio_buffer.commit");

  append_audio (g, 0, 99);
  gst_realtime_core_commit_rest (g->core);
  collect (g);
  assert_sent (g, 0);
  append_audio (g, GST_REALTIME_TIME_NONE, 1);
  gst_realtime_core_commit_rest (g->core);
  collect (g);
  assert_sent (g, 1, "input_audio_buffer.commit");
  committed (g, "item_1");
  /* without VAD the rest wants its reply */
  assert_sent (g, 2, "input_audio_buffer.commit", "response.create");
  fixture_free (f);
  fixture_free (g);
}

/* Clearing drops the speech in progress and moves the commit point. */
static void
test_clear_input (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);

  append_audio (f, 0, 2000);
  speech (f, GST_REALTIME_EVENT_SPEECH_STARTED, "item_1", 500);
  gst_realtime_core_clear_input (f->core);
  collect (f);
  assert_sent (f, 1, "input_audio_buffer.clear");
  g_assert_cmpint (gst_realtime_core_get_committed_ms (f->core), ==, 2000);
  /* no speech open: what follows is silence at EOS */
  append_audio (f, GST_REALTIME_TIME_NONE, 500);
  gst_realtime_core_commit_rest (f->core);
  collect (f);
  assert_sent (f, 1, "input_audio_buffer.clear");
  fixture_free (f);
}

/* ------------------------------------------------------------------ */
/* The EOS drain */

static void
session_updated (Fixture * f)
{
  handle (f, event_new (GST_REALTIME_EVENT_SESSION_UPDATED));
}

/* Under VAD: a barrier first; once it is answered the server has heard
 * all the audio, and only speech it has not ended is committed. */
static void
test_drain_barrier_then_commit (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);

  append_audio (f, 0, 3000);
  speech (f, GST_REALTIME_EVENT_SPEECH_STARTED, "item_1", 2000);
  clear (f);
  gst_realtime_core_drain_start (f->core, FALSE, 1);
  g_assert_false (gst_realtime_core_drain_step (f->core, 1, TRUE, 1));
  collect (f);
  assert_sent (f, 1, "session.update");
  g_assert_true (sent_has (f, 0, "\"session\":{\"type\":\"realtime\"}"));
  /* nothing new until the barrier is answered */
  g_assert_false (gst_realtime_core_drain_step (f->core, 1, TRUE, 1));
  collect (f);
  assert_sent (f, 1, "session.update");
  session_updated (f);
  g_assert_true (gst_realtime_core_drain_step (f->core, 1, TRUE, 1));
  collect (f);
  assert_sent (f, 2, "session.update", "input_audio_buffer.commit");
  /* committed once */
  g_assert_true (gst_realtime_core_drain_step (f->core, 1, TRUE, 1));
  collect (f);
  assert_sent (f, 2, "session.update", "input_audio_buffer.commit");
  fixture_free (f);
}

/* A connection lost during the drain takes the barrier along: the next
 * one gets its own; nothing is sent while down. */
static void
test_drain_again_on_a_new_connection (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);

  append_audio (f, 0, 3000);
  gst_realtime_core_drain_start (f->core, FALSE, 1);
  g_assert_false (gst_realtime_core_drain_step (f->core, 1, TRUE, 1));
  g_assert_false (gst_realtime_core_drain_step (f->core, 2, FALSE, 1));
  collect (f);
  assert_sent (f, 1, "session.update");
  g_assert_false (gst_realtime_core_drain_step (f->core, 2, TRUE, 2));
  collect (f);
  assert_sent (f, 2, "session.update", "session.update");
  session_updated (f);
  /* no speech open: the rest is silence, not committed */
  g_assert_true (gst_realtime_core_drain_step (f->core, 2, TRUE, 2));
  collect (f);
  assert_sent (f, 2, "session.update", "session.update");
  fixture_free (f);
}

/* Without VAD, and after file mode settled its last turn, no barrier. */
static void
test_drain_without_barrier (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_NONE, TRUE);
  Fixture *g = file_fixture_new ();

  append_audio (f, 0, 3000);
  gst_realtime_core_drain_start (f->core, FALSE, 1);
  g_assert_true (gst_realtime_core_drain_step (f->core, 1, TRUE, 1));
  collect (f);
  assert_sent (f, 1, "input_audio_buffer.commit");

  append_audio (g, 0, 3000);
  speech (g, GST_REALTIME_EVENT_SPEECH_STARTED, "item_1", 2000);
  gst_realtime_core_drain_start (g->core, TRUE, 1);
  g_assert_true (gst_realtime_core_drain_step (g->core, 1, TRUE, 1));
  collect (g);
  assert_sent (g, 1, "input_audio_buffer.commit");
  fixture_free (f);
  fixture_free (g);
}

/* ------------------------------------------------------------------ */
/* Barge-in */

static void
test_barge_in_truncates_what_was_heard (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);

  append_audio (f, 0, 10000);
  gst_realtime_core_play_item (f->core, "item_a", 1000 * MS);
  gst_realtime_core_play_until (f->core, 4000 * MS);
  speech (f, GST_REALTIME_EVENT_SPEECH_STARTED, "item_1", 2000);
  assert_actions (f, "barge-in");
  g_assert_true (gst_realtime_core_barge_in (f->core, 2500 * MS));
  collect (f);
  assert_sent (f, 1, "conversation.item.truncate");
  g_assert_true (sent_has (f, 0, "\"item_id\":\"item_a\""));
  g_assert_true (sent_has (f, 0, "\"audio_end_ms\":1500"));
  /* once stopped, nothing is left to stop */
  g_assert_false (gst_realtime_core_barge_in (f->core, 2600 * MS));
  fixture_free (f);
}

/* The element logs the core's lines into a GStreamer category: they come
 * to its function, at the core's level, file and line, not to GLib's. */
static void
record_log (GLogLevelFlags level, const gchar * file, const gchar * function,
    gint line, const gchar * format, va_list args, gpointer user_data)
{
  GPtrArray *lines = user_data;

  g_assert_cmpint (level, ==, G_LOG_LEVEL_DEBUG);
  g_assert_true (g_str_has_suffix (file, "gstrealtimecore.c"));
  g_assert_cmpint (line, >, 0);
  g_ptr_array_add (lines, g_strdup_vprintf (format, args));
}

static void
test_log_func (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  gst_realtime_core_set_log_func (f->core, record_log, lines);
  gst_realtime_core_play_item (f->core, "item_a", 1000 * MS);
  gst_realtime_core_play_until (f->core, 4000 * MS);
  g_assert_true (gst_realtime_core_barge_in (f->core, 2500 * MS));
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==,
      "barge-in: 1500 ms of item_a heard");
  g_ptr_array_unref (lines);
  fixture_free (f);
}

static void
test_barge_in_edges (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);

  /* nothing heard yet: stopped, but no truncate of 0 ms */
  gst_realtime_core_play_item (f->core, "item_a", 1000 * MS);
  gst_realtime_core_play_until (f->core, 2000 * MS);
  g_assert_true (gst_realtime_core_barge_in (f->core, 900 * MS));
  collect (f);
  assert_sent (f, 0);
  /* all of it played: nothing to stop */
  gst_realtime_core_play_item (f->core, "item_b", 3000 * MS);
  gst_realtime_core_play_until (f->core, 4000 * MS);
  g_assert_false (gst_realtime_core_barge_in (f->core, 4000 * MS));
  /* no clock */
  g_assert_false (gst_realtime_core_barge_in (f->core,
          GST_REALTIME_TIME_NONE));
  fixture_free (f);
}

/* No barge-in for input that is not live, nor when the session does not
 * interrupt. */
static void
test_no_barge_in (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, FALSE);
  Fixture *g = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);

  g->config.turn_detection.interrupt_response = FALSE;
  append_audio (f, 0, 1000);
  append_audio (g, 0, 1000);
  speech (f, GST_REALTIME_EVENT_SPEECH_STARTED, "item_1", 100);
  speech (g, GST_REALTIME_EVENT_SPEECH_STARTED, "item_1", 100);
  assert_actions (f, "");
  assert_actions (g, "");
  fixture_free (f);
  fixture_free (g);
}

/* ------------------------------------------------------------------ */
/* Function calls */

/* The follow-up response waits for every call's output and for the
 * response to end. */
static void
test_function_call_follow_up (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_NONE, TRUE);

  response_created (f, "resp_1", NULL);
  function_call (f, "resp_1", "call_1");
  function_call (f, "resp_1", "call_2");
  assert_actions (f, "notice function-call, notice function-call");
  g_assert_true (gst_realtime_core_function_call_output (f->core, "call_1",
          "{\"t\":20}"));
  collect (f);
  assert_sent (f, 1, "conversation.item.create");
  response_done (f, "resp_1", "completed");
  assert_sent (f, 1, "conversation.item.create");
  g_assert_true (gst_realtime_core_function_call_output (f->core, "call_2",
          NULL));
  collect (f);
  assert_sent (f, 3, "conversation.item.create", "conversation.item.create",
      "response.create");
  /* an unknown call is answered, but says so */
  g_assert_false (gst_realtime_core_function_call_output (f->core, "call_9",
          ""));
  fixture_free (f);
}

/* Outputs given while the response runs: the follow-up comes at its end,
 * once. */
static void
test_function_call_answered_early (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_NONE, TRUE);

  response_created (f, "resp_1", NULL);
  function_call (f, "resp_1", "call_1");
  gst_realtime_core_function_call_output (f->core, "call_1", "1");
  collect (f);
  assert_sent (f, 1, "conversation.item.create");
  response_done (f, "resp_1", "completed");
  assert_sent (f, 2, "conversation.item.create", "response.create");
  response_created (f, "resp_2", NULL);
  response_done (f, "resp_2", "completed");
  assert_sent (f, 2, "conversation.item.create", "response.create");
  fixture_free (f);
}

/* Event ids count up without gaps: one not used is given back. */
static void
test_event_ids_without_gaps (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_NONE, TRUE);

  gst_realtime_core_request_response (f->core, NULL);
  response_created (f, "resp_1", NULL);
  response_done (f, "resp_1", "completed");
  gst_realtime_core_cancel_response (f->core);
  collect (f);
  assert_sent (f, 2, "response.create", "response.cancel");
  g_assert_true (sent_has (f, 0, "\"event_id\":\"gstrt_1\""));
  g_assert_true (sent_has (f, 1, "\"event_id\":\"gstrt_2\""));
  fixture_free (f);
}

/* ------------------------------------------------------------------ */
/* Errors */

static void
test_error_classes (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);
  gchar *update = gst_realtime_core_build_session_update (f->core);
  gchar *update_id;

  g_assert_nonnull (strstr (update, "session.update"));
  g_free (update);
  update_id = g_strdup_printf ("gstrt_%u", 1);

  error (f, "invalid_api_key", "Incorrect API key", NULL);
  error (f, NULL, "Missing bearer or basic authentication in header", NULL);
  error (f, "beta_api_shape_disabled", "no beta", NULL);
  error (f, "invalid_value", "bad voice", update_id);
  error (f, "unknown_parameter", "bad", "gstrt_77");
  error (f, "insufficient_quota", "pay", NULL);
  error (f, "session_expired", "bye", NULL);
  error (f, "response_cancel_not_active", "nothing to cancel", NULL);
  error (f, "input_audio_buffer_commit_empty", "empty", NULL);
  assert_actions (f, "notice server-error, fail key-refused, "
      "notice server-error, fail authentication, "
      "notice server-error, fail beta-disabled, "
      "notice server-error, fail session-config, "
      "notice server-error, warn server-error, "
      "notice server-error, fail session-config, "
      "notice server-error, expired, "
      "notice server-error, notice server-error");
  g_free (update_id);
  fixture_free (f);
}

/* Without VAD an empty commit is the application's mistake: a warning. */
static void
test_empty_commit_without_vad_warns (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_NONE, TRUE);

  error (f, "input_audio_buffer_commit_empty", "empty", NULL);
  assert_actions (f, "notice server-error, warn server-error");
  fixture_free (f);
}

/* A failed commit is not waited for. */
static void
test_failed_commit_is_forgotten (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_NONE, TRUE);
  gchar *id;

  append_audio (f, 0, 50);
  gst_realtime_core_commit (f->core, TRUE);
  collect (f);
  id = g_strdup_printf ("gstrt_%u", 1);
  g_assert_true (sent_has (f, 0, id));
  g_assert_true (gst_realtime_core_replies_pending (f->core));
  error (f, "input_audio_buffer_commit_too_small", "too small", id);
  g_assert_false (gst_realtime_core_replies_pending (f->core));
  g_free (id);
  fixture_free (f);
}

/* Past a burst, warnings are counted, reported once the window ends. */
static void
test_warning_storm (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_NONE, TRUE);
  guint i;

  for (i = 0; i < GST_REALTIME_WARN_LIMIT_BURST; i++)
    error (f, "x", "x", NULL);
  g_assert_cmpuint (f->actions->len, ==, 2 * GST_REALTIME_WARN_LIMIT_BURST);
  clear (f);
  error (f, "x", "x", NULL);
  assert_actions (f, "notice server-error, report in 10001");
  error (f, "x", "x", NULL);
  assert_actions (f, "notice server-error, report in 10001, "
      "notice server-error");
  g_assert_cmpuint (gst_realtime_core_take_held_back (f->core), ==, 2);
  g_assert_cmpuint (gst_realtime_core_take_held_back (f->core), ==, 0);

  /* a window later, with one held back and no timer */
  error (f, "x", "x", NULL);
  clear (f);
  f->now_us += GST_REALTIME_WARN_LIMIT_WINDOW_MS * 1000;
  error (f, "x", "x", NULL);
  assert_actions (f, "notice server-error, held back 1, "
      "warn server-error");
  fixture_free (f);
}

static void
test_mcp_results (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_NONE, TRUE);
  GstRealtimeServerEvent *event;
  GstRealtimeAction *action;

  event = event_new (GST_REALTIME_EVENT_OUTPUT_ITEM_ADDED);
  event->item_id = g_strdup ("mcp_1");
  event->item_type = g_strdup ("mcp_call");
  event->server_label = g_strdup ("deepwiki");
  event->name = g_strdup ("ask");
  gst_realtime_core_handle_event (f->core, event, f->now_us);
  gst_realtime_server_event_free (event);
  event = event_new (GST_REALTIME_EVENT_MCP_CALL_FAILED);
  event->item_id = g_strdup ("mcp_1");
  gst_realtime_core_handle_event (f->core, event, f->now_us);
  gst_realtime_server_event_free (event);

  action = gst_realtime_core_poll_action (f->core);
  g_assert_cmpint (action->type, ==, GST_REALTIME_ACTION_NOTICE);
  g_assert_cmpstr (action->label, ==, "deepwiki");
  g_assert_cmpstr (action->name, ==, "ask");
  g_assert_true (action->call && action->failed);
  gst_realtime_action_free (action);
  action = gst_realtime_core_poll_action (f->core);
  g_assert_cmpint (action->type, ==, GST_REALTIME_ACTION_WARN);
  g_assert_cmpint (action->problem, ==, GST_REALTIME_PROBLEM_MCP_FAILED);
  g_assert_cmpstr (action->label, ==, "deepwiki");
  gst_realtime_action_free (action);
  g_assert_null (gst_realtime_core_poll_action (f->core));
  fixture_free (f);
}

/* ------------------------------------------------------------------ */
/* Renewal */

#define MINUTE_US (60 * G_USEC_PER_SEC)

/* Five minutes before the end, at the first turn boundary, once. */
static void
test_renewal_at_a_turn_boundary (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);
  gint64 real_now = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;
  gint64 start = f->now_us;

  g_assert_cmpuint (gst_realtime_core_note_expiry (f->core,
          real_now / G_USEC_PER_SEC + 30 * 60, real_now, start), ==,
      25 * 60 * 1000 + 1);
  g_assert_false (gst_realtime_core_renewal_due (f->core, TRUE,
          start + 25 * MINUTE_US - 1));
  append_audio (f, 0, 2000);
  speech (f, GST_REALTIME_EVENT_SPEECH_STARTED, "item_1", 500);
  g_assert_false (gst_realtime_core_renewal_due (f->core, TRUE,
          start + 26 * MINUTE_US));
  speech (f, GST_REALTIME_EVENT_SPEECH_STOPPED, "item_1", 1500);
  /* its reply is on the way */
  g_assert_false (gst_realtime_core_renewal_due (f->core, TRUE,
          start + 26 * MINUTE_US));
  committed (f, "item_1");
  transcript (f, "item_1", "Hi.");
  response_created (f, "resp_1", NULL);
  response_done (f, "resp_1", "completed");
  g_assert_false (gst_realtime_core_renewal_due (f->core, FALSE,
          start + 26 * MINUTE_US));
  g_assert_true (gst_realtime_core_renewal_due (f->core, TRUE,
          start + 26 * MINUTE_US));
  g_assert_false (gst_realtime_core_renewal_due (f->core, TRUE,
          start + 27 * MINUTE_US));
  /* the fresh session has its own end */
  gst_realtime_core_renewal_over (f->core);
  gst_realtime_core_lose_session (f->core);
  g_assert_false (gst_realtime_core_renewal_due (f->core, TRUE,
          start + 27 * MINUTE_US));
  fixture_free (f);
}

/* A short session is renewed half-way; one with no end, or past it, not. */
static void
test_renewal_times (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);
  gint64 real_now = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;

  g_assert_cmpuint (gst_realtime_core_note_expiry (f->core,
          real_now / G_USEC_PER_SEC + 4 * 60, real_now, f->now_us), ==,
      2 * 60 * 1000 + 1);
  g_assert_cmpuint (gst_realtime_core_note_expiry (f->core, 0, real_now,
          f->now_us), ==, 0);
  g_assert_false (gst_realtime_core_renewal_due (f->core, TRUE,
          G_MAXINT64));
  g_assert_cmpuint (gst_realtime_core_note_expiry (f->core,
          real_now / G_USEC_PER_SEC, real_now, f->now_us), ==, 0);
  fixture_free (f);
}

/* ------------------------------------------------------------------ */
/* Carry-over to a new session */

static void
assistant_transcript (Fixture * f, const gchar * response_id,
    const gchar * text)
{
  GstRealtimeServerEvent *event =
      event_new (GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DONE);

  event->response_id = g_strdup (response_id);
  event->text = g_strdup (text);
  handle (f, event);
}

/* The final texts, in order and with their roles; deltas and empty
 * texts are not kept. */
static void
test_carry_over (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);
  GstRealtimeServerEvent *delta =
      event_new (GST_REALTIME_EVENT_INPUT_TRANSCRIPT_DELTA);

  delta->item_id = g_strdup ("item_1");
  delta->text = g_strdup ("Hel");
  handle (f, delta);
  transcript (f, "item_1", "Hello?");
  transcript (f, "item_2", "");
  reply_text (f, "resp_1", "Hi");
  assistant_transcript (f, "resp_1", "Hi there.");
  clear (f);
  gst_realtime_core_carry_over (f->core);
  collect (f);
  assert_sent (f, 2, "conversation.item.create", "conversation.item.create");
  g_assert_true (sent_has (f, 0, "\"role\":\"user\""));
  g_assert_true (sent_has (f, 0, "Hello?"));
  g_assert_true (sent_has (f, 1, "\"role\":\"assistant\""));
  g_assert_true (sent_has (f, 1, "Hi there."));

  /* a new start forgets it */
  gst_realtime_core_reset (f->core);
  clear (f);
  gst_realtime_core_carry_over (f->core);
  collect (f);
  assert_sent (f, 0);
  fixture_free (f);
}

/* Only the last turns, within a bound of items and of characters. */
static void
test_carry_over_bounds (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);
  gchar *long_text = g_strnfill (GST_REALTIME_CARRY_OVER_MAX_CHARS - 7, 'x');
  guint i;

  for (i = 0; i < GST_REALTIME_CARRY_OVER_MAX_ITEMS + 4; i++) {
    gchar *text = g_strdup_printf ("turn %u", i);

    transcript (f, "item", text);
    g_free (text);
  }
  clear (f);
  gst_realtime_core_carry_over (f->core);
  collect (f);
  g_assert_cmpuint (f->sent->len, ==, GST_REALTIME_CARRY_OVER_MAX_ITEMS);
  g_assert_true (sent_has (f, 0, "turn 4"));

  transcript (f, "item", long_text);
  clear (f);
  gst_realtime_core_carry_over (f->core);
  collect (f);
  /* "turn 19" fits beside it, "turn 18" does not */
  assert_sent (f, 2, "conversation.item.create", "conversation.item.create");
  g_assert_true (sent_has (f, 0, "turn 19"));
  g_free (long_text);
  fixture_free (f);
}

/* A transcription session carries nothing over. */
static void
test_no_carry_over_in_transcription (void)
{
  Fixture *f = fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);

  f->config.session_type = GST_REALTIME_SESSION_TYPE_TRANSCRIPTION;
  transcript (f, "item_1", "Hello?");
  clear (f);
  gst_realtime_core_carry_over (f->core);
  collect (f);
  assert_sent (f, 0);
  fixture_free (f);
}

/* ------------------------------------------------------------------ */
/* Randomised: the server's events of many turns, interleaved as a server
 * may send them */

typedef enum
{
  STEP_STARTED,
  STEP_STOPPED,
  STEP_COMMITTED,
  STEP_CREATED,
  STEP_TEXT,
  STEP_DONE,
  STEP_TRANSCRIPT,
  N_STEPS
} Step;

typedef struct
{
  Fixture *f;
  gboolean file_mode;           /* the element asks for each reply */
  guint n_turns;
  guint *next;                  /* per turn, its next step */
  gboolean *transcribed;
} Script;

/* Whether turn @i may take its next step now: one turn speaks and
 * commits at a time, one response runs at a time, transcripts come any
 * time after the commit; in file mode a response answers a request. */
static gboolean
may_step (Script * s, guint i, gboolean is_transcript)
{
  if (is_transcript)
    return !s->transcribed[i] && s->next[i] > STEP_COMMITTED;
  if (s->next[i] >= STEP_TRANSCRIPT)
    return FALSE;
  if (s->file_mode && s->next[i] == STEP_CREATED && s->f->sent->len <= i)
    return FALSE;
  if (i == 0)
    return TRUE;
  if (s->next[i] <= STEP_COMMITTED)
    return s->next[i - 1] > STEP_COMMITTED;
  return s->next[i - 1] > STEP_DONE;
}

static void
take_step (Fixture * f, Script * s, guint i, gboolean is_transcript)
{
  gchar *item = g_strdup_printf ("item_%u", i);
  gchar *resp = g_strdup_printf ("resp_%u", i);
  gchar *text = g_strdup_printf ("%s%u", is_transcript ? "u" : "a", i);
  gchar *tag = NULL;

  if (is_transcript) {
    transcript (f, item, text);
    s->transcribed[i] = TRUE;
  } else {
    switch (s->next[i]++) {
      case STEP_STARTED:
        speech (f, GST_REALTIME_EVENT_SPEECH_STARTED, item, i * 2000 + 500);
        break;
      case STEP_STOPPED:
        speech (f, GST_REALTIME_EVENT_SPEECH_STOPPED, item, i * 2000 + 1500);
        break;
      case STEP_COMMITTED:
        committed (f, item);
        break;
      case STEP_CREATED:
        if (s->file_mode)
          tag = request_id (f, i);
        response_created (f, resp, tag);
        break;
      case STEP_TEXT:
        reply_text (f, resp, text);
        break;
      case STEP_DONE:
        response_done (f, resp, "completed");
        break;
    }
  }
  g_free (tag);
  g_free (text);
  g_free (item);
  g_free (resp);
}

/* Every turn's text comes out once, the user's before the reply, turn
 * after turn, on its speech, never overlapping the text before it. */
static void
check_invariants (Fixture * f, guint n_turns, gboolean file_mode)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  guint i;
  GstRealtimeTime end = 0;

  g_assert_cmpuint (f->texts->len, ==, 2 * n_turns);
  for (i = 0; i < f->texts->len; i++) {
    Text *t = g_ptr_array_index (f->texts, i);
    gchar *expected = g_strdup_printf ("%s%u\n", i % 2 ? "a" : "u", i / 2);

    g_assert_cmpstr (t->text, ==, expected);
    g_assert_cmpint (t->role, ==, i % 2 ? GST_REALTIME_TEXT_ASSISTANT :
        GST_REALTIME_TEXT_USER);
    g_assert_cmpuint (t->pts, >=, end);
    if (i % 2 == 0)
      g_assert_cmpuint (t->pts, ==, (i / 2 * 2000 + 500) * MS);
    end = t->end;
    g_free (expected);
  }
  g_assert_false (gst_realtime_core_replies_pending (f->core));
  g_assert_false (gst_realtime_core_turn_pending (f->core));
  /* live, the server answers by itself: the element asks for nothing; a
   * file's turns are asked for once each */
  g_assert_cmpuint (f->sent->len, ==, file_mode ? n_turns : 0);
  for (i = 0; i < f->sent->len; i++) {
    g_assert_true (sent_has (f, i, "\"type\":\"response.create\""));
    g_assert_true (g_hash_table_add (ids, request_id (f, i)));
  }
  g_hash_table_unref (ids);
}

static void
run_random_conversation (GRand * rand, gboolean file_mode)
{
  Fixture *f = file_mode ? file_fixture_new () :
      fixture_new (GST_REALTIME_TURN_DETECTION_SERVER_VAD, TRUE);
  Script s = { f, file_mode, };
  guint i, left;

  s.n_turns = g_rand_int_range (rand, 1, 8);
  s.next = g_new0 (guint, s.n_turns);
  s.transcribed = g_new0 (gboolean, s.n_turns);
  append_audio (f, 0, s.n_turns * 2000);
  for (left = s.n_turns * N_STEPS; left > 0;) {
    gboolean is_transcript = g_rand_boolean (rand);

    i = g_rand_int_range (rand, 0, s.n_turns);
    if (!may_step (&s, i, is_transcript))
      continue;
    take_step (f, &s, i, is_transcript);
    left--;
  }
  check_invariants (f, s.n_turns, file_mode);
  g_free (s.next);
  g_free (s.transcribed);
  fixture_free (f);
}

static void
test_random_conversations (void)
{
  GRand *rand = g_rand_new_with_seed (g_test_rand_int ());
  guint i;

  for (i = 0; i < 5000; i++)
    run_random_conversation (rand, i % 2);
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/turns/reply-waits-for-transcript",
      test_reply_waits_for_transcript);
  g_test_add_func ("/core/turns/in-order", test_turns_in_order);
  g_test_add_func ("/core/turns/timeout-triggered",
      test_timeout_triggered_is_a_turn);
  g_test_add_func ("/core/file-mode/requests-each-reply",
      test_file_mode_requests_each_reply);
  g_test_add_func ("/core/file-mode/choice", test_file_mode_choice);
  g_test_add_func ("/core/file-mode/pace", test_file_mode_pace);
  g_test_add_func ("/core/file-mode/second-request-waits",
      test_file_mode_second_request_waits);
  g_test_add_func ("/core/responses/busy-retried",
      test_busy_request_is_retried);
  g_test_add_func ("/core/responses/failed-makes-way",
      test_failed_request_makes_way);
  g_test_add_func ("/core/responses/stale-cancelled",
      test_stale_response_is_cancelled);
  g_test_add_func ("/core/commits/manual", test_manual_commits);
  g_test_add_func ("/core/commits/rest-at-eos", test_commit_rest);
  g_test_add_func ("/core/commits/clear", test_clear_input);
  g_test_add_func ("/core/drain/barrier-then-commit",
      test_drain_barrier_then_commit);
  g_test_add_func ("/core/drain/new-connection",
      test_drain_again_on_a_new_connection);
  g_test_add_func ("/core/drain/without-barrier", test_drain_without_barrier);
  g_test_add_func ("/core/barge-in/truncate",
      test_barge_in_truncates_what_was_heard);
  g_test_add_func ("/core/barge-in/edges", test_barge_in_edges);
  g_test_add_func ("/core/barge-in/none", test_no_barge_in);
  g_test_add_func ("/core/log/func", test_log_func);
  g_test_add_func ("/core/calls/follow-up", test_function_call_follow_up);
  g_test_add_func ("/core/calls/answered-early",
      test_function_call_answered_early);
  g_test_add_func ("/core/ids/without-gaps", test_event_ids_without_gaps);
  g_test_add_func ("/core/errors/classes", test_error_classes);
  g_test_add_func ("/core/errors/empty-commit-without-vad",
      test_empty_commit_without_vad_warns);
  g_test_add_func ("/core/errors/failed-commit",
      test_failed_commit_is_forgotten);
  g_test_add_func ("/core/errors/storm", test_warning_storm);
  g_test_add_func ("/core/mcp/results", test_mcp_results);
  g_test_add_func ("/core/renewal/turn-boundary",
      test_renewal_at_a_turn_boundary);
  g_test_add_func ("/core/renewal/times", test_renewal_times);
  g_test_add_func ("/core/carry-over/texts", test_carry_over);
  g_test_add_func ("/core/carry-over/bounds", test_carry_over_bounds);
  g_test_add_func ("/core/carry-over/not-in-transcription",
      test_no_carry_over_in_transcription);
  g_test_add_func ("/core/random/conversations", test_random_conversations);
  return g_test_run ();
}
