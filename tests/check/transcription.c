/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Input transcription: transcription-only sessions (live subtitles),
 * transcripts beside replies, and their order. */

#include "realtimefixture.h"

#define INPUT "$.session.audio.input"

static gchar *
text_of_role (GPtrArray * outputs, const gchar * role)
{
  GString *text = g_string_new (NULL);
  guint i;

  for (i = 0; i < outputs->len; i++) {
    Output *out = g_ptr_array_index (outputs, i);

    if (g_strcmp0 (out->role, role) == 0)
      g_string_append (text, out->text);
  }
  return g_string_free (text, FALSE);
}

/* Each turn's text is "Transcript of turn N." starting on its speech. */
static void
assert_transcripts_on_turns (Fixture * f, GPtrArray * text)
{
  GArray *turns = server_turns (f, 3);
  guint i;

  for (i = 0; i < turns->len; i++) {
    RealtimeTestTurn *turn = &g_array_index (turns, RealtimeTestTurn, i);
    GstClockTime next = i + 1 < turns->len ? ms_to_time (g_array_index (turns,
            RealtimeTestTurn, i + 1).audio_start_ms) : GST_CLOCK_TIME_NONE;
    gchar *expected = g_strdup_printf ("Transcript of turn %u.\n", i + 1);
    gchar *got = text_between (text, ms_to_time (turn->audio_start_ms), next);

    fail_unless_equals_string (got, expected);
    g_free (got);
    g_free (expected);
  }
  g_array_unref (turns);
}

GST_START_TEST (test_transcription_session)
{
  Fixture f = { 0, };
  GPtrArray *text, *transcripts;
  gchar *query;
  guint i, n_final = 0;

  fixture_setup (&f, 0, "session-type=transcription "
      "transcription-model=gpt-4o-transcribe transcription-language=fr "
      "transcription-prompt=Subtitles noise-reduction=far-field");
  run_parts (&f, three_turns, N_THREE_TURNS);

  assert_client_event_value (f.server, "session.update", "$.session.type",
      "transcription");
  assert_client_event_value (f.server, "session.update",
      INPUT ".transcription.model", "gpt-4o-transcribe");
  assert_client_event_value (f.server, "session.update",
      INPUT ".transcription.language", "fr");
  assert_client_event_value (f.server, "session.update",
      INPUT ".transcription.prompt", "Subtitles");
  assert_client_event_value (f.server, "session.update",
      INPUT ".noise_reduction.type", "far_field");
  query = realtime_test_server_get_last_request_query (f.server);
  fail_unless_equals_string (query, "intent=transcription");
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "response.create"), 0);

  text = collect (f.text_sink);
  assert_monotonic (text);
  assert_transcripts_on_turns (&f, text);
  fail_unless_equals_string (((Output *) g_ptr_array_index (text, 0))->role,
      "user");
  fail_unless_equals_int (count_buffers (f.audio_sink), 0);

  transcripts = fixture_messages (&f, "realtime-transcript");
  for (i = 0; i < transcripts->len; i++) {
    GstStructure *s = g_ptr_array_index (transcripts, i);
    gboolean final = FALSE;

    fail_unless_equals_string (gst_structure_get_string (s, "role"), "user");
    fail_unless (gst_structure_get_string (s, "item-id") != NULL);
    gst_structure_get_boolean (s, "final", &final);
    /* the trailing silence committed at EOS has an empty transcript */
    n_final += final && *gst_structure_get_string (s, "text");
  }
  fail_unless_equals_int (n_final, 3);
  assert_client_events_valid (f.server, "transcription-session");

  g_free (query);
  g_ptr_array_unref (transcripts);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_END_TEST;

/* Whether a final realtime-transcript of @role has @item_id and, unless
 * NULL, @response_id: a text buffer's meta joins it to its message. */
static gboolean
has_final_transcript (Fixture * f, const gchar * role, const gchar * item_id,
    const gchar * response_id)
{
  GPtrArray *transcripts = fixture_messages (f, "realtime-transcript");
  gboolean found = FALSE, final;
  guint i;

  for (i = 0; i < transcripts->len && !found; i++) {
    GstStructure *s = g_ptr_array_index (transcripts, i);

    found = gst_structure_get_boolean (s, "final", &final) && final
        && !g_strcmp0 (gst_structure_get_string (s, "role"), role)
        && !g_strcmp0 (gst_structure_get_string (s, "item-id"), item_id)
        && (!response_id || !g_strcmp0 (gst_structure_get_string (s,
                "response-id"), response_id));
  }
  g_ptr_array_unref (transcripts);
  return found;
}

/* Every text buffer names its item, and a reply its response too, as the
 * transcript messages do. */
static void
assert_meta_ids (Fixture * f, GPtrArray * text)
{
  guint i;

  for (i = 0; i < text->len; i++) {
    Output *out = g_ptr_array_index (text, i);
    gboolean user = g_strcmp0 (out->role, "user") == 0;

    fail_unless (out->item_id != NULL, "no item-id on '%s'", out->text);
    if (user)
      fail_unless (out->response_id == NULL);
    else
      fail_unless (out->response_id != NULL, "no response-id on '%s'",
          out->text);
    fail_unless (has_final_transcript (f, out->role, out->item_id,
            out->response_id), "'%s' (%s, %s) matches no message", out->text,
        out->item_id, GST_STR_NULL (out->response_id));
  }
}

