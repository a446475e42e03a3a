/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Connection faults: recoverable ones reconnect and lose no speech, fatal
 * ones stop the element; and sessions renewed before the server ends
 * them. */

#include <string.h>

#include "realtimefixture.h"

/* One turn: 0.6 s of tone between silences. */
static const Part turn[] = { {0.5, FALSE}, {0.6, TRUE}, {1.0, FALSE} };

#define TURN_SECONDS 2.1
/* where the tone of turn @k (from 0) starts, in input time */
#define TONE_START(k) ((GstClockTime) (((k) * TURN_SECONDS + 0.5) * GST_SECOND))
#define WAIT_MS 10000

static void
start_live_with (Fixture * f, const FixtureOptions * options)
{
  fixture_setup_with (f, options);
  g_object_set (f->appsrc, "is-live", TRUE, NULL);
  fail_unless (gst_element_set_state (f->pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  /* a live source only starts when the pipeline does */
  fail_unless (fixture_wait_message (f, "realtime-connection", "state",
          "connected", 1, WAIT_MS));
}

static void
start_live (Fixture * f, RealtimeTestFault faults, const gchar * props)
{
  FixtureOptions options = { NULL, faults, NULL, NULL, NULL, props };

  start_live_with (f, &options);
}

/* Pushes turns until @n responses are done. */
static void
push_answered (Fixture * f, guint n_turns, guint64 * offset, guint n_done)
{
  guint i;

  for (i = 0; i < n_turns; i++)
    fail_unless_equals_int (push_parts (f, turn, G_N_ELEMENTS (turn),
            offset), GST_FLOW_OK);
  fail_unless (fixture_wait_message (f, "realtime-response-done", NULL, NULL,
          n_done, WAIT_MS), "no reply %u", n_done);
}

static void
push_rest_and_end (Fixture * f, guint n_turns, guint64 * offset)
{
  guint i;

  for (i = 0; i < n_turns; i++)
    fail_unless_equals_int (push_parts (f, turn, G_N_ELEMENTS (turn),
            offset), GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (f->appsrc));
  assert_eos (f);
}

/* Turn 1, answered; then an outage, the first reconnection refused, while
 * turn 2 comes; returns once a connection is back. */
static void
answer_then_push_in_outage (Fixture * f, guint64 * offset)
{
  push_answered (f, 1, offset, 1);
  realtime_test_server_refuse_connections (f->server, 1, 503);
  realtime_test_server_drop_connections (f->server, 1011);
  fail_unless (fixture_wait_message (f, "realtime-connection", "state",
          "reconnecting", 1, WAIT_MS));
  fail_unless_equals_int (push_parts (f, turn, G_N_ELEMENTS (turn),
          offset), GST_FLOW_OK);
  fail_unless (fixture_wait_message (f, "realtime-connection", "state",
          "connected", 2, WAIT_MS));
}

/* Each of the first @n turns got a reply that starts on its speech. */
static void
assert_replies_on_turns (Fixture * f, guint n)
{
  GPtrArray *text = collect (f->text_sink);
  guint k;

  assert_monotonic (text);
  for (k = 0; k < n; k++) {
    /* the server's VAD puts the start a little before the tone */
    gchar *got = text_between (text, TONE_START (k) - 400 * GST_MSECOND,
        TONE_START (k + 1) - 400 * GST_MSECOND);

    fail_unless (g_str_has_prefix (g_strstrip (got), "Reply to turn "),
        "turn %u got '%s'", k + 1, got);
    g_free (got);
  }
  g_ptr_array_unref (text);
}

static const gchar *
connection_state (GPtrArray * messages, guint i)
{
  return gst_structure_get_string (g_ptr_array_index (messages, i), "state");
}

/* A network drop between two turns: the element reconnects, configures
 * the new session, carries the conversation over and answers the turns
 * after the drop on their own speech. */
GST_START_TEST (test_reconnect_after_network_drop)
{
  Fixture f = { 0, };
  GPtrArray *states;
  guint64 offset = 0;
  guint attempt = 0, delay = 0;
  gchar *carried;

  start_live (&f, 0, "min-reconnect-delay=50");
  push_answered (&f, 1, &offset, 1);
  realtime_test_server_drop_connections (f.server, 0);
  fail_unless (fixture_wait_message (&f, "realtime-connection", "state",
          "connected", 2, WAIT_MS));
  push_rest_and_end (&f, 2, &offset);

  fail_unless_equals_int (realtime_test_server_get_connection_count
      (f.server), 2);
  assert_replies_on_turns (&f, 3);
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "response.create"), 0);

  states = fixture_messages (&f, "realtime-connection");
  fail_unless_equals_int (states->len, 4);
  fail_unless_equals_string (connection_state (states, 0), "connecting");
  fail_unless_equals_string (connection_state (states, 1), "connected");
  fail_unless_equals_string (connection_state (states, 2), "reconnecting");
  fail_unless_equals_string (connection_state (states, 3), "connected");
  gst_structure_get_uint (g_ptr_array_index (states, 2), "attempt", &attempt);
  gst_structure_get_uint (g_ptr_array_index (states, 2), "delay-ms", &delay);
  fail_unless_equals_int (attempt, 1);
  fail_unless_equals_int (delay, 50);

  /* the new session was configured and knows what was said; the third
   * update is the EOS drain's barrier */
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "session.update"), 3);
  carried = client_event_value (f.server, "conversation.item.create", 0,
      "$.item.content[0].text");
  fail_unless_equals_string (carried, "Reply to turn 1.");
  g_free (carried);
  assert_client_events_valid (f.server, "reconnect");
  fail_unless_equals_int (g_atomic_int_get (&f.n_warnings), 0);

  g_ptr_array_unref (states);
  fixture_teardown (&f);
}

