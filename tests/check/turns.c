/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Turn control: turn detection settings, push-to-talk, response requests
 * and their arbitration, cancel and clear. */

#include "realtimefixture.h"

static const Part one_turn[] = { {0.5, FALSE}, {0.6, TRUE}, {1.0, FALSE} };
static const Part speech_only[] = { {0.2, FALSE}, {0.6, TRUE} };

#define TURN_DETECTION "$.session.audio.input.turn_detection"

GST_START_TEST (test_server_vad_settings)
{
  static const gchar *expected[][2] = {
    {TURN_DETECTION ".type", "server_vad"},
    {TURN_DETECTION ".threshold", "0.69999999999999996"},
    {TURN_DETECTION ".prefix_padding_ms", "200"},
    {TURN_DETECTION ".silence_duration_ms", "800"},
    {TURN_DETECTION ".idle_timeout_ms", "6000"},
    {TURN_DETECTION ".create_response", "true"},
    {TURN_DETECTION ".interrupt_response", "false"},
  };
  Fixture f = { 0, };
  guint i;

  fixture_setup (&f, 0, "vad-threshold=0.7 prefix-padding=200 "
      "silence-duration=800 idle-timeout=6000 interrupt-response=false");
  /* live: with a file the element would turn create-response off */
  g_object_set (f.appsrc, "is-live", TRUE, NULL);
  run_parts (&f, one_turn, G_N_ELEMENTS (one_turn));
  for (i = 0; i < G_N_ELEMENTS (expected); i++)
    assert_client_event_value (f.server, "session.update", expected[i][0],
        expected[i][1]);
  assert_client_events_valid (f.server, "server-vad-settings");
  fixture_teardown (&f);
}

GST_END_TEST;

GST_START_TEST (test_semantic_vad_settings)
{
  Fixture f = { 0, };
  GPtrArray *text;
  gchar *all;

  fixture_setup (&f, 0, "turn-detection=semantic-vad eagerness=high");
  run_parts (&f, three_turns, N_THREE_TURNS);
  assert_client_event_value (f.server, "session.update",
      TURN_DETECTION ".type", "semantic_vad");
  assert_client_event_value (f.server, "session.update",
      TURN_DETECTION ".eagerness", "high");
  text = collect (f.text_sink);
  all = all_text (text);
  fail_unless_equals_string (all,
      "Reply to turn 1.\nReply to turn 2.\nReply to turn 3.\n");
  assert_client_events_valid (f.server, "semantic-vad");
  g_free (all);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_END_TEST;

GST_START_TEST (test_short_idle_timeout_is_raised)
{
  GstElement *ai = gst_element_factory_make ("realtimeai", NULL);
  guint idle_timeout;

  g_object_set (ai, "idle-timeout", 6000, NULL);
  g_object_get (ai, "idle-timeout", &idle_timeout, NULL);
  fail_unless_equals_int (idle_timeout, 6000);
  /* the server takes 5000 to 30000 ms only: a warning, and its minimum */
  g_object_set (ai, "idle-timeout", 1000, NULL);
  g_object_get (ai, "idle-timeout", &idle_timeout, NULL);
  fail_unless_equals_int (idle_timeout, 5000);
  /* 0 still means never */
  g_object_set (ai, "idle-timeout", 0, NULL);
  g_object_get (ai, "idle-timeout", &idle_timeout, NULL);
  fail_unless_equals_int (idle_timeout, 0);
  gst_object_unref (ai);
}

GST_END_TEST;

/* Push-to-talk: no VAD; the application commits and asks for the reply. */
GST_START_TEST (test_push_to_talk)
{
  Fixture f = { 0, };
  GPtrArray *text;
  gboolean ok = FALSE;
  gchar *all;

  fixture_setup (&f, 0, "turn-detection=none");
  gst_element_set_state (f.pipeline, GST_STATE_PLAYING);
  push_parts_and_wait (&f, speech_only, G_N_ELEMENTS (speech_only));
  g_signal_emit_by_name (f.ai, "commit");
  g_signal_emit_by_name (f.ai, "create-response", NULL, &ok);
  fail_unless (ok);
  fail_unless (realtime_test_server_wait_for_client_event (f.server,
          "response.create", 1, 10000));
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  assert_eos (&f);

  assert_client_event_value (f.server, "session.update",
      "$.session.audio.input.turn_detection", "null");
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "input_audio_buffer.commit"), 1);
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "response.create"), 1);
  text = collect (f.text_sink);
  all = all_text (text);
  fail_unless_equals_string (all, "Reply to turn 1.\n");
  /* stamped on the committed audio, which starts the stream */
  fail_unless_equals_uint64 (((Output *) g_ptr_array_index (text, 0))->pts, 0);
  assert_client_events_valid (f.server, "push-to-talk");
  g_free (all);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_END_TEST;