/* text-output=both: per turn, what was said, then the reply, each buffer
 * tagged with its role; @late_transcripts makes the server send each
 * transcript after its reply. */
static void
check_both_in_turn_order (gboolean late_transcripts)
{
  Fixture f = { 0, };
  FixtureOptions options = { 0, };
  GString *expected = g_string_new (NULL);
  GPtrArray *text;
  gchar *all;
  guint i;

  options.server = start_server (0);
  realtime_test_server_set_transcript_after_response (options.server,
      late_transcripts);
  options.props = "text-output=both transcription-model=whisper-1";
  fixture_setup_with (&f, &options);
  run_parts (&f, three_turns, N_THREE_TURNS);

  text = collect (f.text_sink);
  assert_monotonic (text);
  for (i = 1; i <= 3; i++)
    g_string_append_printf (expected,
        "Transcript of turn %u.\nReply to turn %u.\n", i, i);
  all = all_text (text);
  fail_unless_equals_string (all, expected->str);
  g_free (all);
  all = text_of_role (text, "user");
  fail_unless_equals_string (all,
      "Transcript of turn 1.\nTranscript of turn 2.\n"
      "Transcript of turn 3.\n");
  g_free (all);
  all = text_of_role (text, "assistant");
  fail_unless_equals_string (all,
      "Reply to turn 1.\nReply to turn 2.\nReply to turn 3.\n");
  assert_meta_ids (&f, text);
  assert_client_events_valid (f.server, late_transcripts ?
      "late-transcripts" : "both");

  g_free (all);
  g_string_free (expected, TRUE);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_START_TEST (test_transcripts_and_replies)
{
  check_both_in_turn_order (FALSE);
}

GST_END_TEST;

GST_START_TEST (test_transcripts_after_replies_keep_turn_order)
{
  check_both_in_turn_order (TRUE);
}

GST_END_TEST;

GST_START_TEST (test_transcripts_only_in_a_conversation)
{
  Fixture f = { 0, };
  GPtrArray *text;

  fixture_setup (&f, 0, "text-output=transcripts "
      "transcription-model=whisper-1");
  run_parts (&f, three_turns, N_THREE_TURNS);
  text = collect (f.text_sink);
  assert_transcripts_on_turns (&f, text);
  /* the replies still come, as audio */
  fail_unless (count_buffers (f.audio_sink) > 0);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_END_TEST;

/* A file that ends in silence, as at OpenAI's service, which writes no
 * transcript of silence: the silence the server's VAD heard is no turn, so
 * it is neither committed nor waited for, and EOS comes at once, without
 * the drain timing out and without a line more. */
static void
check_trailing_silence (const gchar * path, const gchar * props,
    const gchar * expected)
{
  static const Part speech_then_silence[] = {
    {0.5, FALSE}, {0.6, TRUE}, {2.0, FALSE},
  };
  Fixture f = { 0, };
  FixtureOptions options = { 0, };
  GPtrArray *text;
  gchar *all, *warnings;

  options.server = start_server (0);
  realtime_test_server_set_silence_transcribed (options.server, FALSE);
  options.path = path;
  options.props = props;
  fixture_setup_with (&f, &options);
  run_parts (&f, speech_then_silence, G_N_ELEMENTS (speech_then_silence));

  warnings = fixture_warnings (&f);
  fail_unless_equals_string (warnings, "");
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "input_audio_buffer.commit"), 0);
  text = collect (f.text_sink);
  all = all_text (text);
  fail_unless_equals_string (all, expected);
  assert_client_events_valid_in (f.server, "trailing-silence", path != NULL);

  g_free (all);
  g_free (warnings);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_START_TEST (test_trailing_silence_transcription_session)
{
  check_trailing_silence (NULL, "session-type=transcription "
      "drain-timeout=5000", "Transcript of turn 1.\n");
}

GST_END_TEST;

GST_START_TEST (test_trailing_silence_conversation)
{
  check_trailing_silence (NULL, "transcription-model=gpt-4o-mini-transcribe "
      "text-output=both output-modalities=text drain-timeout=5000",
      "Transcript of turn 1.\nReply to turn 1.\n");
}

GST_END_TEST;

GST_START_TEST (test_trailing_silence_azure_preview)
{
  check_trailing_silence ("/openai/realtime?api-version=2024-10-01-preview"
      "&deployment=gpt-4o-realtime-preview", "transcription-model=whisper-1 "
      "text-output=both output-modalities=text drain-timeout=5000",
      "Transcript of turn 1.\nReply to turn 1.\n");
}

GST_END_TEST;

static Suite *
transcription_suite (void)
{
  Suite *s = suite_create ("transcription");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_transcription_session);
  tcase_add_test (tc, test_transcripts_and_replies);
  tcase_add_test (tc, test_transcripts_after_replies_keep_turn_order);
  tcase_add_test (tc, test_transcripts_only_in_a_conversation);
  tcase_add_test (tc, test_trailing_silence_transcription_session);
  tcase_add_test (tc, test_trailing_silence_conversation);
  tcase_add_test (tc, test_trailing_silence_azure_preview);
  return s;
}

GST_CHECK_MAIN (transcription);
