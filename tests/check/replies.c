/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Reply audio: every turn of a file answered once against a server that
 * speaks in real time, items in order, and barge-in. */

#include <gst/check/gsttestclock.h>

#include "realtimefixture.h"

/* A file against a server that "speaks" at real time and cancels replies
 * on speech: the element's file mode gets every reply exactly once. */
GST_START_TEST (test_file_turns_answered_exactly_once)
{
  Fixture f = { 0, };
  FixtureOptions options = { 0, };
  GPtrArray *text, *audio;
  GArray *turns;
  gchar *all;
  guint i, n_discont = 0;

  options.server = start_server (0);
  realtime_test_server_set_realtime_replies (options.server, TRUE);
  fixture_setup_with (&f, &options);
  run_parts (&f, three_turns, N_THREE_TURNS);

  fail_unless_equals_int (realtime_test_server_count_cancelled (f.server), 0);
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "response.create"), 3);
  assert_client_event_value (f.server, "session.update",
      "$.session.audio.input.turn_detection.create_response", "false");
  assert_client_event_value (f.server, "session.update",
      "$.session.audio.input.turn_detection.interrupt_response", "false");
  text = collect (f.text_sink);
  all = all_text (text);
  fail_unless_equals_string (all,
      "Reply to turn 1.\nReply to turn 2.\nReply to turn 3.\n");

  /* each reply's audio after its turn, one DISCONT each, no overlap */
  turns = server_turns (&f, 3);
  audio = collect (f.audio_sink);
  assert_monotonic (audio);
  for (i = 0; i < audio->len; i++) {
    Output *out = g_ptr_array_index (audio, i);

    if (!out->discont)
      continue;
    fail_unless (out->pts >= ms_to_time (g_array_index (turns,
                RealtimeTestTurn, n_discont).audio_end_ms));
    n_discont++;
  }
  fail_unless_equals_int (n_discont, 3);

  g_free (all);
  g_array_unref (turns);
  g_ptr_array_unref (audio);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_END_TEST;

static gsize
first_loud_byte (GPtrArray * audio)
{
  gsize offset = 0;
  guint i, j;

  for (i = 0; i < audio->len; i++) {
    Output *out = g_ptr_array_index (audio, i);
    const gint16 *samples = (const gint16 *) out->text;

    for (j = 0; j < out->size / 2; j++)
      if (ABS (samples[j]) > 1000)
        return offset + j * 2;
    offset += out->size;
  }
  return offset;
}

/* A preamble item, then the answer, the answer's audio starting before
 * the preamble's is done: played in order, nothing lost. */
GST_START_TEST (test_items_play_in_order)
{
  static const Part one_turn[] = { {0.5, FALSE}, {0.6, TRUE}, {1.0, FALSE} };
  Fixture f = { 0, };
  FixtureOptions options = { 0, };
  GPtrArray *text, *audio;
  gsize total = 0;
  gchar *all;
  guint i;

  options.server = start_server (0);
  realtime_test_server_set_items_per_response (options.server, 2);
  realtime_test_server_set_interleave_items (options.server, TRUE);
  fixture_setup_with (&f, &options);
  run_parts (&f, one_turn, G_N_ELEMENTS (one_turn));

  text = collect (f.text_sink);
  all = all_text (text);
  fail_unless_equals_string (all, "Preamble 1.Reply to turn 1.\n");
  audio = collect (f.audio_sink);
  assert_monotonic (audio);
  for (i = 0; i < audio->len; i++)
    total += ((Output *) g_ptr_array_index (audio, i))->size;
  /* 200 ms of preamble silence ("Preamble 1."), then the echoed tone */
  fail_unless (first_loud_byte (audio) >= RATE * 2 / 5,
      "the answer played before the preamble");
  fail_unless (total >= RATE * 2 / 5 + RATE * 2 * 6 / 10,
      "audio lost: %" G_GSIZE_FORMAT " bytes", total);

  g_free (all);
  g_ptr_array_unref (audio);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GCond cond;
  gint n_flushes;
  guint n_segments;
  GstClockTime first_pts;       /* of the reply audio */
  GstClockTime last_end;
  gboolean backwards;           /* a buffer began before the one before */
} AudioSeen;

