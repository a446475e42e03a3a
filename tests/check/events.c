/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The events and settings of today's API (openai 7.60.0), end to end
 * against the bundled server: idle timeouts, diarized transcripts, DTMF,
 * remote MCP tools, usage details and detected languages, and the new
 * transcription settings. */

#include "realtimefixture.h"

#include <math.h>
#include <string.h>

#define INPUT "$.session.audio.input"

/* One turn, then more silence than the idle timeout of 5 s */
static const Part turn_then_idle[] = { {0.5, FALSE}, {0.6, TRUE},
{6.0, FALSE}
};

static const Part one_turn[] = { {0.5, FALSE}, {0.6, TRUE}, {1.0, FALSE} };

/* A turn, an idle timeout, and a turn after it */
static const Part idle_between_turns[] = { {0.5, FALSE}, {0.6, TRUE},
{6.0, FALSE}, {0.6, TRUE}, {1.0, FALSE}
};

/* The index of the buffer where @needle starts in the text of @outputs;
 * fails when it is not there or starts inside a buffer. */
static guint
index_of_text (GPtrArray * outputs, const gchar * needle)
{
  gchar *all = all_text (outputs);
  const gchar *found = strstr (all, needle);
  gsize offset = found ? (gsize) (found - all) : G_MAXSIZE, at = 0;
  guint i;

  for (i = 0; i < outputs->len && at < offset; i++)
    at += ((Output *) g_ptr_array_index (outputs, i))->size;
  fail_unless (at == offset && i < outputs->len, "no buffer starts '%s' in "
      "'%s'", needle, all);
  g_free (all);
  return i;
}

/* Where @needle starts: on @turn_start, or right after the text before it
 * when that still runs then (text never overlaps). */
static void
assert_text_on_turn (GPtrArray * outputs, const gchar * needle,
    GstClockTime turn_start)
{
  guint i = index_of_text (outputs, needle);
  Output *out = g_ptr_array_index (outputs, i);
  Output *before = i > 0 ? g_ptr_array_index (outputs, i - 1) : NULL;
  GstClockTime expected = turn_start;

  if (before)
    expected = MAX (expected, before->pts + before->duration);
  fail_unless_equals_uint64 (out->pts, expected);
}

/* ------------------------------------------------------------------ */
/* idle timeout */

/* The server commits the silence after the turn and replies by itself:
 * that reply is stamped on the silence, in turn order. */