GST_END_TEST;

/* Speech that was going on when the connection dropped reaches the new
 * session whole: the audio the server had not settled is sent again. */
GST_START_TEST (test_speech_across_drop)
{
  static const Part first_half[] = { {0.5, FALSE}, {0.3, TRUE} };
  static const Part second_half[] = { {0.3, TRUE}, {1.0, FALSE} };
  Fixture f = { 0, };
  GArray *turns;
  RealtimeTestTurn *resent;
  guint64 offset = 0;

  fixture_setup (&f, 0, "min-reconnect-delay=50");
  fixture_watch_server_events (&f);
  g_object_set (f.appsrc, "is-live", TRUE, NULL);
  fail_unless (gst_element_set_state (f.pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  push_answered (&f, 1, &offset, 1);
  fail_unless_equals_int (push_parts (&f, first_half,
          G_N_ELEMENTS (first_half), &offset), GST_FLOW_OK);
  fail_unless (fixture_wait_server_event (&f,
          "input_audio_buffer.speech_started", 2, WAIT_MS));
  realtime_test_server_drop_connections (f.server, 0);
  fail_unless_equals_int (push_parts (&f, second_half,
          G_N_ELEMENTS (second_half), &offset), GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  assert_eos (&f);

  /* the second connection heard all 0.6 s of the second tone */
  turns = realtime_test_server_get_turns (f.server);
  fail_unless (turns->len >= 2);
  resent = &g_array_index (turns, RealtimeTestTurn, turns->len - 1);
  fail_unless (resent->audio_end_ms - resent->audio_start_ms >= 550,
      "the new session heard %" G_GINT64_FORMAT " ms of speech",
      resent->audio_end_ms - resent->audio_start_ms);
  assert_replies_on_turns (&f, 2);

  g_array_unref (turns);
  fixture_teardown (&f);
}

GST_END_TEST;

/* Live audio that comes while the server cannot be reached waits, and is
 * answered once a connection is back. */
GST_START_TEST (test_outage_audio_is_kept)
{
  Fixture f = { 0, };
  guint64 offset = 0;
  GPtrArray *states;

  start_live (&f, 0, "min-reconnect-delay=200");
  answer_then_push_in_outage (&f, &offset);
  push_rest_and_end (&f, 0, &offset);

  assert_replies_on_turns (&f, 2);
  states = fixture_messages (&f, "realtime-connection");
  /* connecting, connected, reconnecting 1, reconnecting 2, connected */
  fail_unless_equals_int (states->len, 5);
  fail_unless_equals_string (connection_state (states, 3), "reconnecting");
  fail_unless_equals_int (g_atomic_int_get (&f.n_warnings), 0);

  g_ptr_array_unref (states);
  fixture_teardown (&f);
}

GST_END_TEST;

/* What a source pad gave downstream, in order: buffers, GAP events and
 * flushes (a barge-in's). */
typedef struct
{
  GstClockTime start;
  GstClockTime end;
  gboolean gap;
  gboolean flush;
  gboolean discont;
} Span;

static GstPadProbeReturn
record_span (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GArray *spans = user_data;
  Span span = { 0, };

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

    span.start = GST_BUFFER_PTS (buffer);
    span.end = span.start + GST_BUFFER_DURATION (buffer);
    span.discont = GST_BUFFER_IS_DISCONT (buffer);
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_GAP) {
    GstClockTime duration;

    gst_event_parse_gap (GST_PAD_PROBE_INFO_EVENT (info), &span.start,
        &duration);
    span.end = span.start + duration;
    span.gap = TRUE;
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_FLUSH_STOP) {
    span.flush = TRUE;
  } else {
    return GST_PAD_PROBE_OK;
  }
  /* the streaming threads of the two pads each have their own array */
  g_array_append_val (spans, span);
  return GST_PAD_PROBE_OK;
}

static GArray *
record_spans (GstElement * sink)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (Span));
  GstPad *pad = gst_element_get_static_pad (sink, "sink");

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
      record_span, spans, NULL);
  gst_object_unref (pad);
  return spans;
}

/* Each pad's timeline goes on through an outage: buffers and GAPs in
 * order, none before the end of the one before (but after a flush, which
 * drops what came before), and the pad carried to the end of the input.
 * With @min_disconts, audio: a buffer that does not follow on from the
 * one before (the first, one after a flush, one after a jump) is DISCONT,
 * and there are at least that many. */
static void
assert_timeline_sound (GArray * spans, GstClockTime input_end,
    guint min_disconts)
{
  GstClockTime end = 0, buffer_end = GST_CLOCK_TIME_NONE;
  guint i, disconts = 0;

  for (i = 0; i < spans->len; i++) {
    Span *span = &g_array_index (spans, Span, i);

    if (span->flush) {
      GST_LOG ("flush");
      end = 0;
      buffer_end = GST_CLOCK_TIME_NONE;
      continue;
    }
    GST_LOG ("%s %" GST_TIME_FORMAT " - %" GST_TIME_FORMAT "%s",
        span->gap ? "gap" : "buffer", GST_TIME_ARGS (span->start),
        GST_TIME_ARGS (span->end), span->discont ? " discont" : "");
    fail_unless (span->start >= end, "span %u starts at %" GST_TIME_FORMAT
        ", before the end of the one before, %" GST_TIME_FORMAT, i,
        GST_TIME_ARGS (span->start), GST_TIME_ARGS (end));
    end = span->end;
    if (span->gap || min_disconts == 0)
      continue;
    fail_unless (span->discont || span->start == buffer_end,
        "buffer %u at %" GST_TIME_FORMAT " does not follow on and is not "
        "DISCONT", i, GST_TIME_ARGS (span->start));
    disconts += span->discont;
    buffer_end = span->end;
  }
  fail_unless (end >= input_end, "the pad stopped at %" GST_TIME_FORMAT
      " of %" GST_TIME_FORMAT, GST_TIME_ARGS (end), GST_TIME_ARGS (input_end));
  fail_unless (disconts >= min_disconts, "%u DISCONT buffers", disconts);
}

