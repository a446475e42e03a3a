/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* A hostile server: frames that are no valid events, unknown events,
 * frames of megabytes, floods of events and storms of errors, slipped in
 * while a reply streams. The element skips what it cannot use, warns where
 * the server broke the protocol, and the reply around the junk still comes
 * whole: its transcript on the speech and every sample of its audio. */

#include <stdlib.h>
#include <string.h>

#include "realtimefixture.h"

/* Silence, a tone, then the silence that ends the turn: all on 10 ms VAD
 * frames, so the server's turn, and the echo it replies with, are exact. */
static const Part one_turn[] = { {0.3, FALSE}, {0.4, TRUE}, {0.7, FALSE} };

#define IGNORED "Ignored an invalid message from the server."
#define REPORTED "The server reported an error"
/* Past this many warnings in 10 s, the element counts the rest and posts
 * the count as one warning (docs/realtimeai.md, "Errors"). */
#define WARNING_BURST 10
#define WINDOW_MS 10000
/* Junk sent before the reply's first audio delta lands mid-response. */
#define FIRST_DELTA "response.output_audio.delta"
/* A delta's ids, filled in by the server with those of the reply. */
#define OF_REPLY "\"response_id\":\"@RESPONSE_ID@\"," \
    "\"item_id\":\"@ITEM_ID@\",\"output_index\":0,\"content_index\":0"

/* How long a one-turn run may take (about 1.5 s when all is well), times
 * CK_TIMEOUT_MULTIPLIER: a hang fails the test early. */
#define TURN_TIMEOUT (5 * GST_SECOND)

static GstClockTime
scaled (GstClockTime timeout)
{
  return timeout * timeout_multiplier ();
}

/* Plays one_turn, ends the stream and waits at most @timeout (scaled)
 * for EOS. */
