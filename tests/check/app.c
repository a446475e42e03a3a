/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What applications see and drive: tools and function calls, raw server
 * and client events, and the element messages on the bus. */

#include "realtimefixture.h"

static const Part one_turn[] = { {0.5, FALSE}, {0.6, TRUE}, {1.0, FALSE} };

#define MEETING_TOOL "[{\"type\":\"function\",\"name\":\"create_meeting\"," \
    "\"description\":\"Books a meeting\",\"parameters\":{\"type\":\"object\"," \
    "\"properties\":{\"title\":{\"type\":\"string\"}}}}]"

GST_START_TEST (test_invalid_tools_are_refused)
{
  GstElement *ai = gst_element_factory_make ("realtimeai", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  gchar *tools;

  gst_element_set_bus (ai, bus);
  g_object_set (ai, "tools", MEETING_TOOL, NULL);
  g_object_set (ai, "tools", "[{\"type\":\"function\"}]", NULL);
  g_object_get (ai, "tools", &tools, NULL);
  fail_unless_equals_string (tools, MEETING_TOOL);

  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL, "no warning for invalid tools");
  gst_message_unref (msg);

  g_free (tools);
  gst_element_set_bus (ai, NULL);
  gst_object_unref (bus);
  gst_object_unref (ai);
}

GST_END_TEST;

typedef struct
{
  Fixture *f;
  GMutex lock;
  GPtrArray *calls;             /* "name call_id arguments" */
} Calls;

static void
on_function_call (GstElement * ai, const gchar * name, const gchar * call_id,
    const gchar * arguments, Calls * calls)
{
  gchar *output = g_strdup_printf ("{\"booked\":\"%s\"}", call_id);
  gboolean ok = FALSE;

  g_mutex_lock (&calls->lock);
  g_ptr_array_add (calls->calls, g_strdup_printf ("%s %s %s", name, call_id,
          arguments));
  g_mutex_unlock (&calls->lock);
  /* answering from the handler itself must work */
  g_signal_emit_by_name (ai, "function-call-output", call_id, output, &ok);
  fail_unless (ok);
  g_free (output);
}

/* A text session whose server calls the tool @n_calls times per turn,
 * each call answered from the function-call signal. */
static void
setup_calls (Fixture * f, Calls * calls, guint n_calls)
{
  FixtureOptions options = { 0, };

  options.server = start_server (0);
  realtime_test_server_set_function_calls (options.server, n_calls);
  options.props = "output-modalities=text";
  fixture_setup_with (f, &options);
  g_object_set (f->ai, "tools", MEETING_TOOL, NULL);
  g_mutex_init (&calls->lock);
  calls->calls = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->ai, "function-call", G_CALLBACK (on_function_call),
      calls);
}

static void
teardown_calls (Fixture * f, Calls * calls)
{
  g_ptr_array_unref (calls->calls);
  g_mutex_clear (&calls->lock);
  fixture_teardown (f);
}

/* Two calls in one response, answered from the signal: the server gets
 * both outputs, then one response.create, and answers with both. */
GST_START_TEST (test_function_calls)
{
  Fixture f = { 0, };
  Calls calls = { &f, };
  GPtrArray *text, *messages;
  gchar *all, *call;

  setup_calls (&f, &calls, 2);
  g_object_set (f.ai, "tool-choice", "create_meeting", NULL);
  run_parts (&f, one_turn, G_N_ELEMENTS (one_turn));

  fail_unless_equals_int (calls.calls->len, 2);
  call = g_ptr_array_index (calls.calls, 0);
  fail_unless (g_str_has_prefix (call, "create_meeting call_1_1 {"),
      "got %s", call);
  fail_unless (strstr (call, "\"title\":\"Turn 1\""), "got %s", call);
  messages = fixture_messages (&f, "realtime-function-call");
  fail_unless_equals_int (messages->len, 2);
  fail_unless_equals_string (gst_structure_get_string (g_ptr_array_index
          (messages, 1), "call-id"), "call_1_2");

  /* one request for the turn (non-live input), one follow-up after both
   * outputs */
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "conversation.item.create"), 2);
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "response.create"), 2);
  assert_client_event_value (f.server, "session.update",
      "$.session.tools[0].name", "create_meeting");
  assert_client_event_value (f.server, "session.update",
      "$.session.tool_choice.name", "create_meeting");
  assert_client_event_value (f.server, "conversation.item.create",
      "$.item.output", "{\"booked\":\"call_1_1\"}");
  text = collect (f.text_sink);
  all = all_text (text);
  fail_unless_equals_string (all,
      "Done: {\"booked\":\"call_1_1\"} | {\"booked\":\"call_1_2\"}\n");
  assert_client_events_valid (f.server, "function-calls");

  g_free (all);
  g_ptr_array_unref (text);
  g_ptr_array_unref (messages);
  teardown_calls (&f, &calls);
}

GST_END_TEST;

/* A call in every turn: the server's own response to the next turn and
 * the element's follow-up request for the last call must not be mistaken
 * for each other, or the last answer is lost at EOS. */