static void
check_idle_timeout_reply (gboolean live)
{
  Fixture f = { 0, };
  GPtrArray *text;
  GArray *turns;
  RealtimeTestTurn *turn1, *idle;
  gchar *all;

  fixture_setup (&f, 0, "idle-timeout=5000");
  g_object_set (f.appsrc, "is-live", live, NULL);
  run_parts (&f, turn_then_idle, G_N_ELEMENTS (turn_then_idle));
  assert_client_event_value (f.server, "session.update",
      INPUT ".turn_detection.idle_timeout_ms", "5000");

  turns = server_turns (&f, 2);
  turn1 = &g_array_index (turns, RealtimeTestTurn, 0);
  idle = &g_array_index (turns, RealtimeTestTurn, 1);
  fail_unless (idle->audio_end_ms - idle->audio_start_ms >= 5000);
  text = collect (f.text_sink);
  assert_monotonic (text);
  all = all_text (text);
  fail_unless_equals_string (all, "Reply to turn 1.\nReply to turn 2.\n");
  assert_text_on_turn (text, "Reply to turn 1.",
      ms_to_time (turn1->audio_start_ms));
  /* long before the timeout fired, and so before the reply came */
  assert_text_on_turn (text, "Reply to turn 2.",
      ms_to_time (idle->audio_start_ms));
  assert_client_events_valid (f.server, live ? "idle-timeout-live" :
      "idle-timeout");

  g_free (all);
  g_array_unref (turns);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_START_TEST (test_idle_timeout_live)
{
  check_idle_timeout_reply (TRUE);
}

GST_END_TEST;

/* A file: the element asks for the reply to the idle turn itself. */
GST_START_TEST (test_idle_timeout_file)
{
  check_idle_timeout_reply (FALSE);
}

GST_END_TEST;

/* The declared range 0-30000 holds: below the server's minimum the value
 * is raised to it, with a warning, and the session carries 5000. */
GST_START_TEST (test_idle_timeout_raised_to_minimum)
{
  Fixture f = { 0, };
  guint idle_timeout;

  fixture_setup (&f, 0, NULL);
  g_object_set (f.ai, "idle-timeout", 1000, NULL);
  g_object_get (f.ai, "idle-timeout", &idle_timeout, NULL);
  fail_unless_equals_int (idle_timeout, 5000);
  fail_unless_equals_int (fixture_count_warnings (&f, GST_LIBRARY_ERROR,
          GST_LIBRARY_ERROR_SETTINGS, "Raised idle-timeout 1000 to 5000"), 1);
  run_parts (&f, one_turn, G_N_ELEMENTS (one_turn));
  assert_client_event_value (f.server, "session.update",
      INPUT ".turn_detection.idle_timeout_ms", "5000");
  fixture_teardown (&f);
}

GST_END_TEST;

/* With transcripts beside the replies, per turn in turn order: the idle
 * turn (silence, an empty transcript) answered between the two others. */
GST_START_TEST (test_idle_timeout_in_turn_order)
{
  Fixture f = { 0, };
  GPtrArray *text;
  GArray *turns;
  gchar *all;

  fixture_setup (&f, 0, "idle-timeout=5000 text-output=both "
      "transcription-model=gpt-4o-mini-transcribe");
  g_object_set (f.appsrc, "is-live", TRUE, NULL);
  run_parts (&f, idle_between_turns, G_N_ELEMENTS (idle_between_turns));
  turns = server_turns (&f, 3);
  text = collect (f.text_sink);
  assert_monotonic (text);
  all = all_text (text);
  fail_unless_equals_string (all, "Transcript of turn 1.\nReply to turn 1.\n"
      "Reply to turn 2.\nTranscript of turn 3.\nReply to turn 3.\n");
  assert_text_on_turn (text, "Reply to turn 2.",
      ms_to_time (g_array_index (turns, RealtimeTestTurn, 1).audio_start_ms));
  assert_text_on_turn (text, "Transcript of turn 3.",
      ms_to_time (g_array_index (turns, RealtimeTestTurn, 2).audio_start_ms));
  g_free (all);
  g_array_unref (turns);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_END_TEST;

/* ------------------------------------------------------------------ */
/* diarized transcripts */

typedef struct
{
  GstClockTime pts;
  GstClockTime duration;
  gchar *text;
  gchar *speaker;
  gdouble start;
  gdouble end;
} Segment;

static void
segment_free (Segment * s)
{
  g_free (s->text);
  g_free (s->speaker);
  g_free (s);
}

/* The text buffers with the speaker and times of their meta. */
static GPtrArray *
collect_segments (GstElement * appsink)
{
  GPtrArray *segments = g_ptr_array_new_with_free_func ((GDestroyNotify)
      segment_free);
  GstSample *sample;

  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (appsink), 0))) {
    GstBuffer *buffer = gst_sample_get_buffer (sample);
    GstCustomMeta *meta = gst_buffer_get_custom_meta (buffer,
        "GstRealtimeTextMeta");
    GstStructure *s = gst_custom_meta_get_structure (meta);
    Segment *seg = g_new0 (Segment, 1);
    GstMapInfo map;

    seg->pts = GST_BUFFER_PTS (buffer);
    seg->duration = GST_BUFFER_DURATION (buffer);
    seg->speaker = g_strdup (gst_structure_get_string (s, "speaker"));
    seg->start = seg->end = -1.0;
    gst_structure_get_double (s, "start", &seg->start);
    gst_structure_get_double (s, "end", &seg->end);
    gst_buffer_map (buffer, &map, GST_MAP_READ);
    seg->text = g_strndup ((const gchar *) map.data, map.size);
    gst_buffer_unmap (buffer, &map);
    g_ptr_array_add (segments, seg);
    gst_sample_unref (sample);
  }
  return segments;
}