static guint
count_error_code (Fixture * f, const gchar * code)
{
  GPtrArray *errors = fixture_messages (f, "realtime-error");
  guint i, n = 0;

  for (i = 0; i < errors->len; i++)
    if (g_strcmp0 (gst_structure_get_string (g_ptr_array_index (errors, i),
                "code"), code) == 0)
      n++;
  g_ptr_array_unref (errors);
  return n;
}

static const gchar *
message_string (GPtrArray * messages, guint i, const gchar * field)
{
  return gst_structure_get_string (g_ptr_array_index (messages, i), field);
}

/* The app sees no metadata but its own: never the element's request tag. */
static void
assert_no_request_tag (Fixture * f)
{
  GPtrArray *done = fixture_messages (f, "realtime-response-done");
  guint i;

  fail_unless (done->len > 0);
  for (i = 0; i < done->len; i++)
    fail_if (strstr (GST_STR_NULL (message_string (done, i, "metadata")),
            "gst_realtime_request"), "the element's tag in %s",
        message_string (done, i, "metadata"));
  g_ptr_array_unref (done);
}

/* A second request while a response runs waits for it, so the server
 * never refuses it. */
GST_START_TEST (test_requests_are_queued_while_a_response_runs)
{
  Fixture f = { 0, };
  GPtrArray *text;
  gboolean ok = FALSE;
  gchar *all, *again;

  fixture_setup (&f, REALTIME_TEST_FAULT_SLOW,
      "turn-detection=none output-modalities=text");
  gst_element_set_state (f.pipeline, GST_STATE_PLAYING);
  push_parts_and_wait (&f, speech_only, G_N_ELEMENTS (speech_only));
  g_signal_emit_by_name (f.ai, "commit");
  g_signal_emit_by_name (f.ai, "create-response", NULL, &ok);
  g_signal_emit_by_name (f.ai, "create-response",
      "{\"instructions\":\"Again\"}", &ok);
  fail_unless (ok);
  fail_unless (realtime_test_server_wait_for_client_event (f.server,
          "response.create", 2, 15000));
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  assert_eos (&f);

  fail_unless_equals_int (count_error_code (&f,
          "conversation_already_has_active_response"), 0);
  fail_unless_equals_int (g_atomic_int_get (&f.n_warnings), 0);
  text = collect (f.text_sink);
  all = all_text (text);
  fail_unless (g_str_has_prefix (all, "Reply to turn 1.\n"), "got %s", all);
  fail_unless (strstr (all, ": Again"), "the second reply is missing: %s", all);
  again = client_event_value (f.server, "response.create", 1,
      "$.response.instructions");
  fail_unless_equals_string (again, "Again");
  g_free (again);
  assert_no_request_tag (&f);
  assert_client_events_valid (f.server, "queued-requests");
  g_free (all);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_END_TEST;

GST_START_TEST (test_out_of_band_response)
{
  Fixture f = { 0, };
  GPtrArray *text, *done;
  gboolean ok = FALSE;
  gchar *all;
  guint i;

  fixture_setup (&f, 0, "turn-detection=none");
  gst_element_set_state (f.pipeline, GST_STATE_PLAYING);
  push_parts_and_wait (&f, speech_only, G_N_ELEMENTS (speech_only));
  g_signal_emit_by_name (f.ai, "request-response",
      "{\"conversation\":\"none\",\"output_modalities\":[\"text\"],"
      "\"metadata\":{\"topic\":\"summary\"}}", &ok);
  fail_unless (ok);
  fail_unless (realtime_test_server_wait_for_client_event (f.server,
          "response.create", 1, 10000));
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  assert_eos (&f);

  text = collect (f.text_sink);
  all = all_text (text);
  fail_unless (strstr (all, "Out-of-band reply."), "got '%s'", all);
  assert_client_event_value (f.server, "response.create",
      "$.response.conversation", "none");
  assert_client_event_value (f.server, "response.create",
      "$.response.metadata.topic", "summary");
  done = fixture_messages (&f, "realtime-response-done");
  for (i = 0; i < done->len; i++)
    if (strstr (GST_STR_NULL (message_string (done, i, "metadata")), "summary"))
      break;
  fail_unless (i < done->len, "no response-done with the metadata");
  fail_unless_equals_string (message_string (done, i, "metadata"),
      "{\"topic\":\"summary\"}");
  assert_no_request_tag (&f);
  assert_client_events_valid (f.server, "out-of-band");
  g_ptr_array_unref (done);
  g_free (all);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_END_TEST;

GST_START_TEST (test_invalid_overrides_are_refused)
{
  Fixture f = { 0, };
  gboolean ok = TRUE;

  fixture_setup (&f, 0, "turn-detection=none");
  gst_element_set_state (f.pipeline, GST_STATE_PLAYING);
  g_signal_emit_by_name (f.ai, "create-response",
      "{\"conversation\":\"maybe\"}", &ok);
  fail_if (ok);
  fail_unless_equals_int (g_atomic_int_get (&f.n_warnings), 1);
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  assert_eos (&f);
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "response.create"), 0);
  fixture_teardown (&f);
}