GST_START_TEST (test_function_call_in_every_turn)
{
  Fixture f = { 0, };
  Calls calls = { &f, };
  GPtrArray *text;
  gchar *all, *booked;
  guint turn;

  setup_calls (&f, &calls, 1);
  run_parts (&f, three_turns, N_THREE_TURNS);

  fail_unless_equals_int (calls.calls->len, 3);
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "conversation.item.create"), 3);
  text = collect (f.text_sink);
  all = all_text (text);
  /* every output came back in a reply (the server may take two at once
   * when a turn ends before the previous reply is done); the last one
   * before EOS */
  fail_unless (g_str_has_prefix (all, "Done: "), "got '%s'", all);
  /* the last line ends with the last output */
  fail_unless (g_str_has_suffix (all, "{\"booked\":\"call_3_1\"}\n"),
      "got '%s'", all);
  for (turn = 1; turn <= 3; turn++) {
    booked = g_strdup_printf ("{\"booked\":\"call_%u_1\"}", turn);
    fail_unless (strstr (all, booked), "'%s' missing from '%s'", booked, all);
    g_free (booked);
  }
  g_free (all);
  g_ptr_array_unref (text);
  teardown_calls (&f, &calls);
}

GST_END_TEST;

/* A call nobody answers must not keep EOS from draining. */
GST_START_TEST (test_unanswered_call_does_not_hang)
{
  Fixture f = { 0, };
  FixtureOptions options = { 0, };

  options.server = start_server (0);
  realtime_test_server_set_function_calls (options.server, 1);
  options.props = "output-modalities=text drain-timeout=5000";
  fixture_setup_with (&f, &options);
  g_object_set (f.ai, "tools", MEETING_TOOL, NULL);
  run_parts (&f, one_turn, G_N_ELEMENTS (one_turn));
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "conversation.item.create"), 0);
  /* drained without waiting for the timeout */
  fail_unless_equals_int (g_atomic_int_get (&f.n_warnings), 0);
  fixture_teardown (&f);
}

GST_END_TEST;

static gint64
message_int64 (GstStructure * s, const gchar * field)
{
  gint64 value = -1;

  fail_unless (gst_structure_get_int64 (s, field, &value), "no %s in %"
      GST_PTR_FORMAT, field, s);
  return value;
}

GST_START_TEST (test_usage_and_rate_limit_messages)
{
  Fixture f = { 0, };
  GPtrArray *done, *limits;
  GstStructure *s;

  fixture_setup (&f, 0, "output-modalities=text");
  run_parts (&f, one_turn, G_N_ELEMENTS (one_turn));

  done = fixture_messages (&f, "realtime-response-done");
  fail_unless_equals_int (done->len, 1);
  s = g_ptr_array_index (done, 0);
  fail_unless_equals_string (gst_structure_get_string (s, "status"),
      "completed");
  /* "Reply to turn 1." is four words */
  fail_unless_equals_int64 (message_int64 (s, "output-tokens"), 4);
  fail_unless_equals_int64 (message_int64 (s, "total-tokens"),
      message_int64 (s, "input-tokens") + 4);

  limits = fixture_messages (&f, "realtime-rate-limits");
  fail_unless (limits->len >= 1);
  s = g_ptr_array_index (limits, 0);
  fail_unless_equals_int64 (message_int64 (s, "requests-limit"), 1000);
  fail_unless_equals_int64 (message_int64 (s, "tokens-limit"), 50000);

  g_ptr_array_unref (done);
  g_ptr_array_unref (limits);
  fixture_teardown (&f);
}

GST_END_TEST;

/* send-event sends raw client events; an error the server answers with
 * names the event, and a harmless one warns nobody. */
GST_START_TEST (test_send_event_and_server_events)
{
  Fixture f = { 0, };
  GPtrArray *errors;
  gboolean ok = TRUE;

  fixture_setup (&f, 0, "turn-detection=none");
  fixture_watch_server_events (&f);
  gst_element_set_state (f.pipeline, GST_STATE_PLAYING);
  fail_unless (fixture_wait_server_event (&f, "session.updated", 1, 10000));

  g_signal_emit_by_name (f.ai, "send-event", "[1,2]", &ok);
  fail_if (ok);
  g_signal_emit_by_name (f.ai, "send-event",
      "{\"type\":\"response.cancel\",\"event_id\":\"app_1\"}", &ok);
  fail_unless (ok);
  fail_unless (fixture_wait_server_event (&f, "error", 1, 10000));
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  assert_eos (&f);

  errors = fixture_messages (&f, "realtime-error");
  fail_unless_equals_int (errors->len, 1);
  fail_unless_equals_string (gst_structure_get_string (g_ptr_array_index
          (errors, 0), "code"), "response_cancel_not_active");
  fail_unless_equals_string (gst_structure_get_string (g_ptr_array_index
          (errors, 0), "event-id"), "app_1");
  /* only the refused "[1,2]" warned */
  fail_unless_equals_int (g_atomic_int_get (&f.n_warnings), 1);
  fail_unless (fixture_wait_server_event (&f, "session.created", 1, 0));
  g_ptr_array_unref (errors);
  fixture_teardown (&f);
}

GST_END_TEST;

static Suite *
app_suite (void)
{
  Suite *s = suite_create ("app");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_invalid_tools_are_refused);
  tcase_add_test (tc, test_function_calls);
  tcase_add_test (tc, test_function_call_in_every_turn);
  tcase_add_test (tc, test_unanswered_call_does_not_hang);
  tcase_add_test (tc, test_usage_and_rate_limit_messages);
  tcase_add_test (tc, test_send_event_and_server_events);
  return s;
}

GST_CHECK_MAIN (app);