static void
assert_close (GstClockTime a, GstClockTime b)
{
  fail_unless (a + GST_MSECOND >= b && b + GST_MSECOND >= a,
      "%" GST_TIME_FORMAT " is not %" GST_TIME_FORMAT, GST_TIME_ARGS (a),
      GST_TIME_ARGS (b));
}

/* Per turn, two segments: "Transcript of " from A over the first 40 % of
 * the turn's audio, "turn N." from B over its second half, each stamped
 * where it was said (not right after the text before it) and tagged with
 * its speaker and times. */
static void
assert_segments_on_turns (Fixture * f, GPtrArray * segments)
{
  GArray *turns = server_turns (f, 3);
  guint i;

  fail_unless_equals_int (segments->len, 2 * turns->len);
  for (i = 0; i < turns->len; i++) {
    RealtimeTestTurn *turn = &g_array_index (turns, RealtimeTestTurn, i);
    Segment *a = g_ptr_array_index (segments, 2 * i);
    Segment *b = g_ptr_array_index (segments, 2 * i + 1);
    gdouble seconds = (turn->audio_end_ms - turn->audio_start_ms) / 1000.0;
    /* the turn's last text ends its line */
    gchar *expected = g_strdup_printf ("turn %u.\n", i + 1);

    fail_unless_equals_string (a->text, "Transcript of ");
    fail_unless_equals_string (b->text, expected);
    fail_unless_equals_string (a->speaker, "A");
    fail_unless_equals_string (b->speaker, "B");
    fail_unless (fabs (a->start) < 1e-6 && fabs (b->end - seconds) < 0.01,
        "segment times %f - %f for a turn of %f s", a->start, b->end, seconds);
    assert_close (a->pts, ms_to_time (turn->audio_start_ms));
    fail_unless (fabs (b->start - seconds / 2) < 0.01);
    assert_close (b->pts, ms_to_time (turn->audio_start_ms) +
        (GstClockTime) (b->start * GST_SECOND));
    fail_unless (b->pts > a->pts + a->duration);
    assert_close (a->duration, (GstClockTime) ((a->end - a->start) *
            GST_SECOND));
    g_free (expected);
  }
  g_array_unref (turns);
}

/* The messages: a segment per half turn with speaker, start and end, and
 * the final transcripts with the language detected and their usage. */
static void
assert_segment_messages (Fixture * f)
{
  GPtrArray *messages = fixture_messages (f, "realtime-transcript");
  guint i, n_segments = 0, n_final = 0;

  for (i = 0; i < messages->len; i++) {
    GstStructure *s = g_ptr_array_index (messages, i);
    gboolean final = FALSE;
    gdouble start = -1, end = -1;

    gst_structure_get_boolean (s, "final", &final);
    if (gst_structure_get_string (s, "speaker")) {
      fail_unless (gst_structure_get_double (s, "start", &start));
      fail_unless (gst_structure_get_double (s, "end", &end));
      fail_unless (end > start && start >= 0.0);
      fail_if (final);
      n_segments++;
    } else if (final && *gst_structure_get_string (s, "text")) {
      const GValue *languages = gst_structure_get_value (s, "languages");

      fail_unless (languages != NULL && GST_VALUE_HOLDS_ARRAY (languages));
      fail_unless_equals_int (gst_value_array_get_size (languages), 1);
      fail_unless_equals_string (g_value_get_string
          (gst_value_array_get_value (languages, 0)), "de");
      n_final++;
    }
  }
  fail_unless_equals_int (n_segments, 6);
  fail_unless_equals_int (n_final, 3);
  g_ptr_array_unref (messages);
}

GST_START_TEST (test_diarized_segments)
{
  Fixture f = { 0, };
  GPtrArray *segments;

  fixture_setup (&f, 0, "session-type=transcription "
      "transcription-model=gpt-4o-transcribe-diarize "
      "transcription-languages=de,fr");
  run_parts (&f, three_turns, N_THREE_TURNS);
  segments = collect_segments (f.text_sink);
  assert_segments_on_turns (&f, segments);
  assert_segment_messages (&f);
  assert_client_events_valid (f.server, "diarized");
  g_ptr_array_unref (segments);
  fixture_teardown (&f);
}

GST_END_TEST;