static void
run_turn_within (Fixture * f, GstClockTime timeout)
{
  guint64 offset = 0;
  GstMessage *msg;
  GError *error = NULL;

  fail_unless (gst_element_set_state (f->pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (push_parts (f, one_turn, G_N_ELEMENTS (one_turn),
          &offset), GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (f->appsrc));
  msg = wait_for_end (f, scaled (timeout));
  fail_unless (msg != NULL, "the pipeline did not end in %" GST_TIME_FORMAT,
      GST_TIME_ARGS (scaled (timeout)));
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    gst_message_parse_error (msg, &error, NULL);
  fail_unless (error == NULL, "unexpected error: %s", error->message);
  gst_message_unref (msg);
}

static void
run_turn (Fixture * f)
{
  run_turn_within (f, TURN_TIMEOUT);
}

static void
inject (Fixture * f, const gchar * before, const gchar * frame)
{
  realtime_test_server_inject_frame (f->server, before, frame, -1, FALSE, 1);
}

/* The reply to one_turn came whole: its transcript, stamped on the
 * speech, and its audio, the server's echo of the turn, sample for
 * sample. */
static void
assert_reply_intact (Fixture * f, gsize extra_audio)
{
  GArray *turns = server_turns (f, 1);
  RealtimeTestTurn *turn = &g_array_index (turns, RealtimeTestTurn, 0);
  GPtrArray *text = collect (f->text_sink);
  GPtrArray *audio = collect (f->audio_sink);
  gsize bytes = 0;
  gchar *all;
  guint i;

  all = all_text (text);
  fail_unless_equals_string (all, "Reply to turn 1.\n");
  fail_unless_equals_uint64 (((Output *) g_ptr_array_index (text, 0))->pts,
      ms_to_time (turn->audio_start_ms));
  for (i = 0; i < audio->len; i++)
    bytes += ((Output *) g_ptr_array_index (audio, i))->size;
  fail_unless_equals_uint64 (bytes, extra_audio +
      (turn->audio_end_ms - turn->audio_start_ms) * RATE / 1000 * 2);
  assert_monotonic (audio);

  g_free (all);
  g_ptr_array_unref (text);
  g_ptr_array_unref (audio);
  g_array_unref (turns);
}

/* The count of the warnings held back, "N more problems", once. */
static void
assert_held_back (Fixture * f, guint n)
{
  gchar *count = g_strdup_printf ("%u more problem", n);

  fail_unless_equals_int (fixture_count_warnings (f, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_READ, count), 1);
  g_free (count);
}

/* @n warnings of @domain, @code and @fragment, up to the burst, then one
 * that counts the rest; no others. */
static void
assert_warned (Fixture * f, GQuark domain, gint code, const gchar * fragment,
    guint n)
{
  guint shown = MIN (n, WARNING_BURST);

  fail_unless_equals_int (fixture_count_warnings (f, domain, code, fragment),
      shown);
  if (n > shown)
    assert_held_back (f, n - shown);
  fail_unless_equals_int (g_atomic_int_get (&f->n_warnings),
      shown + (n > shown));
}

/* @n frames ignored, each with a warning within the burst. */
static void
assert_ignored (Fixture * f, guint n)
{
  assert_warned (f, GST_STREAM_ERROR, GST_STREAM_ERROR_DECODE, IGNORED, n);
}

/* Slips @frames in before the server event @before (text frames, or
 * binary ones); each must be skipped with a warning and the reply must
 * come whole. */
static void
check_skipped_before (const gchar * before, const gchar * const *frames,
    gboolean binary)
{
  Fixture f = { 0, };
  guint n;

  fixture_setup (&f, 0, NULL);
  for (n = 0; frames[n]; n++)
    realtime_test_server_inject_frame (f.server, before, frames[n], -1,
        binary, 1);
  run_turn (&f);
  assert_reply_intact (&f, 0);
  assert_ignored (&f, n);
  fixture_teardown (&f);
}

/* The same, mid-reply. */
static void
check_skipped (const gchar * const *frames, gboolean binary)
{
  check_skipped_before (FIRST_DELTA, frames, binary);
}

GST_START_TEST (test_reference_reply)
{
  static const gchar *const none[] = { NULL };

  /* what the others compare with: a clean reply passes the checks */
  check_skipped (none, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_malformed_json)
{
  static const gchar *const frames[] = {
    "not json {",
    "{\"type\":\"response.output_audio.delta\",",
    "{\"type\":\"x\"} trailing",
    "{\"type\":\"x\"}{\"type\":\"y\"}",
    "{\"type\":'error'}",
    "{\"type\":\"error\",\"error\":NaN}",
    "{\"type\":\"x\" /* comment */}",
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY ",\"delta\":0x10}",
    "\"unterminated",
    "",
    " ",
    NULL
  };

  check_skipped (frames, FALSE);
}

GST_END_TEST;

/* Nested deeper than any event (json-glib recurses once a level). */
GST_START_TEST (test_deeply_nested_json)
{
  GString *deep = g_string_new ("{\"type\":\"x.unknown\",\"a\":");
  const gchar *frames[2] = { NULL, NULL };
  guint i;

  for (i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  frames[0] = deep->str;
  check_skipped (frames, FALSE);
  g_string_free (deep, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_not_an_object)
{
  static const gchar *const frames[] = {
    "[1,2,3]", "[]", "[{\"type\":\"response.done\"}]", "42", "-1.5e3",
    "\"response.done\"", "null", "true", "false",
    /* objects, but no event */
    "{}", "{\"type\":null}", "{\"type\":5}", "{\"type\":[\"error\"]}",
    "{\"type\":{\"name\":\"error\"}}", "{\"event_id\":\"event_1\"}",
    NULL
  };

  check_skipped (frames, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_missing_fields)
{
  static const gchar *const frames[] = {
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY "}",
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY ",\"delta\":null}",
    "{\"type\":\"response.output_audio_transcript.delta\"," OF_REPLY "}",
    "{\"type\":\"response.output_audio_transcript.done\"," OF_REPLY "}",
    "{\"type\":\"response.output_text.delta\"," OF_REPLY "}",
    "{\"type\":\"error\",\"event_id\":\"event_x\"}",
    "{\"type\":\"error\",\"error\":null}",
    "{\"type\":\"response.function_call_arguments.done\"," OF_REPLY "}",
    "{\"type\":\"conversation.item.input_audio_transcription.completed\","
        "\"item_id\":\"@ITEM_ID@\",\"content_index\":0}",
    NULL
  };

  check_skipped (frames, FALSE);
}

GST_END_TEST;

/* The ids and positions the element keys its state on are required too:
 * a response.created without its response would take the turn's place,
 * a speech event without its position would open or end a turn nowhere. */
GST_START_TEST (test_response_created_without_response)
{
  static const gchar *const frames[] = {
    "{\"type\":\"response.created\",\"event_id\":\"event_x\"}",
    NULL
  };

  check_skipped_before ("response.created", frames, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_speech_started_without_position)
{
  static const gchar *const frames[] = {
    "{\"type\":\"input_audio_buffer.speech_started\",\"item_id\":"
        "\"item_x\"}",
    NULL
  };

  check_skipped (frames, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_speech_stopped_without_position)
{
  static const gchar *const frames[] = {
    "{\"type\":\"input_audio_buffer.speech_stopped\",\"item_id\":"
        "\"item_x\"}",
    NULL
  };

  check_skipped (frames, FALSE);
}

GST_END_TEST;

/* A server that ends a turn it never commits (a well-formed event, so no
 * warning for it) must not hold a file pipeline forever: at most
 * drain-timeout, as for any reply the server does not give. */
GST_START_TEST (test_turn_never_committed)
{
  Fixture f = { 0, };
  GPtrArray *text;
  gchar *all;

  fixture_setup (&f, 0, "drain-timeout=1000");
  inject (&f, FIRST_DELTA, "{\"type\":\"input_audio_buffer.speech_stopped\","
      "\"event_id\":\"event_x\",\"item_id\":\"item_x\","
      "\"audio_end_ms\":1400}");
  run_turn (&f);
  text = collect (f.text_sink);
  all = all_text (text);
  fail_unless_equals_string (all, "Reply to turn 1.\n");
  g_free (all);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_END_TEST;

GST_START_TEST (test_wrong_types)
{
  static const gchar *const frames[] = {
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY ",\"delta\":12345}",
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY
        ",\"delta\":{\"b64\":\"AAAA\"}}",
    "{\"type\":\"response.output_audio.delta\",\"response_id\":"
        "{\"id\":\"@RESPONSE_ID@\"},\"item_id\":\"@ITEM_ID@\","
        "\"delta\":\"AAAA\"}",
    "{\"type\":\"response.output_audio.delta\",\"response_id\":"
        "\"@RESPONSE_ID@\",\"item_id\":7,\"delta\":\"AAAA\"}",
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY
        ",\"output_index\":\"0\",\"delta\":\"AAAA\"}",
    "{\"type\":\"response.output_audio_transcript.delta\"," OF_REPLY
        ",\"delta\":[\"Reply\"]}",
    "{\"type\":\"input_audio_buffer.speech_started\",\"item_id\":\"item_x\","
        "\"audio_start_ms\":\"100\"}",
    "{\"type\":\"input_audio_buffer.speech_started\",\"item_id\":\"item_x\","
        "\"audio_start_ms\":1.5}",
    "{\"type\":\"input_audio_buffer.speech_stopped\",\"item_id\":\"item_x\","
        "\"audio_end_ms\":-5}",
    "{\"type\":\"response.done\",\"response\":\"done\"}",
    "{\"type\":\"response.done\",\"response\":{\"id\":\"@RESPONSE_ID@\","
        "\"status\":true}}",
    "{\"type\":\"response.created\",\"response\":{\"id\":5}}",
    "{\"type\":\"rate_limits.updated\",\"rate_limits\":\"many\"}",
    "{\"type\":\"rate_limits.updated\",\"rate_limits\":[1]}",
    "{\"type\":\"error\",\"error\":\"boom\"}",
    "{\"type\":\"error\",\"error\":{\"message\":{\"text\":\"boom\"}}}",
    "{\"type\":\"session.updated\",\"session\":[]}",
    NULL
  };

  check_skipped (frames, FALSE);
}

GST_END_TEST;

/* Audio deltas of the reply whose base64 is not valid: none of it may
 * reach the audio output. */
GST_START_TEST (test_invalid_base64)
{
  static const gchar *const frames[] = {
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY
        ",\"delta\":\"!!!!\"}",
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY ",\"delta\":\"QUJ\"}",
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY
        ",\"delta\":\"QUJDRA\"}",
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY
        ",\"delta\":\"QU=DRA==\"}",
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY
        ",\"delta\":\"QUJDRA=A\"}",
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY
        ",\"delta\":\"QUJD\\nRA==\"}",
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY
        ",\"delta\":\" QUJDRA==\"}",
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY
        ",\"delta\":\"====\"}",
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY
        ",\"delta\":\"QUJD-_==\"}",
    NULL
  };

  check_skipped (frames, FALSE);
}

GST_END_TEST;

/* A JSON escape for NUL inside the base64 is no base64 either: the
 * audio before it must not be taken for the whole delta. */
GST_START_TEST (test_base64_with_nul)
{
  static const gchar *const frames[] = {
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY
        ",\"delta\":\"QUJD\\u0000RA==\"}",
    NULL
  };

  check_skipped (frames, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_binary_frames)
{
  static const gchar *const frames[] = {
    "\x01\x02\x03",
    "",
    /* a valid audio delta, but in a binary frame */
    "{\"type\":\"response.output_audio.delta\"," OF_REPLY
        ",\"delta\":\"AAAAAAAA\"}",
    NULL
  };

  check_skipped (frames, TRUE);
}

GST_END_TEST;

/* Events of types the element does not know are no fault of the server
 * (the protocol grows): skipped without a warning, whatever their
 * fields, and still given to the server-event signal. */
GST_START_TEST (test_unknown_events)
{
  static const gchar *const types[] = {
    "x.unknown.event", "response.future_thing.delta",
    "response.mcp_call_arguments.delta",
    "session.future", "response.mcp_call.in_progress",
  };
  static const gchar *const frames[] = {
    "{\"type\":\"x.unknown.event\"}",
    "{\"type\":\"response.future_thing.delta\"," OF_REPLY ",\"delta\":42}",
    "{\"type\":\"response.mcp_call_arguments.delta\","
        "\"item_id\":\"@ITEM_ID@\",\"delta\":\"{\",\"start\":0.0}",
    "{\"type\":\"session.future\",\"session\":[1,2],\"event_id\":7}",
    "{\"type\":\"response.mcp_call.in_progress\",\"response_id\":null}",
  };
  Fixture f = { 0, };
  guint i;

  fixture_setup (&f, 0, NULL);
  fixture_watch_server_events (&f);
  for (i = 0; i < G_N_ELEMENTS (frames); i++)
    inject (&f, FIRST_DELTA, frames[i]);
  run_turn (&f);
  assert_reply_intact (&f, 0);
  assert_ignored (&f, 0);
  for (i = 0; i < G_N_ELEMENTS (types); i++)
    fail_unless (fixture_wait_server_event (&f, types[i], 1, 0),
        "server-event did not give %s", types[i]);
  fixture_teardown (&f);
}

GST_END_TEST;

#define MiB (1024 * 1024)

/* A delta of the reply carrying @n_bytes of silence. */
static gchar *
big_audio_delta (gsize n_bytes)
{
  guint8 *silence = g_malloc0 (n_bytes);
  gchar *b64 = g_base64_encode (silence, n_bytes);
  gchar *frame = g_strconcat ("{\"type\":\"response.output_audio.delta\","
      OF_REPLY ",\"delta\":\"", b64, "\"}", NULL);

  g_free (b64);
  g_free (silence);
  return frame;
}

/* Frames of megabytes, under the 16 MiB the session takes: 4 MiB of reply
 * audio in one delta (5.3 MiB of base64) and an unknown event of 4 MiB
 * are handled like any other. */
GST_START_TEST (test_large_frames)
{
  Fixture f = { 0, };
  gchar *audio = big_audio_delta (4 * MiB);
  gchar *blob = g_strnfill (4 * MiB, 'x');
  gchar *unknown = g_strconcat ("{\"type\":\"x.large\",\"blob\":\"", blob,
      "\"}", NULL);

  fixture_setup (&f, 0, NULL);
  inject (&f, FIRST_DELTA, audio);
  inject (&f, FIRST_DELTA, unknown);
  run_turn (&f);
  /* the big delta plays first, then the echo */
  assert_reply_intact (&f, 4 * MiB);
  assert_ignored (&f, 0);
  fixture_teardown (&f);

  g_free (unknown);
  g_free (blob);
  g_free (audio);
}

GST_END_TEST;

/* 4 MiB of text in one transcript delta of the reply. */
GST_START_TEST (test_large_text_delta)
{
  Fixture f = { 0, };
  gchar *blob = g_strnfill (4 * MiB, 'x');
  gchar *delta = g_strconcat ("{\"type\":\"response.output_text.delta\","
      OF_REPLY ",\"delta\":\"", blob, "\"}", NULL);
  GPtrArray *text;
  gchar *all, *expected;

  fixture_setup (&f, 0, "output-modalities=text");
  inject (&f, "response.output_text.delta", delta);
  run_turn (&f);

  text = collect (f.text_sink);
  all = all_text (text);
  expected = g_strconcat (blob, "Reply to turn 1.\n", NULL);
  fail_unless (strcmp (all, expected) == 0, "the text is not the 4 MiB "
      "delta then the reply (%" G_GSIZE_FORMAT " bytes)", strlen (all));
  assert_ignored (&f, 0);

  g_free (expected);
  g_free (all);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
  g_free (delta);
  g_free (blob);
}

GST_END_TEST;

/* A frame over the session's 16 MiB limit: libsoup refuses it and closes
 * the connection (1009, message too big). The reply cannot be whole any
 * more, so the pipeline fails at once with an error that says why,
 * rather than hanging or going on without the rest of the reply. */
GST_START_TEST (test_frame_over_limit)
{
  Fixture f = { 0, };
  gchar *blob = g_strnfill (17 * MiB, 'x');
  gchar *frame = g_strconcat ("{\"type\":\"x.huge\",\"blob\":\"", blob, "\"}",
      NULL);

  fixture_setup (&f, 0, NULL);
  inject (&f, FIRST_DELTA, frame);
  play_and_push (&f, one_turn, G_N_ELEMENTS (one_turn));
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ, "larger");
  fixture_teardown (&f);

  g_free (frame);
  g_free (blob);
}

GST_END_TEST;

/* of each kind: 50000 events in all */
#define N_FLOOD 25000

/* A burst of small events in the middle of the reply: the element keeps
 * up, posts every rate limit, and the reply still comes whole. */
GST_START_TEST (test_event_flood)
{
  Fixture f = { 0, };
  GPtrArray *limits;
  gint64 start;

  fixture_setup (&f, 0, NULL);
  realtime_test_server_inject_frame (f.server, FIRST_DELTA,
      "{\"type\":\"rate_limits.updated\",\"event_id\":\"event_flood\","
      "\"rate_limits\":[{\"name\":\"requests\",\"limit\":1000,"
      "\"remaining\":999,\"reset_seconds\":0.5}]}", -1, FALSE, N_FLOOD);
  realtime_test_server_inject_frame (f.server, FIRST_DELTA,
      "{\"type\":\"x.flood\",\"event_id\":\"event_flood\"}", -1, FALSE,
      N_FLOOD);
  start = g_get_monotonic_time ();
  /* about 3 s here; slower under valgrind */
  run_turn_within (&f, 60 * GST_SECOND);
  GST_INFO ("flood handled in %" G_GINT64_FORMAT " ms",
      (g_get_monotonic_time () - start) / 1000);

  assert_reply_intact (&f, 0);
  assert_ignored (&f, 0);
  /* the flood, and the server's own after response.created */
  limits = fixture_messages (&f, "realtime-rate-limits");
  fail_unless_equals_int (limits->len, N_FLOOD + 1);
  g_ptr_array_unref (limits);
  fixture_teardown (&f);
}

GST_END_TEST;

#define N_ERRORS 1000

#define STORM_ERROR "{\"type\":\"error\",\"event_id\":\"event_storm\"," \
    "\"error\":{\"type\":\"server_error\",\"code\":\"server_error\"," \
    "\"message\":\"The server had an error while processing your " \
    "request.\",\"param\":null,\"event_id\":null}}"

/* A storm of error events mid-reply: each is an element message (the
 * documented realtime-error), the reply still comes, and the bus gets a
 * burst of warnings and then their count, at the end of the stream. */
GST_START_TEST (test_error_storm)
{
  Fixture f = { 0, };
  GPtrArray *errors;

  fixture_setup (&f, 0, NULL);
  realtime_test_server_inject_frame (f.server, FIRST_DELTA, STORM_ERROR, -1,
      FALSE, N_ERRORS);
  run_parts (&f, one_turn, G_N_ELEMENTS (one_turn));
  assert_reply_intact (&f, 0);

  errors = fixture_messages (&f, "realtime-error");
  fail_unless_equals_int (errors->len, N_ERRORS);
  g_ptr_array_unref (errors);
  assert_warned (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ, REPORTED,
      N_ERRORS);
  fixture_teardown (&f);
}

GST_END_TEST;

/* A stream that goes on after a storm hears its count when the window of
 * the burst ends, not only at EOS; a later error opens a new window and
 * is posted. */
GST_START_TEST (test_error_storm_counted_while_running)
{
  Fixture f = { 0, };
  guint64 offset = 0;
  gint64 start;
  GstMessage *msg;

  fixture_setup (&f, 0, NULL);
  realtime_test_server_inject_frame (f.server, FIRST_DELTA, STORM_ERROR, -1,
      FALSE, 25);
  fail_unless (gst_element_set_state (f.pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  start = g_get_monotonic_time ();
  fail_unless_equals_int (push_parts (&f, one_turn, G_N_ELEMENTS (one_turn),
          &offset), GST_FLOW_OK);
  fail_unless (fixture_wait_warnings (&f, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_READ, "15 more problems", 1, 3 * WINDOW_MS),
      "the held-back warnings were not counted while the stream ran");
  fail_unless (g_get_monotonic_time () - start >= WINDOW_MS * 1000,
      "the count came before the window ended");
  assert_warned (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ, REPORTED, 25);

  realtime_test_server_inject_frame (f.server, FIRST_DELTA, STORM_ERROR, -1,
      FALSE, 1);
  fail_unless_equals_int (push_parts (&f, one_turn, G_N_ELEMENTS (one_turn),
          &offset), GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  msg = wait_for_end (&f, 30 * GST_SECOND);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  fail_unless_equals_int (fixture_count_warnings (&f, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_READ, REPORTED), WARNING_BURST + 1);
  fail_unless_equals_int (g_atomic_int_get (&f.n_warnings), WARNING_BURST + 2);
  fixture_teardown (&f);
}

GST_END_TEST;

static Suite *
hostile_suite (void)
{
  Suite *s = suite_create ("hostile");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_reference_reply);
  tcase_add_test (tc, test_malformed_json);
  tcase_add_test (tc, test_deeply_nested_json);
  tcase_add_test (tc, test_not_an_object);
  tcase_add_test (tc, test_missing_fields);
  tcase_add_test (tc, test_response_created_without_response);
  tcase_add_test (tc, test_speech_started_without_position);
  tcase_add_test (tc, test_speech_stopped_without_position);
  tcase_add_test (tc, test_turn_never_committed);
  tcase_add_test (tc, test_wrong_types);
  tcase_add_test (tc, test_invalid_base64);
  tcase_add_test (tc, test_base64_with_nul);
  tcase_add_test (tc, test_binary_frames);
  tcase_add_test (tc, test_unknown_events);
  tcase_add_test (tc, test_large_frames);
  tcase_add_test (tc, test_large_text_delta);
  tcase_add_test (tc, test_frame_over_limit);
  tcase_add_test (tc, test_event_flood);
  tcase_add_test (tc, test_error_storm);
  tcase_add_test (tc, test_error_storm_counted_while_running);
  return s;
}

GST_CHECK_MAIN (hostile);