GST_START_TEST (test_timeline_across_outage)
{
  Fixture f = { 0, };
  guint64 offset = 0;
  GArray *audio, *text;

  start_live (&f, 0, "min-reconnect-delay=200");
  /* nothing is pushed before the connection */
  audio = record_spans (f.audio_sink);
  text = record_spans (f.text_sink);
  answer_then_push_in_outage (&f, &offset);
  push_rest_and_end (&f, 1, &offset);

  assert_replies_on_turns (&f, 3);
  /* the reply before the outage, and at least one after */
  assert_timeline_sound (audio, offset * GST_SECOND / RATE, 2);
  assert_timeline_sound (text, offset * GST_SECOND / RATE, 0);
  g_array_unref (audio);
  g_array_unref (text);
  fixture_teardown (&f);
}

GST_END_TEST;

/* Past max-buffered-time the oldest audio goes, and a warning says how
 * much. */
GST_START_TEST (test_outage_past_bound_warns)
{
  Fixture f = { 0, };
  guint64 offset = 0, dropped_ms = 0;
  gchar *warnings, *found;

  start_live (&f, 0, "min-reconnect-delay=200 max-buffered-time=200");
  push_answered (&f, 1, &offset, 1);
  realtime_test_server_refuse_connections (f.server, 1, 503);
  realtime_test_server_drop_connections (f.server, 0);
  fail_unless (fixture_wait_message (&f, "realtime-connection", "state",
          "reconnecting", 1, WAIT_MS));
  fail_unless_equals_int (push_parts (&f, turn, G_N_ELEMENTS (turn),
          &offset), GST_FLOW_OK);
  fail_unless (fixture_wait_message (&f, "realtime-connection", "state",
          "connected", 2, WAIT_MS));
  push_rest_and_end (&f, 0, &offset);

  warnings = fixture_warnings (&f);
  found = strstr (warnings, "Dropped ");
  fail_unless (found != NULL, "no warning about dropped audio: %s", warnings);
  dropped_ms = g_ascii_strtoull (found + strlen ("Dropped "), NULL, 10);
  /* the 2.1 s of the turn, less the 200 ms kept (and chunk rounding) */
  fail_unless (dropped_ms >= 1800 && dropped_ms <= 2000,
      "dropped %" G_GUINT64_FORMAT " ms", dropped_ms);
  g_free (warnings);
  fixture_teardown (&f);
}

GST_END_TEST;

/* A close the server means is final: no reconnection. */
GST_START_TEST (test_fatal_close_stops)
{
  Fixture f = { 0, };
  guint64 offset = 0;

  start_live (&f, 0, "min-reconnect-delay=20");
  push_answered (&f, 1, &offset, 1);
  realtime_test_server_drop_connections (f.server, 4000);
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ, "4000");
  fail_unless_equals_int (realtime_test_server_get_connection_count
      (f.server), 1);
  fixture_teardown (&f);
}

GST_END_TEST;

/* Reconnections back off, and the element gives up after
 * max-reconnect-attempts with an error that says so. */
GST_START_TEST (test_gives_up_after_attempts)
{
  Fixture f = { 0, };
  GPtrArray *states;
  guint64 offset = 0;
  guint delays[2], i;

  start_live (&f, 0, "min-reconnect-delay=10 max-reconnect-delay=15 "
      "max-reconnect-attempts=2");
  push_answered (&f, 1, &offset, 1);
  realtime_test_server_refuse_connections (f.server, 100, 503);
  realtime_test_server_drop_connections (f.server, 1012);
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
      "after 2 attempts");

  states = fixture_messages (&f, "realtime-connection");
  /* connecting, connected, reconnecting 1 and 2, disconnected */
  fail_unless_equals_int (states->len, 5);
  for (i = 0; i < 2; i++)
    gst_structure_get_uint (g_ptr_array_index (states, 2 + i), "delay-ms",
        &delays[i]);
  fail_unless_equals_int (delays[0], 10);
  fail_unless_equals_int (delays[1], 15);
  fail_unless_equals_string (connection_state (states, 4), "disconnected");
  g_ptr_array_unref (states);
  fixture_teardown (&f);
}

GST_END_TEST;

/* A connection ended by @close_code whose reconnection gets HTTP @status
 * stops with @error_code (text holding @fragment) after that one attempt. */
static void
check_refused_on_reconnect (const gchar * props, guint close_code,
    guint status, gint error_code, const gchar * fragment)
{
  Fixture f = { 0, };
  guint64 offset = 0;

  start_live (&f, 0, props);
  push_answered (&f, 1, &offset, 1);
  realtime_test_server_refuse_connections (f.server, 100, status);
  realtime_test_server_drop_connections (f.server, close_code);
  assert_error (&f, GST_RESOURCE_ERROR, error_code, fragment);
  fail_unless_equals_int (fixture_wait_message (&f, "realtime-connection",
          "state", "reconnecting", 2, 0), FALSE);
  fixture_teardown (&f);
}