/* Segments are the turn's text: a delta the server sends besides adds
 * nothing to text_src. */
GST_START_TEST (test_diarized_deltas_add_nothing)
{
  Fixture f = { 0, };
  GPtrArray *text;
  gchar *all;

  fixture_setup (&f, 0, "session-type=transcription "
      "transcription-model=gpt-4o-transcribe-diarize");
  realtime_test_server_inject_frame (f.server,
      "conversation.item.input_audio_transcription.completed",
      "{\"type\":\"conversation.item.input_audio_transcription.delta\","
      "\"item_id\":\"@ITEM_ID@\",\"content_index\":0,\"delta\":"
      "\"EXTRA \"}", -1, FALSE, 1);
  run_parts (&f, one_turn, G_N_ELEMENTS (one_turn));
  text = collect (f.text_sink);
  all = all_text (text);
  fail_unless_equals_string (all, "Transcript of turn 1.\n");
  g_free (all);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_END_TEST;

/* A segment the server puts far beyond its turn is stamped no later than
 * the turn's end and shown for at most a minute: it cannot push the
 * text after it out of reach. */
GST_START_TEST (test_segment_times_bounded)
{
  Fixture f = { 0, };
  GPtrArray *segments;
  GArray *turns;
  RealtimeTestTurn *turn;
  Segment *far;
  guint i;

  fixture_setup (&f, 0, "session-type=transcription "
      "transcription-model=gpt-4o-transcribe-diarize");
  realtime_test_server_inject_frame (f.server,
      "conversation.item.input_audio_transcription.segment",
      "{\"type\":\"conversation.item.input_audio_transcription.segment\","
      "\"item_id\":\"@ITEM_ID@\",\"content_index\":0,\"id\":\"s\","
      "\"text\":\"Far \",\"speaker\":\"C\",\"start\":1e9,\"end\":1e12}",
      -1, FALSE, 1);
  run_parts (&f, one_turn, G_N_ELEMENTS (one_turn));
  turns = server_turns (&f, 1);
  turn = &g_array_index (turns, RealtimeTestTurn, 0);
  segments = collect_segments (f.text_sink);
  fail_unless_equals_int (segments->len, 3);
  far = g_ptr_array_index (segments, 0);
  fail_unless_equals_string (far->text, "Far ");
  /* the meta says what the server said */
  fail_unless (far->start == 1e9 && far->end == 1e12);
  assert_close (far->pts, ms_to_time (turn->audio_end_ms));
  fail_unless_equals_uint64 (far->duration, 60 * GST_SECOND);
  for (i = 1; i < segments->len; i++) {
    Segment *seg = g_ptr_array_index (segments, i);

    assert_close (seg->pts, far->pts + far->duration + (i == 2 ?
            ((Segment *) g_ptr_array_index (segments, 1))->duration : 0));
  }
  g_array_unref (turns);
  g_ptr_array_unref (segments);
  fixture_teardown (&f);
}

GST_END_TEST;

/* ------------------------------------------------------------------ */
/* transcription settings, usage and languages */

GST_START_TEST (test_transcription_settings)
{
  Fixture f = { 0, };
  GPtrArray *messages;
  GstStructure *s = NULL;
  gint64 value;
  guint i;

  fixture_setup (&f, 0, "session-type=transcription "
      "transcription-model=gpt-live-transcribe "
      "transcription-languages=\"fr, en\" "
      "transcription-keywords=\"GStreamer,PipeWire\" "
      "transcription-delay=minimal noise-reduction=near-field "
      "noise-reduction-strength=0.75");
  run_parts (&f, one_turn, G_N_ELEMENTS (one_turn));
  assert_client_event_value (f.server, "session.update",
      INPUT ".transcription.languages", "[\"fr\",\"en\"]");
  assert_client_event_value (f.server, "session.update",
      INPUT ".transcription.keywords", "[\"GStreamer\",\"PipeWire\"]");
  assert_client_event_value (f.server, "session.update",
      INPUT ".transcription.delay", "minimal");
  assert_client_event_value (f.server, "session.update",
      INPUT ".noise_reduction.strength", "0.75");
  assert_client_events_valid (f.server, "transcription-settings");

  /* the final transcript: "Transcript of turn 1." in French, its usage */
  messages = fixture_messages (&f, "realtime-transcript");
  for (i = 0; i < messages->len && !s; i++) {
    GstStructure *m = g_ptr_array_index (messages, i);

    if (g_strcmp0 (gst_structure_get_string (m, "text"),
            "Transcript of turn 1.") == 0)
      s = m;
  }
  fail_unless (s != NULL);
  fail_unless_equals_string (g_value_get_string (gst_value_array_get_value
          (gst_structure_get_value (s, "languages"), 0)), "fr");
  fail_unless (gst_structure_get_int64 (s, "input-tokens", &value));
  fail_unless_equals_int64 (value, 10);
  fail_unless (gst_structure_get_int64 (s, "output-tokens", &value));
  fail_unless_equals_int64 (value, 4);
  fail_unless (gst_structure_get_int64 (s, "input-audio-tokens", &value));
  fail_unless_equals_int64 (value, 10);
  fail_unless (gst_structure_get_int64 (s, "input-text-tokens", &value));
  fail_unless_equals_int64 (value, 0);
  g_ptr_array_unref (messages);
  fixture_teardown (&f);
}

GST_END_TEST;

static gint64
int64_field (const GstStructure * s, const gchar * field)
{
  gint64 value = -1;

  fail_unless (gst_structure_get_int64 (s, field, &value),
      "%s has no %s", gst_structure_get_name (s), field);
  return value;
}

/* The test server: 10 input tokens a turn, the earlier ones cached, in
 * audio (the turn's audio came in), one output token a word, in audio. */
GST_START_TEST (test_response_usage_details)
{
  Fixture f = { 0, };
  GPtrArray *done;
  guint i;

  fixture_setup (&f, 0, NULL);
  run_parts (&f, three_turns, N_THREE_TURNS);
  done = fixture_messages (&f, "realtime-response-done");
  fail_unless_equals_int (done->len, 3);
  for (i = 0; i < done->len; i++) {
    GstStructure *s = g_ptr_array_index (done, i);

    fail_unless_equals_int64 (int64_field (s, "input-tokens"), 10 * (i + 1));
    fail_unless_equals_int64 (int64_field (s, "input-cached-tokens"), 10 * i);
    fail_unless_equals_int64 (int64_field (s, "input-audio-tokens"),
        10 * (i + 1));
    fail_unless_equals_int64 (int64_field (s, "input-text-tokens"), 0);
    fail_unless_equals_int64 (int64_field (s, "input-image-tokens"), 0);
    fail_unless_equals_int64 (int64_field (s, "output-audio-tokens"), 4);
    fail_unless_equals_int64 (int64_field (s, "output-text-tokens"), 0);
  }
  g_ptr_array_unref (done);
  fixture_teardown (&f);
}

GST_END_TEST;

/* ------------------------------------------------------------------ */
/* DTMF */

GST_START_TEST (test_dtmf_messages)
{
  Fixture f = { 0, };
  FixtureOptions options = { 0, };
  GPtrArray *dtmf;
  static const gchar *const keys[] = { "4", "2", "#" };
  guint i;

  options.server = start_server (0);
  realtime_test_server_set_dtmf_keys (options.server, "42#");
  fixture_setup_with (&f, &options);
  run_parts (&f, one_turn, G_N_ELEMENTS (one_turn));
  dtmf = fixture_messages (&f, "realtime-dtmf");
  fail_unless_equals_int (dtmf->len, 3);
  for (i = 0; i < dtmf->len; i++) {
    GstStructure *s = g_ptr_array_index (dtmf, i);
    gdouble received_at = 0;

    fail_unless_equals_string (gst_structure_get_string (s, "event"), keys[i]);
    fail_unless (gst_structure_get_double (s, "received-at", &received_at));
    fail_unless (received_at > 1.7e9);
  }
  g_ptr_array_unref (dtmf);
  fixture_teardown (&f);
}

GST_END_TEST;

/* ------------------------------------------------------------------ */
/* MCP */

#define MCP_TOOLS "[{\"type\":\"mcp\",\"server_label\":\"wiki\"," \
    "\"server_url\":\"https://mcp.example.com/mcp\"," \
    "\"require_approval\":\"never\"}]"

/* The mcp messages of @what with @status */
static guint
count_mcp (Fixture * f, const gchar * what, const gchar * status)
{
  GPtrArray *mcp = fixture_messages (f, "realtime-mcp");
  guint i, n = 0;

  for (i = 0; i < mcp->len; i++) {
    GstStructure *s = g_ptr_array_index (mcp, i);
    gboolean call = g_str_equal (what, "call");

    if (g_strcmp0 (gst_structure_get_string (s, "what"), what) != 0
        || g_strcmp0 (gst_structure_get_string (s, "status"), status) != 0)
      continue;
    fail_unless_equals_string (gst_structure_get_string (s, "server-label"),
        "wiki");
    fail_unless_equals_string (gst_structure_get_string (s, "name"),
        call ? "lookup" : NULL);
    fail_unless (gst_structure_get_string (s, "item-id") != NULL);
    n++;
  }
  g_ptr_array_unref (mcp);
  return n;
}

static void
run_mcp (Fixture * f, RealtimeTestMcpFailure failures)
{
  FixtureOptions options = { 0, };
  GPtrArray *text;
  gchar *all;

  options.server = start_server (0);
  realtime_test_server_set_mcp_failures (options.server, failures);
  fixture_setup_with (f, &options);
  g_object_set (f->ai, "tools", MCP_TOOLS, NULL);
  run_parts (f, one_turn, G_N_ELEMENTS (one_turn));
  /* the reply itself is untouched */
  text = collect (f->text_sink);
  all = all_text (text);
  fail_unless_equals_string (all, "Reply to turn 1.\n");
  assert_client_events_valid (f->server, "mcp");
  g_free (all);
  g_ptr_array_unref (text);
}

GST_START_TEST (test_mcp_completed)
{
  Fixture f = { 0, };

  run_mcp (&f, 0);
  fail_unless (count_mcp (&f, "list-tools", "completed") >= 1);
  fail_unless_equals_int (count_mcp (&f, "call", "completed"), 1);
  fail_unless_equals_int (count_mcp (&f, "list-tools", "failed"), 0);
  fail_unless_equals_int (count_mcp (&f, "call", "failed"), 0);
  fail_unless_equals_int (fixture_count_warnings (&f, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_READ, NULL), 0);
  fixture_teardown (&f);
}

GST_END_TEST;

/* Failures are warnings that name the server and the tool. */
GST_START_TEST (test_mcp_failed)
{
  Fixture f = { 0, };

  run_mcp (&f, REALTIME_TEST_MCP_LIST_FAILS | REALTIME_TEST_MCP_CALL_FAILS);
  fail_unless (count_mcp (&f, "list-tools", "failed") >= 1);
  fail_unless_equals_int (count_mcp (&f, "call", "failed"), 1);
  fail_unless_equals_int (count_mcp (&f, "call", "completed"), 0);
  fail_unless (fixture_count_warnings (&f, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_READ, "MCP server wiki could not list") >= 1,
      "warnings: %s", fixture_warnings (&f));
  fail_unless_equals_int (fixture_count_warnings (&f, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_READ, "tool lookup of the MCP server wiki"), 1);
  fixture_teardown (&f);
}

GST_END_TEST;

static Suite *
events_suite (void)
{
  Suite *s = suite_create ("events");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_idle_timeout_live);
  tcase_add_test (tc, test_idle_timeout_file);
  tcase_add_test (tc, test_idle_timeout_in_turn_order);
  tcase_add_test (tc, test_idle_timeout_raised_to_minimum);
  tcase_add_test (tc, test_diarized_segments);
  tcase_add_test (tc, test_diarized_deltas_add_nothing);
  tcase_add_test (tc, test_segment_times_bounded);
  tcase_add_test (tc, test_transcription_settings);
  tcase_add_test (tc, test_response_usage_details);
  tcase_add_test (tc, test_dtmf_messages);
  tcase_add_test (tc, test_mcp_completed);
  tcase_add_test (tc, test_mcp_failed);
  return s;
}

GST_CHECK_MAIN (events);