static GstPadProbeReturn
watch_audio (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  AudioSeen *seen = user_data;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

    g_mutex_lock (&seen->lock);
    if (!GST_CLOCK_TIME_IS_VALID (seen->first_pts))
      seen->first_pts = GST_BUFFER_PTS (buffer);
    seen->backwards |= GST_BUFFER_PTS (buffer) < seen->last_end;
    seen->last_end = GST_BUFFER_PTS (buffer) + GST_BUFFER_DURATION (buffer);
    g_cond_broadcast (&seen->cond);
    g_mutex_unlock (&seen->lock);
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_FLUSH_START) {
    g_atomic_int_inc (&seen->n_flushes);
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_SEGMENT) {
    /* the second comes with the interruption */
    g_mutex_lock (&seen->lock);
    seen->n_segments++;
    g_cond_broadcast (&seen->cond);
    g_mutex_unlock (&seen->lock);
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_FLUSH_STOP) {
    /* what came before is gone */
    g_mutex_lock (&seen->lock);
    seen->last_end = 0;
    g_mutex_unlock (&seen->lock);
  }
  return GST_PAD_PROBE_OK;
}

static void
wait_for_playing (Fixture * f)
{
  GstState state;

  fail_unless (gst_element_get_state (f->pipeline, &state, NULL,
          10 * GST_SECOND) == GST_STATE_CHANGE_SUCCESS);
  fail_unless_equals_int (state, GST_STATE_PLAYING);
}

/* Live: after the reply to turn 1 has played for @heard_ms (on a test
 * clock), the user speaks again; with @changing_state, while the pipeline
 * is between states (as its sinks would put it on losing their state). */
static void
speak_over_reply (Fixture * f, AudioSeen * seen, gint heard_ms,
    gboolean changing_state)
{
  static const Part turn[] = { {0.5, FALSE}, {0.6, TRUE}, {1.0, FALSE} };
  static const Part speech[] = { {0.6, TRUE} };
  GstClock *clock = gst_test_clock_new ();
  GstPad *pad = gst_element_get_static_pad (f->audio_sink, "sink");
  guint64 offset = 0;

  g_object_set (f->appsrc, "is-live", TRUE, NULL);
  gst_pipeline_use_clock (GST_PIPELINE (f->pipeline), clock);
  g_mutex_init (&seen->lock);
  g_cond_init (&seen->cond);
  seen->first_pts = GST_CLOCK_TIME_NONE;
  seen->last_end = 0;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_FLUSH |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_BUFFER,
      watch_audio, seen, NULL);
  fixture_watch_server_events (f);
  gst_element_set_state (f->pipeline, GST_STATE_PLAYING);
  fail_unless_equals_int (push_parts (f, turn, G_N_ELEMENTS (turn),
          &offset), GST_FLOW_OK);
  fail_unless (fixture_wait_server_event (f, "response.done", 1, 10000));

  /* the reply started at the input's end when it came (about 2.1 s) */
  g_mutex_lock (&seen->lock);
  while (!GST_CLOCK_TIME_IS_VALID (seen->first_pts))
    fail_unless (g_cond_wait_until (&seen->cond, &seen->lock,
            g_get_monotonic_time () + 10 * G_USEC_PER_SEC), "no reply audio");
  g_mutex_unlock (&seen->lock);
  /* seconds into a stream, not while it starts: a flush then would leave
   * the sinks paused, so the element does not flush downstream then */
  wait_for_playing (f);
  if (changing_state)
    gst_element_lost_state (f->pipeline);
  gst_test_clock_set_time (GST_TEST_CLOCK (clock),
      seen->first_pts + heard_ms * GST_MSECOND);
  fail_unless_equals_int (push_parts (f, speech, G_N_ELEMENTS (speech),
          &offset), GST_FLOW_OK);
  fail_unless (fixture_wait_server_event (f,
          "input_audio_buffer.speech_started", 2, 10000));
  if (changing_state) {
    g_mutex_lock (&seen->lock);
    while (seen->n_segments < 2)
      fail_unless (g_cond_wait_until (&seen->cond, &seen->lock,
              g_get_monotonic_time () + 10 * G_USEC_PER_SEC),
          "no interruption");
    g_mutex_unlock (&seen->lock);
    /* the state change ends, and the pipeline plays on */
    gst_element_continue_state (f->pipeline, GST_STATE_CHANGE_SUCCESS);
    gst_element_set_state (f->pipeline, GST_STATE_PLAYING);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (f->appsrc));
  assert_eos (f);
  gst_object_unref (pad);
  gst_object_unref (clock);
}