GST_END_TEST;

GST_START_TEST (test_cancel_response)
{
  Fixture f = { 0, };
  GPtrArray *done;
  gboolean ok;
  gchar *response_id;

  fixture_setup (&f, REALTIME_TEST_FAULT_SLOW, "turn-detection=none");
  fixture_watch_server_events (&f);
  gst_element_set_state (f.pipeline, GST_STATE_PLAYING);
  push_parts_and_wait (&f, speech_only, G_N_ELEMENTS (speech_only));
  g_signal_emit_by_name (f.ai, "commit");
  g_signal_emit_by_name (f.ai, "create-response", NULL, &ok);
  /* the slow server pauses between deltas: cancel once it has started */
  fail_unless (fixture_wait_server_event (&f, "response.created", 1, 10000));
  g_signal_emit_by_name (f.ai, "cancel-response");
  fail_unless (fixture_wait_server_event (&f, "response.done", 1, 30000));
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  assert_eos (&f);

  done = fixture_messages (&f, "realtime-response-done");
  fail_unless_equals_int (done->len, 1);
  response_id = client_event_value (f.server, "response.cancel", 0,
      "$.response_id");
  fail_unless_equals_string (message_string (done, 0, "response-id"),
      response_id);
  fail_unless_equals_string (message_string (done, 0, "status"), "cancelled");
  assert_client_events_valid (f.server, "cancel");
  g_free (response_id);
  g_ptr_array_unref (done);
  fixture_teardown (&f);
}

GST_END_TEST;

GST_START_TEST (test_clear_input)
{
  Fixture f = { 0, };

  fixture_setup (&f, 0, "turn-detection=none");
  gst_element_set_state (f.pipeline, GST_STATE_PLAYING);
  push_parts_and_wait (&f, speech_only, G_N_ELEMENTS (speech_only));
  g_signal_emit_by_name (f.ai, "clear-input");
  fail_unless (realtime_test_server_wait_for_client_event (f.server,
          "input_audio_buffer.clear", 1, 10000));
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  assert_eos (&f);
  /* the cleared audio is not committed at EOS */
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "input_audio_buffer.commit"), 0);
  fixture_teardown (&f);
}

GST_END_TEST;

static Suite *
turns_suite (void)
{
  Suite *s = suite_create ("turns");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_server_vad_settings);
  tcase_add_test (tc, test_semantic_vad_settings);
  tcase_add_test (tc, test_short_idle_timeout_is_raised);
  tcase_add_test (tc, test_push_to_talk);
  tcase_add_test (tc, test_requests_are_queued_while_a_response_runs);
  tcase_add_test (tc, test_out_of_band_response);
  tcase_add_test (tc, test_invalid_overrides_are_refused);
  tcase_add_test (tc, test_cancel_response);
  tcase_add_test (tc, test_clear_input);
  return s;
}

GST_CHECK_MAIN (turns);