/* A key refused on reconnection is not retried. */
GST_START_TEST (test_key_refused_on_reconnect)
{
  check_refused_on_reconnect ("min-reconnect-delay=10", 0, 401,
      GST_RESOURCE_ERROR_NOT_AUTHORIZED, NULL);
}

GST_END_TEST;

/* Non-live input waits for the connection instead of buffering. */
GST_START_TEST (test_file_input_waits_for_reconnect)
{
  Fixture f = { 0, };
  guint64 offset = 0;

  fixture_setup (&f, 0, "min-reconnect-delay=50");
  fail_unless (gst_element_set_state (f.pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  push_answered (&f, 1, &offset, 1);
  realtime_test_server_drop_connections (f.server, 1001);
  push_rest_and_end (&f, 2, &offset);

  fail_unless_equals_int (realtime_test_server_get_connection_count
      (f.server), 2);
  assert_replies_on_turns (&f, 3);
  fixture_teardown (&f);
}

GST_END_TEST;

/* A file whose silence outlasts max-buffered-time goes on: only audio the
 * server owes text for is worth waiting for. */
GST_START_TEST (test_file_silence_past_bound)
{
  static const Part long_silence[] = { {2.0, FALSE} };
  Fixture f = { 0, };
  guint64 offset = 0;
  GPtrArray *text;
  gchar *got;

  fixture_setup (&f, 0, "max-buffered-time=500");
  fail_unless (gst_element_set_state (f.pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (push_parts (&f, long_silence,
          G_N_ELEMENTS (long_silence), &offset), GST_FLOW_OK);
  push_rest_and_end (&f, 1, &offset);
  text = collect (f.text_sink);
  got = all_text (text);
  fail_unless_equals_string (g_strstrip (got), "Reply to turn 1.");
  g_free (got);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_END_TEST;

/* Before the server ends a session, a new one takes over at a turn
 * boundary: nothing expires, nothing is missed. */
GST_START_TEST (test_session_renewed_before_expiry)
{
  Fixture f = { 0, };
  RealtimeTestServer *server = start_server (0);
  FixtureOptions options = { server, 0, NULL, NULL, NULL, NULL };
  guint64 offset = 0;
  gchar *carried;

  realtime_test_server_set_session_lifetime_ms (server, 3000);
  start_live_with (&f, &options);
  push_answered (&f, 1, &offset, 1);
  /* renewal comes with the first turn boundary past half the lifetime */
  fail_unless (fixture_wait_message (&f, "realtime-connection", "state",
          "renewing", 1, WAIT_MS));
  fail_unless (fixture_wait_message (&f, "realtime-connection", "state",
          "connected", 2, WAIT_MS));
  push_rest_and_end (&f, 1, &offset);

  assert_replies_on_turns (&f, 2);
  fail_unless_equals_int (realtime_test_server_get_connection_count (server),
      2);
  /* renewed in time: the server never had to end it */
  fail_unless_equals_int (fixture_wait_message (&f, "realtime-error", NULL,
          NULL, 1, 0), FALSE);
  carried = client_event_value (server, "conversation.item.create", 0,
      "$.item.content[0].text");
  fail_unless_equals_string (carried, "Reply to turn 1.");
  g_free (carried);
  fail_unless_equals_int (g_atomic_int_get (&f.n_warnings), 0);
  fixture_teardown (&f);
}

GST_END_TEST;

/* A session the server ends in the middle of speech (session_expired,
 * then close 1001) is followed by a new one that hears that speech whole,
 * without a warning. */
GST_START_TEST (test_session_expires_mid_speech)
{
  static const Part speech_start[] = { {0.3, FALSE}, {1.5, TRUE} };
  static const Part speech_end[] = { {0.3, TRUE}, {1.0, FALSE} };
  Fixture f = { 0, };
  RealtimeTestServer *server = start_server (0);
  FixtureOptions options = { server, 0, NULL, NULL, NULL,
    "min-reconnect-delay=10"
  };
  guint64 offset = 0;
  GPtrArray *errors, *text;
  GArray *turns;
  RealtimeTestTurn *heard;
  gchar *got;

  realtime_test_server_set_session_lifetime_ms (server, 1000);
  start_live_with (&f, &options);
  /* speech that has not ended when the session does */
  fail_unless_equals_int (push_parts (&f, speech_start,
          G_N_ELEMENTS (speech_start), &offset), GST_FLOW_OK);
  fail_unless (fixture_wait_message (&f, "realtime-connection", "state",
          "connected", 2, WAIT_MS));
  fail_unless_equals_int (push_parts (&f, speech_end,
          G_N_ELEMENTS (speech_end), &offset), GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  assert_eos (&f);

  /* a slow machine (valgrind) may renew before the server's VAD says the
   * speech started: then the session ends by renewal, not expiry */
  errors = fixture_messages (&f, "realtime-error");
  fail_unless (errors->len <= 1);
  if (errors->len == 1)
    fail_unless_equals_string (gst_structure_get_string (g_ptr_array_index
            (errors, 0), "code"), "session_expired");
  fail_unless_equals_int (g_atomic_int_get (&f.n_warnings), 0);
  /* the new session heard all 1.8 s of it, and answered on its start */
  turns = realtime_test_server_get_turns (server);
  fail_unless_equals_int (turns->len, 1);
  heard = &g_array_index (turns, RealtimeTestTurn, 0);
  fail_unless (heard->audio_end_ms - heard->audio_start_ms >= 1750);
  text = collect (f.text_sink);
  got = text_between (text, 0, GST_CLOCK_TIME_NONE);
  fail_unless_equals_string (g_strstrip (got), "Reply to turn 1.");
  fail_unless (((Output *) g_ptr_array_index (text, 0))->pts <=
      300 * GST_MSECOND);

  g_free (got);
  g_ptr_array_unref (text);
  g_array_unref (turns);
  g_ptr_array_unref (errors);
  fixture_teardown (&f);
}

GST_END_TEST;

/* Holds the session thread where a connection has ended (its epoch moved
 * on) and the element has not heard of it yet, while the test pushes
 * audio: the window in which audio once went to the wrong connection. */
typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean armed, held, released;
  guint buffers;                /* seen by the element's sink pad */
} CloseHold;

static CloseHold close_hold;

static void
hold_close_log (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  if (level != GST_LEVEL_INFO
      || strcmp (gst_debug_category_get_name (category), "realtimesession")
      || !g_str_has_prefix (gst_debug_message_get (message), "connection over"))
    return;
  g_mutex_lock (&close_hold.lock);
  if (close_hold.armed) {
    close_hold.armed = FALSE;
    close_hold.held = TRUE;
    g_cond_broadcast (&close_hold.cond);
    while (!close_hold.released
        && g_cond_wait_until (&close_hold.cond, &close_hold.lock, deadline));
  }
  g_mutex_unlock (&close_hold.lock);
}

static GstPadProbeReturn
count_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  g_mutex_lock (&close_hold.lock);
  close_hold.buffers++;
  g_cond_broadcast (&close_hold.cond);
  g_mutex_unlock (&close_hold.lock);
  return GST_PAD_PROBE_OK;
}

static gboolean
wait_close_hold (gboolean * flag, guint * count, guint min_count)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  gboolean ok = TRUE;

  g_mutex_lock (&close_hold.lock);
  while (ok && (flag ? !*flag : *count < min_count))
    ok = g_cond_wait_until (&close_hold.cond, &close_hold.lock, deadline);
  g_mutex_unlock (&close_hold.lock);
  return ok;
}

/* The first text of each of @n turns starts on its tone (the VAD's prefix
 * padding puts it up to 300 ms before), and says one transcript. */
static void
assert_transcripts_on_tones (GPtrArray * text, guint n)
{
  guint k, i;

  assert_monotonic (text);
  for (k = 0; k < n; k++) {
    GstClockTime from = TONE_START (k) - 500 * GST_MSECOND;
    GstClockTime to = TONE_START (k + 1) - 500 * GST_MSECOND;
    gchar *got = text_between (text, from, to);

    fail_unless (g_regex_match_simple ("^Transcript of turn \\d+\\.$", got,
            0, 0), "turn %u got '%s'", k + 1, got);
    for (i = 0; i < text->len; i++) {
      Output *out = g_ptr_array_index (text, i);

      if (out->pts < from || out->pts >= to)
        continue;
      fail_unless (out->pts + 300 * GST_MSECOND >= TONE_START (k)
          && out->pts <= TONE_START (k) + 50 * GST_MSECOND,
          "turn %u stamped %" GST_TIME_FORMAT ", its tone at %"
          GST_TIME_FORMAT, k + 1, GST_TIME_ARGS (out->pts),
          GST_TIME_ARGS (TONE_START (k)));
      break;
    }
    g_free (got);
  }
}

/* Audio that comes after the connection has ended, before the element has
 * seen it end, was stamped for that connection: it goes to the next one
 * once, with the rest of what the server had not settled, and not also
 * ahead of it (the next session would hear it twice and every position
 * it gives would be late). */
GST_START_TEST (test_audio_at_close_sent_once)
{
  static const Part before_tone[] = { {0.5, FALSE}, {0.3, TRUE} };
  static const Part rest[] = { {0.3, TRUE}, {1.0, FALSE} };
  Fixture f = { 0, };
  GstPad *sinkpad;
  GArray *turns;
  GPtrArray *text;
  guint64 offset = 0;
  guint n_window = 0, i;

  fixture_setup (&f, 0, "session-type=transcription min-reconnect-delay=10");
  fixture_watch_server_events (&f);
  g_object_set (f.appsrc, "is-live", TRUE, NULL);
  sinkpad = gst_element_get_static_pad (f.ai, "sink");
  gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER, count_buffer, NULL,
      NULL);
  gst_object_unref (sinkpad);
  fail_unless (gst_element_set_state (f.pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless (fixture_wait_message (&f, "realtime-connection", "state",
          "connected", 1, WAIT_MS));
  fail_unless_equals_int (push_parts (&f, turn, G_N_ELEMENTS (turn),
          &offset), GST_FLOW_OK);
  fail_unless (fixture_wait_server_event (&f,
          "conversation.item.input_audio_transcription.completed", 1, WAIT_MS));

  /* reset under its lock: the sink pad's probe takes it already */
  g_mutex_lock (&close_hold.lock);
  close_hold.held = close_hold.released = FALSE;
  close_hold.buffers = 0;
  close_hold.armed = TRUE;
  g_mutex_unlock (&close_hold.lock);
  gst_debug_set_active (TRUE);
  gst_debug_set_threshold_for_name ("realtimesession", GST_LEVEL_INFO);
  gst_debug_add_log_function (hold_close_log, NULL, NULL);
  realtime_test_server_drop_connections (f.server, 1001);
  fail_unless (wait_close_hold (&close_hold.held, NULL, 0));

  /* the session thread waits while the element takes this audio (all
   * but the last buffer, whose probe is all the test can wait for) */
  g_mutex_lock (&close_hold.lock);
  close_hold.buffers = 0;
  g_mutex_unlock (&close_hold.lock);
  for (i = 0; i < G_N_ELEMENTS (before_tone); i++)
    n_window += (guint) (before_tone[i].seconds / 0.02 + 0.5);
  fail_unless_equals_int (push_parts (&f, before_tone,
          G_N_ELEMENTS (before_tone), &offset), GST_FLOW_OK);
  fail_unless (wait_close_hold (NULL, &close_hold.buffers, n_window));
  g_mutex_lock (&close_hold.lock);
  close_hold.released = TRUE;
  g_cond_broadcast (&close_hold.cond);
  g_mutex_unlock (&close_hold.lock);
  gst_debug_remove_log_function (hold_close_log);
  gst_debug_unset_threshold_for_name ("realtimesession");

  fail_unless (fixture_wait_message (&f, "realtime-connection", "state",
          "connected", 2, WAIT_MS));
  fail_unless_equals_int (push_parts (&f, rest, G_N_ELEMENTS (rest),
          &offset), GST_FLOW_OK);
  push_rest_and_end (&f, 1, &offset);

  /* three turns, each heard once */
  turns = realtime_test_server_get_turns (f.server);
  fail_unless_equals_int (turns->len, 3);
  text = collect (f.text_sink);
  assert_transcripts_on_tones (text, 3);
  fail_unless_equals_int (g_atomic_int_get (&f.n_warnings), 0);

  g_ptr_array_unref (text);
  g_array_unref (turns);
  fixture_teardown (&f);
}

GST_END_TEST;

/* ------------------------------------------------------------------ */
/* Closes and errors real servers send */

#define MISSING_AUTH "Missing bearer or basic authentication in header"

/* The connection ended without another attempt. */
static void
assert_not_retried (Fixture * f)
{
  fail_unless (fixture_wait_message (f, "realtime-connection", "state",
          "disconnected", 1, WAIT_MS));
  fail_unless_equals_int (fixture_wait_message (f, "realtime-connection",
          "state", "reconnecting", 1, 0), FALSE);
}

/* A running stream that the server ends with an `error` (@code, @message)
 * and close @close_code stops with @error_code, whose text holds
 * @fragment, and never reconnects. */
static void
check_stops_mid_stream (const gchar * code, const gchar * message,
    guint close_code, gint error_code, const gchar * fragment)
{
  Fixture f = { 0, };
  guint64 offset = 0;

  start_live (&f, 0, "min-reconnect-delay=10");
  push_answered (&f, 1, &offset, 1);
  realtime_test_server_error_connections (f.server, code, message, close_code);
  assert_error (&f, GST_RESOURCE_ERROR, error_code, fragment);
  assert_not_retried (&f);
  fail_unless_equals_int (realtime_test_server_get_connection_count
      (f.server), 1);
  fixture_teardown (&f);
}

/* How OpenAI answers a key the handshake let through (the api-key header,
 * say): an `error` with code null, then close 3000. In the server's
 * words, and not retried, even mid-stream. */
GST_START_TEST (test_auth_error_and_close_3000)
{
  check_stops_mid_stream (NULL, MISSING_AUTH, 3000,
      GST_RESOURCE_ERROR_NOT_AUTHORIZED, MISSING_AUTH);
}

GST_END_TEST;

/* Close 3000 is "Unauthorized" whatever the error before it said, and the
 * error says what the server said. */
GST_START_TEST (test_close_3000_in_servers_words)
{
  check_stops_mid_stream (NULL, "The session was ended by the server.", 3000,
      GST_RESOURCE_ERROR_NOT_AUTHORIZED,
      "The session was ended by the server.");
}

GST_END_TEST;

/* The authentication error is enough: the element does not wait for a
 * close that may not come. */
GST_START_TEST (test_auth_error_without_close)
{
  Fixture f = { 0, };
  guint64 offset = 0;

  start_live (&f, 0, NULL);
  push_answered (&f, 1, &offset, 1);
  realtime_test_server_error_connections (f.server, NULL, MISSING_AUTH, 0);
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED,
      MISSING_AUTH);
  fixture_teardown (&f);
}

GST_END_TEST;

/* The api-key header sent to OpenAI, at the first connection. */
GST_START_TEST (test_api_key_header_at_openai)
{
  Fixture f = { 0, };

  fixture_setup (&f, REALTIME_TEST_FAULT_BEARER_ONLY, "auth=api-key");
  play_and_push (&f, three_turns, 1);
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED,
      "api-key and auth properties");
  fixture_teardown (&f);
}

GST_END_TEST;

#define BETA_FIX "set the protocol property to ga"

/* protocol=beta against the GA service: beta_api_shape_disabled and
 * close 4000 say what to change. */
GST_START_TEST (test_beta_on_ga_service)
{
  Fixture f = { 0, };

  fixture_setup (&f, REALTIME_TEST_FAULT_GA_ONLY, "protocol=beta");
  play_and_push (&f, three_turns, 1);
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS, BETA_FIX);
  fixture_teardown (&f);
}

GST_END_TEST;

GST_START_TEST (test_beta_disabled_mid_stream)
{
  check_stops_mid_stream ("beta_api_shape_disabled",
      "The beta Realtime API shape is no longer supported.", 4000,
      GST_RESOURCE_ERROR_SETTINGS, BETA_FIX);
}

GST_END_TEST;

/* ------------------------------------------------------------------ */
/* Servers that accept but never start, handshakes that say "later" */

#define NOT_STARTED "did not start a session within 1 s"

static void
assert_not_started_at_start (RealtimeTestStall stall)
{
  Fixture f = { 0, };
  RealtimeTestServer *server = start_server (0);
  FixtureOptions options = { server, 0, NULL, NULL, NULL,
    "connect-timeout=1"
  };

  realtime_test_server_stall_connections (server, 1, stall);
  fixture_setup_with (&f, &options);
  play_and_push (&f, three_turns, 1);
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
      NOT_STARTED);
  assert_not_retried (&f);
  fixture_teardown (&f);
}