static void
audio_seen_clear (AudioSeen * seen)
{
  g_mutex_clear (&seen->lock);
  g_cond_clear (&seen->cond);
}

GST_START_TEST (test_barge_in_truncates_what_was_heard)
{
  Fixture f = { 0, };
  AudioSeen seen = { 0, };
  RealtimeTestTruncate *truncate;
  GArray *truncates;

  fixture_setup (&f, 0, "");
  speak_over_reply (&f, &seen, 500, FALSE);

  truncates = realtime_test_server_get_truncates (f.server);
  fail_unless_equals_int (truncates->len, 1);
  truncate = &g_array_index (truncates, RealtimeTestTruncate, 0);
  fail_unless_equals_int64 (truncate->audio_end_ms, 500);
  fail_unless (truncate->accepted);
  /* a live sink would have stopped talking */
  fail_unless (g_atomic_int_get (&seen.n_flushes) >= 1);
  fail_unless (!seen.backwards);
  assert_client_events_valid (f.server, "barge-in");
  g_array_unref (truncates);
  fixture_teardown (&f);
  audio_seen_clear (&seen);
}

GST_END_TEST;

GST_START_TEST (test_barge_in_before_the_reply_skips_truncate)
{
  Fixture f = { 0, };
  AudioSeen seen = { 0, };
  GArray *truncates;

  fixture_setup (&f, 0, "");
  /* the user speaks again before any of the reply was heard */
  speak_over_reply (&f, &seen, -100, FALSE);
  truncates = realtime_test_server_get_truncates (f.server);
  fail_unless_equals_int (truncates->len, 0);
  fail_unless (g_atomic_int_get (&seen.n_flushes) >= 1);
  g_array_unref (truncates);
  fixture_teardown (&f);
  audio_seen_clear (&seen);
}

GST_END_TEST;

/* Between states, a flush would leave the sinks paused for good: the
 * queued reply goes and the server hears how much was heard, but nothing
 * downstream is flushed, and the reply timeline never goes back. */
GST_START_TEST (test_barge_in_while_changing_state)
{
  Fixture f = { 0, };
  AudioSeen seen = { 0, };
  GArray *truncates;

  fixture_setup (&f, 0, "");
  speak_over_reply (&f, &seen, 500, TRUE);
  truncates = realtime_test_server_get_truncates (f.server);
  fail_unless_equals_int (truncates->len, 1);
  fail_unless_equals_int64 (g_array_index (truncates, RealtimeTestTruncate,
          0).audio_end_ms, 500);
  fail_unless_equals_int (g_atomic_int_get (&seen.n_flushes), 0);
  fail_unless (!seen.backwards, "the reply audio went back in time");
  g_array_unref (truncates);
  fixture_teardown (&f);
  audio_seen_clear (&seen);
}

GST_END_TEST;

static Suite *
replies_suite (void)
{
  Suite *s = suite_create ("replies");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_file_turns_answered_exactly_once);
  tcase_add_test (tc, test_items_play_in_order);
  tcase_add_test (tc, test_barge_in_truncates_what_was_heard);
  tcase_add_test (tc, test_barge_in_before_the_reply_skips_truncate);
  tcase_add_test (tc, test_barge_in_while_changing_state);
  return s;
}

GST_CHECK_MAIN (replies);
