/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Live timing against a test clock: the latency the element adds, text on
 * time on its speech, late text, and stamping on arrival. */

#include <gst/check/gsttestclock.h>

#include "realtimefixture.h"

static const Part one_turn[] = { {0.5, FALSE}, {0.6, TRUE}, {1.0, FALSE} };

/* A live appsrc on a test clock at @now_ms when the audio is pushed. */
static void
run_live (Fixture * f, const gchar * props, guint now_ms)
{
  FixtureOptions options = { 0, };
  GstClock *clock = gst_test_clock_new ();

  options.props = props;
  fixture_setup_with (f, &options);
  g_object_set (f->appsrc, "is-live", TRUE, NULL);
  gst_pipeline_use_clock (GST_PIPELINE (f->pipeline), clock);
  /* the base time is taken at 0 */
  gst_element_set_state (f->pipeline, GST_STATE_PLAYING);
  gst_test_clock_set_time (GST_TEST_CLOCK (clock), now_ms * GST_MSECOND);
  push_parts_and_wait (f, one_turn, G_N_ELEMENTS (one_turn));
  gst_app_src_end_of_stream (GST_APP_SRC (f->appsrc));
  assert_eos (f);
  gst_object_unref (clock);
}

static GstClockTime
first_text_pts (Fixture * f)
{
  GPtrArray *text = collect (f->text_sink);
  GstClockTime pts;

  fail_unless (text->len > 0, "no text");
  pts = ((Output *) g_ptr_array_index (text, 0))->pts;
  g_ptr_array_unref (text);
  return pts;
}

static GstClockTime
turn_start (Fixture * f)
{
  GArray *turns = server_turns (f, 1);
  GstClockTime start =
      ms_to_time (g_array_index (turns, RealtimeTestTurn, 0).audio_start_ms);

  g_array_unref (turns);
  return start;
}

static guint
max_observed_delay (Fixture * f)
{
  guint delay;

  g_object_get (f->ai, "max-observed-delay", &delay, NULL);
  return delay;
}

GST_START_TEST (test_text_within_latency_is_on_the_speech)
{
  Fixture f = { 0, };

  /* the reply comes 3 s into the stream, within 8 s of its speech */
  run_live (&f, "output-modalities=text latency=8000", 3000);
  fail_unless_equals_uint64 (first_text_pts (&f), turn_start (&f));
  fail_unless_equals_int (max_observed_delay (&f), 0);
  fail_unless_equals_int (g_atomic_int_get (&f.n_warnings), 0);
  fixture_teardown (&f);
}

GST_END_TEST;

GST_START_TEST (test_late_text_is_pushed_with_a_warning)
{
  Fixture f = { 0, };
  GstClockTime start;

  /* the reply comes 5 s into the stream, later than 1 s after its speech */
  run_live (&f, "output-modalities=text latency=1000", 5000);
  start = turn_start (&f);
  /* as late as it has to be: shown right away, 1 s behind the clock */
  fail_unless_equals_uint64 (first_text_pts (&f), 4000 * GST_MSECOND);
  fail_unless_equals_int (max_observed_delay (&f),
      (5000 * GST_MSECOND - start) / GST_MSECOND);
  fail_unless (g_atomic_int_get (&f.n_warnings) >= 1);
  fixture_teardown (&f);
}

GST_END_TEST;

GST_START_TEST (test_latency_minus_one_stamps_on_arrival)
{
  Fixture f = { 0, };

  run_live (&f, "output-modalities=text latency=-1 lateness=250", 5000);
  fail_unless_equals_uint64 (first_text_pts (&f), 5250 * GST_MSECOND);
  fixture_teardown (&f);
}

GST_END_TEST;

static GstClockTime
query_min_latency (GstElement * ai, gboolean * live)
{
  GstPad *pad = gst_element_get_static_pad (ai, "text_src");
  GstQuery *query = gst_query_new_latency ();
  GstClockTime min;

  fail_unless (gst_pad_query (pad, query));
  gst_query_parse_latency (query, live, &min, NULL);
  gst_query_unref (query);
  gst_object_unref (pad);
  return min;
}

/* Live upstream: its latency plus ours, answered in PAUSED before any
 * connection (the URL goes nowhere); non-live: as it is. */
GST_START_TEST (test_latency_query)
{
  GstElement *pipeline = gst_parse_launch ("appsrc is-live=true format=time "
      "caps=audio/x-raw,rate=24000,channels=1,format=S16LE ! "
      "realtimeai name=ai url=ws://127.0.0.1:9/v1/realtime latency=3000 ! "
      "fakesink " "ai.text_src ! fakesink", NULL);
  GstElement *ai = gst_bin_get_by_name (GST_BIN (pipeline), "ai");
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  gboolean live = FALSE;

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PAUSED),
      GST_STATE_CHANGE_NO_PREROLL);
  fail_unless_equals_uint64 (query_min_latency (ai, &live), 3000 * GST_MSECOND);
  fail_unless (live);

  /* a new latency tells the pipeline */
  g_object_set (ai, "latency", 5000, NULL);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_LATENCY);
  fail_unless (msg != NULL, "no latency message");
  gst_message_unref (msg);
  fail_unless_equals_uint64 (query_min_latency (ai, &live), 5000 * GST_MSECOND);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (ai);
  gst_object_unref (pipeline);

  pipeline = gst_parse_launch ("appsrc format=time "
      "caps=audio/x-raw,rate=24000,channels=1,format=S16LE ! "
      "realtimeai name=ai url=ws://127.0.0.1:9/v1/realtime ! fakesink "
      "ai.text_src ! fakesink", NULL);
  ai = gst_bin_get_by_name (GST_BIN (pipeline), "ai");
  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  fail_unless_equals_uint64 (query_min_latency (ai, &live), 0);
  fail_if (live);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (ai);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
timing_suite (void)
{
  Suite *s = suite_create ("timing");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_text_within_latency_is_on_the_speech);
  tcase_add_test (tc, test_late_text_is_pushed_with_a_warning);
  tcase_add_test (tc, test_latency_minus_one_stamps_on_arrival);
  tcase_add_test (tc, test_latency_query);
  return s;
}

GST_CHECK_MAIN (timing);