GST_START_TEST (test_never_created_at_start)
{
  assert_not_started_at_start (REALTIME_TEST_STALL_BEFORE_CREATED);
}

GST_END_TEST;

GST_START_TEST (test_update_unanswered_at_start)
{
  assert_not_started_at_start (REALTIME_TEST_STALL_BEFORE_UPDATED);
}

GST_END_TEST;

/* A live source not started yet sends no caps: the session starts all the
 * same, and no start timer runs out while the pipeline waits in PAUSED. */
GST_START_TEST (test_start_waits_for_caps)
{
  Fixture f = { 0, };
  guint64 offset = 0;

  fixture_setup (&f, 0, "connect-timeout=1");
  fixture_watch_server_events (&f);
  g_object_set (f.appsrc, "is-live", TRUE, NULL);
  /* a live source sends nothing, caps included, before PLAYING */
  fail_unless_equals_int (gst_element_set_state (f.pipeline,
          GST_STATE_PAUSED), GST_STATE_CHANGE_NO_PREROLL);
  fail_unless (fixture_wait_server_event (&f, "session.created", 1, WAIT_MS));
  /* more than connect-timeout without caps, and the connection stays */
  fail_if (fixture_wait_message (&f, "realtime-connection", "state",
          "disconnected", 1, 1500));
  fail_if (fixture_wait_message (&f, "realtime-connection", "state",
          "reconnecting", 1, 0));
  fail_unless (gst_element_set_state (f.pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  push_rest_and_end (&f, 1, &offset);
  assert_replies_on_turns (&f, 1);
  fail_unless_equals_int (realtime_test_server_get_connection_count
      (f.server), 1);
  fixture_teardown (&f);
}

GST_END_TEST;

/* A reconnection that opens and starts no session is a failed attempt:
 * the next one follows, and the audio of the outage waits for it. */
static void
assert_not_started_mid_stream (RealtimeTestStall stall)
{
  Fixture f = { 0, };
  guint64 offset = 0;
  GPtrArray *states;
  const gchar *reason;

  start_live (&f, 0, "connect-timeout=1 min-reconnect-delay=10");
  push_answered (&f, 1, &offset, 1);
  realtime_test_server_stall_connections (f.server, 1, stall);
  realtime_test_server_drop_connections (f.server, 1011);
  fail_unless (fixture_wait_message (&f, "realtime-connection", "state",
          "reconnecting", 1, WAIT_MS));
  fail_unless_equals_int (push_parts (&f, turn, G_N_ELEMENTS (turn),
          &offset), GST_FLOW_OK);
  fail_unless (fixture_wait_message (&f, "realtime-connection", "state",
          "connected", 2, WAIT_MS));
  push_rest_and_end (&f, 0, &offset);

  assert_replies_on_turns (&f, 2);
  fail_unless_equals_int (realtime_test_server_get_connection_count
      (f.server), 3);
  states = fixture_messages (&f, "realtime-connection");
  /* connecting, connected, reconnecting 1 and 2, connected */
  fail_unless_equals_int (states->len, 5);
  fail_unless_equals_string (connection_state (states, 3), "reconnecting");
  reason = gst_structure_get_string (g_ptr_array_index (states, 3), "reason");
  fail_unless (strstr (reason, "started no session within 1 s"), "%s", reason);
  g_ptr_array_unref (states);
  fixture_teardown (&f);
}

GST_START_TEST (test_never_created_mid_stream)
{
  assert_not_started_mid_stream (REALTIME_TEST_STALL_BEFORE_CREATED);
}

GST_END_TEST;

GST_START_TEST (test_update_unanswered_mid_stream)
{
  assert_not_started_mid_stream (REALTIME_TEST_STALL_BEFORE_UPDATED);
}

GST_END_TEST;

/* A first connection refused as busy fails at once, the status in the
 * message. */
GST_START_TEST (test_busy_at_start_fails_fast)
{
  Fixture f = { 0, };
  RealtimeTestServer *server = start_server (0);
  FixtureOptions options = { server, 0, NULL, NULL, NULL, NULL };

  realtime_test_server_refuse_connections (server, 1, 503);
  fixture_setup_with (&f, &options);
  play_and_push (&f, three_turns, 1);
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
      "unavailable (HTTP 503)");
  assert_not_retried (&f);
  fixture_teardown (&f);
}

GST_END_TEST;

/* With retry-at-start the first connection retries what may pass: a 503,
 * then a server that starts no session. */
GST_START_TEST (test_retry_at_start)
{
  Fixture f = { 0, };
  RealtimeTestServer *server = start_server (0);
  FixtureOptions options = { server, 0, NULL, NULL, NULL,
    "retry-at-start=true connect-timeout=1 min-reconnect-delay=10"
  };
  GPtrArray *states;
  guint64 offset = 0;

  realtime_test_server_refuse_connections (server, 1, 503);
  realtime_test_server_stall_connections (server, 1,
      REALTIME_TEST_STALL_BEFORE_CREATED);
  start_live_with (&f, &options);
  push_rest_and_end (&f, 1, &offset);

  assert_replies_on_turns (&f, 1);
  states = fixture_messages (&f, "realtime-connection");
  /* connecting, reconnecting 1 and 2, connected */
  fail_unless_equals_int (states->len, 4);
  fail_unless_equals_string (connection_state (states, 1), "reconnecting");
  fail_unless_equals_string (connection_state (states, 2), "reconnecting");
  fail_unless_equals_string (connection_state (states, 3), "connected");
  g_ptr_array_unref (states);
  fixture_teardown (&f);
}

GST_END_TEST;

/* Retry-After @seconds from now, as delta-seconds or as an HTTP date; made
 * at the refusal, so that a slow set-up (valgrind) does not eat into it. */
static gchar *
retry_after_value (guint seconds, gboolean as_date)
{
  GDateTime *now, *then;
  gchar *value;

  if (!as_date)
    return g_strdup_printf ("%u", seconds);
  now = g_date_time_new_now_utc ();
  then = g_date_time_add_seconds (now, seconds);
  value = g_date_time_format (then, "%a, %d %b %Y %H:%M:%S GMT");
  g_date_time_unref (then);
  g_date_time_unref (now);
  return value;
}

/* The reconnection after a refusal with a Retry-After of @seconds waits
 * for it: returns the delay-ms the element announced. */
static guint
reconnect_delay_after (guint seconds, gboolean as_date, guint status)
{
  Fixture f = { 0, };
  guint64 offset = 0;
  GPtrArray *states;
  guint delay = 0;
  const gchar *reason;
  gchar *code = g_strdup_printf ("HTTP %u", status);
  gchar *retry_after;

  start_live (&f, 0, "min-reconnect-delay=10");
  push_answered (&f, 1, &offset, 1);
  retry_after = retry_after_value (seconds, as_date);
  realtime_test_server_set_retry_after (f.server, retry_after);
  g_free (retry_after);
  realtime_test_server_refuse_connections (f.server, 1, status);
  realtime_test_server_drop_connections (f.server, 1011);
  fail_unless (fixture_wait_message (&f, "realtime-connection", "state",
          "connected", 2, WAIT_MS));
  push_rest_and_end (&f, 0, &offset);

  states = fixture_messages (&f, "realtime-connection");
  /* connecting, connected, reconnecting 1 and 2, connected */
  fail_unless_equals_int (states->len, 5);
  gst_structure_get_uint (g_ptr_array_index (states, 3), "delay-ms", &delay);
  reason = gst_structure_get_string (g_ptr_array_index (states, 3), "reason");
  fail_unless (strstr (reason, code), "%s", reason);
  g_free (code);
  g_ptr_array_unref (states);
  fixture_teardown (&f);
  return delay;
}

GST_START_TEST (test_retry_after_seconds)
{
  fail_unless_equals_int (reconnect_delay_after (1, FALSE, 429), 1000);
}

GST_END_TEST;

GST_START_TEST (test_retry_after_date)
{
  guint delay = reconnect_delay_after (3, TRUE, 502);

  /* the date has whole seconds; the backoff alone would be 10 ms */
  fail_unless (delay > 1000 && delay <= 3000, "delay %u ms", delay);
}

GST_END_TEST;

/* A 4xx other than 429 is no outage: a reconnection refused so stops. */
GST_START_TEST (test_client_error_on_reconnect_stops)
{
  check_refused_on_reconnect ("min-reconnect-delay=10 max-reconnect-delay=20",
      1011, 404, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
      "did not accept a Realtime session");
}

GST_END_TEST;

static Suite *
reconnect_suite (void)
{
  Suite *s = suite_create ("reconnect");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_reconnect_after_network_drop);
  tcase_add_test (tc, test_speech_across_drop);
  tcase_add_test (tc, test_outage_audio_is_kept);
  tcase_add_test (tc, test_timeline_across_outage);
  tcase_add_test (tc, test_outage_past_bound_warns);
  tcase_add_test (tc, test_fatal_close_stops);
  tcase_add_test (tc, test_gives_up_after_attempts);
  tcase_add_test (tc, test_key_refused_on_reconnect);
  tcase_add_test (tc, test_file_input_waits_for_reconnect);
  tcase_add_test (tc, test_file_silence_past_bound);
  tcase_add_test (tc, test_session_renewed_before_expiry);
  tcase_add_test (tc, test_session_expires_mid_speech);
  tcase_add_test (tc, test_audio_at_close_sent_once);
  tcase_add_test (tc, test_auth_error_and_close_3000);
  tcase_add_test (tc, test_close_3000_in_servers_words);
  tcase_add_test (tc, test_auth_error_without_close);
  tcase_add_test (tc, test_api_key_header_at_openai);
  tcase_add_test (tc, test_beta_on_ga_service);
  tcase_add_test (tc, test_beta_disabled_mid_stream);
  tcase_add_test (tc, test_never_created_at_start);
  tcase_add_test (tc, test_update_unanswered_at_start);
  tcase_add_test (tc, test_never_created_mid_stream);
  tcase_add_test (tc, test_update_unanswered_mid_stream);
  tcase_add_test (tc, test_start_waits_for_caps);
  tcase_add_test (tc, test_busy_at_start_fails_fast);
  tcase_add_test (tc, test_retry_at_start);
  tcase_add_test (tc, test_retry_after_seconds);
  tcase_add_test (tc, test_retry_after_date);
  tcase_add_test (tc, test_client_error_on_reconnect_stops);
  return s;
}

GST_CHECK_MAIN (reconnect);
