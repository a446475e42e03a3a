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

  /* the new session was configured and knows what was said */
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "session.update"), 2);
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
  push_answered (&f, 1, &offset, 1);
  /* the first attempt is refused: the outage lasts while turn 2 comes */
  realtime_test_server_refuse_connections (f.server, 1, 503);
  realtime_test_server_drop_connections (f.server, 1011);
  fail_unless (fixture_wait_message (&f, "realtime-connection", "state",
          "reconnecting", 1, WAIT_MS));
  fail_unless_equals_int (push_parts (&f, turn, G_N_ELEMENTS (turn),
          &offset), GST_FLOW_OK);
  fail_unless (fixture_wait_message (&f, "realtime-connection", "state",
          "connected", 2, WAIT_MS));
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

/* A key refused on reconnection is not retried. */
GST_START_TEST (test_key_refused_on_reconnect)
{
  Fixture f = { 0, };
  guint64 offset = 0;

  start_live (&f, 0, "min-reconnect-delay=10");
  push_answered (&f, 1, &offset, 1);
  realtime_test_server_refuse_connections (f.server, 100, 401);
  realtime_test_server_drop_connections (f.server, 0);
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED,
      NULL);
  fail_unless_equals_int (fixture_wait_message (&f, "realtime-connection",
          "state", "reconnecting", 2, 0), FALSE);
  fixture_teardown (&f);
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

static Suite *
reconnect_suite (void)
{
  Suite *s = suite_create ("reconnect");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_reconnect_after_network_drop);
  tcase_add_test (tc, test_speech_across_drop);
  tcase_add_test (tc, test_outage_audio_is_kept);
  tcase_add_test (tc, test_outage_past_bound_warns);
  tcase_add_test (tc, test_fatal_close_stops);
  tcase_add_test (tc, test_gives_up_after_attempts);
  tcase_add_test (tc, test_key_refused_on_reconnect);
  tcase_add_test (tc, test_file_input_waits_for_reconnect);
  tcase_add_test (tc, test_file_silence_past_bound);
  tcase_add_test (tc, test_session_renewed_before_expiry);
  tcase_add_test (tc, test_session_expires_mid_speech);
  return s;
}

GST_CHECK_MAIN (reconnect);
